"""`eng28 config`: read and change config keys, each value checked by the Config model."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from eng28 import config as cfg
from eng28 import store, tomlfile
from eng28.errors import ConfigError
from eng28.models import Config

KEYS = tuple(Config.model_fields)


#: What an unset key means, in words.
UNSET_MEANS = {
    "start": "not started yet",
    "plan": "the bundled plan",
    "timezone": "the system's zone",
    "review_fuzzing": "on, off while ENG28_NOW is set",
    "prompt_format": "D05 OOP ✓ ⟳2",
    "workspace": "~/eng28 (under ENG28_HOME when set)",
    "python": "the Python running eng28",
    "fsrs_parameters": "fsrs's defaults (eng28 review optimize fits them)",
}


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, list):
        return " ".join(str(v) for v in value) or "none"
    return str(value)


def _in_effect(key: str, config: Config, written: set[str], start: date | None = None) -> str:
    """The value a key has, marked `(default)` when the file does not set it. The start is
    the plan in use's, kept in the state."""
    if key == "start":
        value = start or config.start
        return value.isoformat() if value else "not started yet"
    value = getattr(config, key)
    if key in written and value is not None:
        return _shown(value)
    shown = UNSET_MEANS.get(key) if value is None else _shown(value)
    return f"{shown} (default)"


def _written() -> set[str]:
    data = tomlfile.read_toml(cfg.config_path(), "config", ConfigError)
    return set(data or {})


def show_all(start: date | None) -> list[tuple[str, str]]:
    current, written = cfg.load_config(), _written()
    return [(key, _in_effect(key, current, written, start)) for key in KEYS]


def _check_key(key: str) -> None:
    if key not in KEYS:
        raise ConfigError(f"unknown config key {key!r} (known: {', '.join(KEYS)})")


def show_one(key: str, start: date | None) -> str:
    _check_key(key)
    return _in_effect(key, cfg.load_config(), _written(), start)


def parse_start(value: str) -> date:
    """The date `eng28 config start VALUE` names."""
    return _parse("start", [value], cfg.load_config())  # type: ignore[return-value]


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
            raise ConfigError(cfg.describe_validation_error(exc)) from None
        cfg.save_config(updated)
    return f"{key} = {_shown(getattr(updated, key))}"


def _parse(key: str, values: list[str], current: Config) -> object:
    if key == "rest_days":
        from eng28.pace import WEEKDAYS

        days = []
        for value in values:
            word = value.strip().lower()
            if word in ("none", ""):
                continue
            day = word[:3]
            names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
            if day not in WEEKDAYS or not names[WEEKDAYS.index(day)].startswith(word):
                raise ConfigError(f"rest_days must be weekdays (mon … sun), got {value!r}")
            days.append(day)
        return days
    if key == "fsrs_parameters":
        try:
            return [float(v) for value in values for v in value.replace(",", " ").split()]
        except ValueError:
            raise ConfigError(
                f"fsrs_parameters must be numbers, got {' '.join(values)!r}"
            ) from None
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
    kind = Config.model_fields[key].annotation
    if "bool" in str(kind):
        words = {"on": True, "off": False, "true": True, "false": False, "yes": True, "no": False}
        if value.strip().lower() not in words:
            raise ConfigError(f"{key} must be on or off, got {value!r}")
        return words[value.strip().lower()]
    if key == "workspace":
        return str(Path(value).expanduser().resolve())
    if key in ("rollover_hour", "grace_days", "check_timeout", "review_daily_limit"):
        try:
            return int(value)
        except ValueError:
            raise ConfigError(f"{key} must be a whole number, got {value!r}") from None
    return value
