"""The config file: read, validated by the Config model, and saved atomically.

Paths come from `paths` (ENG28_HOME, else the platform's folders), resolved on each call.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from eng28 import files, paths, views
from eng28.errors import ConfigError
from eng28.models import Config


def child_env() -> dict[str, str]:
    """The environment for a program eng28 starts (an editor, git): the user's own."""
    return dict(os.environ)


def config_path() -> Path:
    return Path(paths.config_file())


def state_path() -> Path:
    return Path(paths.state_file())


def data_dir() -> Path:
    return Path(paths.data_dir())


def load_config(path: Path | None = None) -> Config:
    """The config in `path` (default: the config file), or the defaults when there is none."""
    path = path or config_path()
    data = files.read_toml(path, "config", ConfigError)
    return Config() if data is None else validate_config(data, str(path))


def validate_config(data: dict[str, Any], where: str) -> Config:
    from pydantic import ValidationError

    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{where}: {describe_validation_error(exc)}") from None


def dump_config(config: Config) -> bytes:
    import tomli_w

    return tomli_w.dumps(config.model_dump(mode="python", exclude_none=True)).encode()


def save_config(config: Config, path: Path | None = None) -> Path:
    path = path or config_path()
    files.atomic_write(path, dump_config(config), ConfigError)
    views.invalidate()
    return path


def describe_validation_error(exc: Any) -> str:
    """The first pydantic error as 'key 'x': message' (config and state files are flat)."""
    err = exc.errors()[0]
    where = ".".join(str(part) for part in err["loc"]) or "file"
    if err["type"] == "extra_forbidden":
        return f"unknown key {where!r}"
    if err["type"] == "missing":
        return f"missing key {where!r}"
    shown = repr(err.get("input"))
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"key {where!r}: {err['msg']} (got {shown})"


def zone(config: Config) -> Any:
    """The learner's zone: config `timezone`, else None meaning the system's local zone. The
    zone database can lose a zone after the config validated (a tzdata update)."""
    if not config.timezone:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(config.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{config_path()}: key 'timezone': unknown IANA time zone {config.timezone!r}"
        ) from None


def fuzzing(config: Config) -> bool:
    """Review fuzzing: the config key if set; otherwise on, except under ENG28_NOW, so that
    runs with a fixed clock are deterministic."""
    from eng28 import clock

    if config.review_fuzzing is not None:
        return config.review_fuzzing
    return not clock.fixed()
