"""The one path context: where eng28 keeps its files, for the CLI, the prompt reader and the
shell hooks alike.

Standard library only, because the shell prompt's fast path needs these folders before anything
else is imported (platformdirs alone costs more than the whole fast path). The rules are
platformdirs' own for the app name "eng28", copied here and held against platformdirs' Unix,
macOS and Windows classes by a test:

- Linux and other Unixes: `$XDG_CONFIG_HOME`, `$XDG_DATA_HOME`, `$XDG_CACHE_HOME` when they hold
  an absolute path, else `~/.config`, `~/.local/share`, `~/.cache`; then `eng28`.
- macOS: the same XDG variables when set, else `~/Library/Application Support/eng28` (config and
  data) and `~/Library/Caches/eng28`.
- Windows: `%LOCALAPPDATA%\\eng28\\eng28` for config and data, `...\\eng28\\eng28\\Cache`.

ENG28_HOME puts everything in one folder. Every path is resolved when it is asked for, never at
import time.
"""

from __future__ import annotations

import os
import posixpath
import sys

APP = "eng28"


def _home() -> str | None:
    raw = os.environ.get("ENG28_HOME")
    return os.path.expanduser(raw) if raw else None


def _xdg(variable: str) -> str | None:
    value = os.environ.get(variable, "")
    return value if posixpath.isabs(value) else None


def _windows_local_appdata() -> str:
    override = os.environ.get("WIN_PD_OVERRIDE_LOCAL_APPDATA", "").strip()
    base = override or os.environ.get("LOCALAPPDATA") or os.path.expanduser(r"~\AppData\Local")
    return os.path.normpath(base)


def _folder(kind: str) -> str:
    """kind: config, data or cache."""
    home = _home()
    if home:
        return home
    if sys.platform == "win32":
        base = os.path.join(_windows_local_appdata(), APP, APP)
        return os.path.join(base, "Cache") if kind == "cache" else base
    variable = {"config": "XDG_CONFIG_HOME", "data": "XDG_DATA_HOME", "cache": "XDG_CACHE_HOME"}
    if (xdg := _xdg(variable[kind])) is not None:
        return os.path.join(xdg, APP)
    if sys.platform == "darwin":
        library = "~/Library/Caches" if kind == "cache" else "~/Library/Application Support"
        return os.path.join(os.path.expanduser(library), APP)
    default = {"config": "~/.config", "data": "~/.local/share", "cache": "~/.cache"}[kind]
    return os.path.join(os.path.expanduser(default), APP)


def config_dir() -> str:
    return _folder("config")


def data_dir() -> str:
    return _folder("data")


def cache_dir() -> str:
    return _folder("cache")


def config_file() -> str:
    return os.path.join(config_dir(), "config.toml")


def state_file() -> str:
    return os.path.join(data_dir(), "state.toml")


def views_file() -> str:
    """What the domain wrote for the shell prompt (see `views`)."""
    return os.path.join(cache_dir(), "prompt.cache")


def screens_file() -> str:
    """The screens the domain drew for `eng28` and `eng28 today` (see `views`)."""
    return os.path.join(cache_dir(), "screens.cache")


def drafts_dir() -> str:
    return os.path.join(data_dir(), "drafts")


def workspace_dir() -> str:
    """Where `eng28 exercise` lays exercises out when the config key `workspace` names no
    folder: `~/eng28`, or `$ENG28_HOME/workspace` so that a separate home stays self-contained."""
    home = _home()
    return os.path.join(home, "workspace") if home else os.path.join(os.path.expanduser("~"), APP)
