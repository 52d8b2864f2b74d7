"""Where eng28 keeps its files, the config file, and the one place that reads the clock.

ENG28_HOME puts config, state and cache in one folder; otherwise the platform's standard
directories are used. ENG28_NOW replaces the clock. Paths are resolved on each call, never at
import time, so tests and users can change the environment freely.
"""

from __future__ import annotations

import os
from datetime import date, datetime, time, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from eng28 import snapshot
from eng28.errors import ConfigError, UsageError
from eng28.models import Config

APP = "eng28"


#: Variables eng28 set for itself (see `cli.main`), kept from the programs it starts.
OWN_VARIABLES: set[str] = set()


def child_env() -> dict[str, str]:
    """The environment for a program eng28 starts (an editor, git): the user's own."""
    return {k: v for k, v in os.environ.items() if k not in OWN_VARIABLES}


def home_override() -> Path | None:
    raw = os.environ.get("ENG28_HOME")
    return Path(raw).expanduser() if raw else None


def config_dir() -> Path:
    if (home := home_override()) is not None:
        return home
    import platformdirs

    return platformdirs.user_config_path(APP)


def data_dir() -> Path:
    if (home := home_override()) is not None:
        return home
    import platformdirs

    return platformdirs.user_data_path(APP)


def config_path() -> Path:
    return config_dir() / "config.toml"


def state_path() -> Path:
    return data_dir() / "state.toml"


# --- the config file --------------------------------------------------------------------


def read_bytes(path: Path, what: str) -> bytes | None:
    """The bytes of a file, or None when it does not exist. Errors name the file."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, expected the {what} file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the {what} file: {exc.strerror}") from None


def parse_toml(raw: bytes, path: Path) -> dict[str, Any]:
    """Parse TOML bytes read from `path`. Errors name the file and line."""
    import tomllib

    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def load_config(path: Path | None = None, fresh: bool = False) -> Config:
    """The config in `path` (default: the config file), or the defaults when there is none.
    Unless `fresh`, from the validated snapshot of the file's very bytes when there is one;
    whatever is about to be changed and saved is read `fresh`."""
    path = path or config_path()
    raw = read_bytes(path, "config")
    if raw is None:
        return Config()
    if fresh:
        return parse_config(raw, path)
    config = snapshot.load("config", path, raw)
    if config is None:
        config = parse_config(raw, path)
        snapshot.save("config", path, raw, config)
    return config


def parse_config(raw: bytes, path: Path) -> Config:
    from pydantic import ValidationError

    try:
        return Config.model_validate(parse_toml(raw, path))
    except ValidationError as exc:
        raise ConfigError(f"{path}: {describe_validation_error(exc)}") from None


def save_config(config: Config, path: Path | None = None) -> Path:
    import tomli_w

    from eng28.store import atomic_write

    path = path or config_path()
    data = config.model_dump(mode="python", exclude_none=True, exclude_defaults=False)
    raw = tomli_w.dumps(data).encode()
    atomic_write(path, raw)
    snapshot.save("config", path, raw, parse_config(raw, path))
    return path


def describe_validation_error(exc: Any) -> str:
    """The first pydantic error as 'key 'x': message' (config and state files are flat)."""
    err = exc.errors()[0]
    where = ".".join(str(part) for part in err["loc"]) or "file"
    if err["type"] == "extra_forbidden":
        return f"unknown key {where!r}"
    if err["type"] == "missing":
        return f"missing key {where!r}"
    return f"key {where!r}: {err['msg']} (got {err.get('input')!r})"


# --- the clock --------------------------------------------------------------------------


def zone(config: Config) -> tzinfo | None:
    """The learner's zone: config `timezone`, else None meaning the system's local zone. The
    zone database can lose a zone after the config validated (a tzdata update; a snapshot)."""
    if not config.timezone:
        return None
    try:
        return ZoneInfo(config.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{config_path()}: key 'timezone': unknown IANA time zone {config.timezone!r}"
        ) from None


def fuzzing(config: Config) -> bool:
    """Review fuzzing: the config key if set; otherwise on, except under ENG28_NOW, so that
    runs with a fixed clock are deterministic."""
    if config.review_fuzzing is not None:
        return config.review_fuzzing
    return not os.environ.get("ENG28_NOW")


def now(tz: tzinfo | None = None) -> datetime:
    """The current local time, aware. ENG28_NOW (ISO date or datetime) overrides the clock.

    A bare date means noon of that day, so that it falls inside that study day whatever the
    rollover hour; a naive datetime is local time; one with an offset is converted.
    """
    raw = os.environ.get("ENG28_NOW")
    if not raw:
        return datetime.now(tz).astimezone(tz)
    try:
        if len(raw.strip()) == 10:
            moment = datetime.combine(date.fromisoformat(raw.strip()), time(12, 0))
        else:
            moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise UsageError(
            f"ENG28_NOW={raw!r} is not an ISO date or datetime (e.g. 2026-12-01 or "
            "2026-12-01T21:30)"
        ) from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=tz).astimezone(tz) if tz else moment.astimezone()
    return moment.astimezone(tz)
