"""`eng28 config`: read and change config keys, each value checked by the Config model."""

from __future__ import annotations

from pathlib import Path

from eng28 import config as cfg
from eng28 import store
from eng28.errors import ConfigError
from eng28.models import Config

KEYS = tuple(Config.model_fields)


def _shown(value: object) -> str:
    if value is None:
        return "(not set)"
    if isinstance(value, list):
        return " ".join(str(v) for v in value) or "(none)"
    return str(value)


def show_all() -> list[tuple[str, str]]:
    current = cfg.load_config()
    return [(key, _shown(getattr(current, key))) for key in KEYS]


def _check_key(key: str) -> None:
    if key not in KEYS:
        raise ConfigError(f"unknown config key {key!r} (known: {', '.join(KEYS)})")


def show_one(key: str) -> str:
    _check_key(key)
    return _shown(getattr(cfg.load_config(), key))


def change(key: str, values: list[str], unset: bool) -> str:
    """Set (or reset) one key and save; returns the line to print."""
    from pydantic import ValidationError

    _check_key(key)
    # The whole read-modify-write under the config's lock: two `eng28 config` at once both land.
    with store.locked(cfg.config_path()):
        current = cfg.load_config()
        data = current.model_dump()
        if unset:
            data.pop(key, None)
        else:
            data[key] = _parse(key, values, current)
        try:
            updated = Config.model_validate(data)
        except ValidationError as exc:
            raise ConfigError(f"config {cfg.describe_validation_error(exc)}") from None
        cfg.save_config(updated)
    return f"{key} = {_shown(getattr(updated, key))}"


def _parse(key: str, values: list[str], current: Config) -> object:
    if key == "rest_days":
        return [v.strip().lower()[:3] for v in values if v.strip().lower() not in ("none", "")]
    if len(values) != 1:
        raise ConfigError(f"config key {key!r} takes one value, got {len(values)}")
    (value,) = values
    if key == "start":
        from eng28 import clock
        from eng28.pace import study_date
        from eng28.usecases.schedule import parse_date

        moment = clock.now(cfg.zone(current))
        return parse_date(value, study_date(moment, current.rollover_hour))
    if key == "plan":
        from eng28.plan import load_plan

        path = Path(value).expanduser().resolve()
        load_plan(path)
        return str(path)
    if key == "rollover_hour":
        try:
            return int(value)
        except ValueError:
            raise ConfigError(f"rollover_hour must be a whole hour 0-23, got {value!r}") from None
    return value
