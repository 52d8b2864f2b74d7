"""The state's JSON copy in the cache folder: read instead of the TOML when it stands for the
file's very bytes, ignored (and the file parsed) whenever it does not."""

import json
import os
from datetime import UTC, date, datetime

import pytest

from eng28 import files, paths, statefile, store, tomlfile
from eng28.errors import StateError
from eng28.models import DayProgress, PlanState, State

DONE_AT = datetime(2026, 12, 1, 21, 0, tzinfo=UTC)


def a_state(reflection: str = "queues are buffers") -> State:
    day = DayProgress(
        done=True, done_at=DONE_AT, done_on=date(2026, 12, 1), reflection=reflection,
        changed_at=DONE_AT,
    )  # fmt: skip
    return State(plans={"eng28": PlanState(start=date(2026, 12, 1), days={1: day})})


def refuse_toml(monkeypatch):
    """Make parsing TOML fail, to see that a read used the copy."""

    def refuse(raw, name, error=None):
        raise AssertionError(f"{name} was parsed")

    monkeypatch.setattr(tomlfile, "parse_toml", refuse)


def copy_path():
    return os.path.join(paths.cache_dir(), "state.json")


def test_a_saved_state_reads_back_from_its_copy(tmp_path, monkeypatch):
    path = tmp_path / "state.toml"
    store.save_state(path, a_state())
    refuse_toml(monkeypatch)
    assert store.read_state(path) == (a_state(), store.SCHEMA_VERSION)


def test_a_file_read_once_is_kept_and_any_other_bytes_are_parsed(tmp_path, monkeypatch):
    path = tmp_path / "state.toml"
    path.write_text(store.dump_state(a_state()), encoding="utf-8")
    assert store.load_state(path) == a_state()  # parsed, and kept
    path.write_text(store.dump_state(a_state("edited by hand")), encoding="utf-8")
    assert store.load_state(path) == a_state("edited by hand")  # other bytes: parsed again
    refuse_toml(monkeypatch)
    assert store.load_state(path) == a_state("edited by hand")


def read_copy() -> tuple[list, dict]:
    """The copy's key and table."""
    with open(copy_path(), encoding="utf-8") as handle:
        kept = json.load(handle)
    return kept["key"], kept["data"]


def copy_text(key, data) -> str:
    return json.dumps({"key": key, "data": data})


@pytest.mark.parametrize(
    "damage",
    [
        lambda key, data: "not json",
        lambda key, data: json.dumps(key),  # the key alone
        lambda key, data: json.dumps([{"key": key, "data": data}]),
        lambda key, data: copy_text(key, data).replace(" ", ""),  # the key in another form
        lambda key, data: copy_text(key, {**data, "extra": 1}),
        lambda key, data: copy_text(key, "a string"),
        lambda key, data: copy_text([*key[:-1], "0" * 64], data),
        lambda key, data: copy_text(key, data)[:-10],  # cut short
        # A copy that does not validate is never believed: the file says what is true.
        lambda key, data: copy_text(key, {**data, "plans": {"eng28": {"start": "soon"}}}),
    ],
)
def test_a_damaged_or_foreign_copy_is_ignored(tmp_path, damage):
    path = tmp_path / "state.toml"
    store.save_state(path, a_state())
    key, data = read_copy()
    assert data["plans"]["eng28"]["days"]["1"]["reflection"] == "queues are buffers"
    with open(copy_path(), "w", encoding="utf-8") as handle:
        handle.write(damage(key, data))
    assert store.load_state(path) == a_state()


def test_a_broken_file_is_reported_whatever_the_copy_holds(tmp_path):
    path = tmp_path / "state.toml"
    store.save_state(path, a_state())
    path.write_text("schema_version = 3\n[plans.eng28\n", encoding="utf-8")
    with pytest.raises(StateError, match="invalid TOML"):
        store.load_state(path)


def test_no_copy_is_kept_of_a_backup_or_a_remote(tmp_path):
    raw = store.dump_state(a_state()).encode("utf-8")
    store.parse_state(raw, tmp_path / "backup.toml")
    assert not os.path.exists(copy_path())


def test_a_write_saves_what_the_file_holds_never_a_copy_that_lies(tmp_path):
    path = tmp_path / "state.toml"
    store.save_state(path, a_state("the learner's own words"))
    raw = path.read_bytes()
    lie = a_state("").model_dump(mode="json")  # the same key, a different table
    files.atomic_write(copy_path(), copy_text(statefile._copy_key(raw), lie).encode())
    with store.transaction(path, date(2026, 12, 2)) as state:
        state.config_times["pace"] = DONE_AT
    kept = store.read_state(path, copy=False)[0]
    assert kept.plans["eng28"].days[1].reflection == "the learner's own words"
