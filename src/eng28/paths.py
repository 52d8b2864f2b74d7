"""eng28's folders, resolved with os.path only: the shell prompt's fast path needs them before
anything else is imported. They match platformdirs (which `config` uses) on Linux and macOS;
a test checks that they agree. ENG28_HOME puts everything in one folder."""

from __future__ import annotations

import os
import sys

APP = "eng28"


def _base(xdg_var: str, linux_default: str, mac_default: str) -> str:
    home = os.environ.get("ENG28_HOME")
    if home:
        return os.path.expanduser(home)
    if sys.platform == "darwin":
        return os.path.join(os.path.expanduser("~"), mac_default, APP)
    raw = os.environ.get(xdg_var, "").strip()
    root = (
        raw if raw and os.path.isabs(raw) else os.path.join(os.path.expanduser("~"), linux_default)
    )
    return os.path.join(root, APP)


def config_dir() -> str:
    return _base("XDG_CONFIG_HOME", ".config", "Library/Application Support")


def data_dir() -> str:
    return _base("XDG_DATA_HOME", ".local/share", "Library/Application Support")


def cache_dir() -> str:
    return _base("XDG_CACHE_HOME", ".cache", "Library/Caches")


def prompt_cache() -> str:
    return os.path.join(cache_dir(), "prompt.cache")
