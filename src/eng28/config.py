"""The config file: read, validated by the Config model, and saved atomically.

Paths come from `paths` (ENG28_HOME, else the platform's folders), resolved on each call.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from eng28 import files, paths, tomlfile, views
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
    data = tomlfile.read_toml(path, "config", ConfigError)
    if data is None:
        # The defaults need no validating, and building Config's validator (which the first
        # validation does) costs a command more than everything else it does with the config.
        return Config.model_construct()
    return validate_config(data, str(path))


def validate_config(data: dict[str, Any], where: str) -> Config:
    from pydantic import ValidationError

    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{where}: {describe_validation_error(exc)}") from None


def edited_config(config: Config, raw: bytes | None, where: str) -> bytes:
    """The config file `raw` edited in place to hold `config`: only the keys whose value
    changes are touched, the learner's comments, order and layout stay, and a default that
    was never written is not written now (so a later change of that default reaches them)."""
    import tomlkit

    try:
        document = tomlkit.parse(raw.decode("utf-8")) if raw else tomlkit.document()
    except (UnicodeDecodeError, tomlkit.exceptions.TOMLKitError) as exc:
        raise ConfigError(f"{where}: cannot be edited: {exc}") from None
    current = validate_config(document.unwrap(), where) if raw else Config()
    for key in Config.model_fields:
        value = getattr(config, key)
        if value == getattr(current, key) and (key in document or value is None):
            continue
        if value is None:
            document.pop(key, None)
        elif key in document or value != Config.model_fields[key].get_default(
            call_default_factory=True
        ):
            document[key] = value
    return tomlkit.dumps(document).encode("utf-8")


KEEP_BACKUPS = 14


def backups_dir() -> Path:
    """Config backups sit with the state's, in the data folder's `backups/`."""
    return data_dir() / "backups"


def config_backups(daily_only: bool = True) -> list[Path]:
    """The config's daily backups (with `daily_only` False, its safety copies too), newest
    first."""
    pattern = "config-????-??-??.toml" if daily_only else "config-????-??-??*.toml"

    def age(path: Path) -> tuple[int, str]:
        try:
            return path.stat().st_mtime_ns, path.name
        except OSError:
            return 0, path.name

    return sorted(backups_dir().glob(pattern), key=age, reverse=True)


def keep_copy(tag: str) -> Path | None:
    """A safety copy of the config file as it is now (`config-DATE-TAG.toml`, under a name no
    other copy has), before a change that takes something away."""
    from eng28 import clock

    raw = files.read_bytes(config_path(), "config", ConfigError)
    if not raw:
        return None
    stem = backups_dir() / f"config-{clock.now().date().isoformat()}-{tag}"
    names = [f"{stem}.toml", *(f"{stem}-{n}.toml" for n in range(2, 1000))]
    return Path(files.write_new(names, raw, ConfigError))


def _daily_backup(raw: bytes) -> None:
    """Before the first config write of each day, the file as it was goes to the backups (the
    newest 14 are kept), so that a start date lost with the file can be found again."""
    from eng28 import clock

    target = backups_dir() / f"config-{clock.now().date().isoformat()}.toml"
    if target.exists():
        return
    files.atomic_write(target, raw, ConfigError)
    for old in config_backups()[KEEP_BACKUPS:]:
        old.unlink(missing_ok=True)


def save_config(config: Config, path: Path | None = None) -> Path:
    """Write `config` to the config file, editing the file the learner keeps (see
    `edited_config`); the old file is backed up first, once a day."""
    path = path or config_path()
    raw = files.read_bytes(path, "config", ConfigError)
    edited = edited_config(config, raw, str(path))
    if raw and raw != edited:
        _daily_backup(raw)
    files.atomic_write(path, edited, ConfigError)
    views.invalidate()
    return path


def start_from_backups() -> tuple[date, Path] | None:
    """The start date of the newest config backup that has one, and that backup."""
    for backup in config_backups(daily_only=False):
        try:
            found = load_config(backup).start
        except ConfigError:
            continue
        if found is not None:
            return found, backup
    return None


def _bounds(key: str) -> tuple[object, object] | None:
    """The (lowest, highest) a Config key allows, from its model's constraints."""
    field = Config.model_fields.get(key)
    if field is None:
        return None
    low = high = None
    for rule in field.metadata:
        low = getattr(rule, "ge", None) if getattr(rule, "ge", None) is not None else low
        high = getattr(rule, "le", None) if getattr(rule, "le", None) is not None else high
    return (low, high) if low is not None and high is not None else None


def describe_validation_error(exc: Any) -> str:
    """The first pydantic error in eng28's words: the key, what it allows, what it got. Config
    and state files are flat, so the key is the whole location."""
    err = exc.errors()[0]
    where = ".".join(str(part) for part in err["loc"]) or "file"
    if err["loc"] and err["loc"][0] in Config.model_fields:
        where = str(err["loc"][0])  # rest_days, not rest_days.0
    kind, got = err["type"], err.get("input")
    shown = repr(got)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    if kind == "extra_forbidden":
        return f"unknown key {where!r}"
    if kind == "missing":
        return f"missing key {where!r}"
    bounds = _bounds(where)
    if kind in ("greater_than_equal", "less_than_equal") and bounds:
        return f"{where} must be between {bounds[0]} and {bounds[1]}, got {got}"
    if kind == "literal_error":
        allowed = err.get("ctx", {}).get("expected", "").replace("'", "")
        return f"{where} must be {allowed}, got {shown}"
    if kind in ("bool_parsing", "bool_type"):
        return f"{where} must be on or off, got {shown}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{where} must be a whole number, got {shown}"
    if kind in ("float_parsing", "float_type"):
        return f"{where} must be a number, got {shown}"
    if kind == "value_error":
        return f"{where}: {err['msg'].removeprefix('Value error, ')}"
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
            f"{config_path()}: timezone: unknown IANA time zone {config.timezone!r}"
        ) from None


def fuzzing(config: Config) -> bool:
    """Review fuzzing: the config key if set; otherwise on, except under ENG28_NOW, so that
    runs with a fixed clock are deterministic."""
    from eng28 import clock

    if config.review_fuzzing is not None:
        return config.review_fuzzing
    return not clock.fixed()
