"""The state's lock, in one process: quiet when free, a clear error when it cannot be had."""

import pytest

from eng28 import store
from eng28.errors import StateError


def test_a_free_lock_is_taken_without_a_word(tmp_path, capsys):
    path = tmp_path / "new" / "state.toml"  # the folder need not exist yet
    with store.locked(path):
        pass
    with store.locked(path):  # and it was let go
        pass
    assert capsys.readouterr() == ("", "")


def test_a_short_timeout_gives_up_at_once_and_changes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ENG28_LOCK_TIMEOUT", "0.2")
    path = tmp_path / "state.toml"
    with store.locked(path), pytest.raises(StateError) as raised, store.locked(path):
        pytest.fail("the lock was taken twice")
    assert str(raised.value) == (
        f"{path}.lock: another eng28 (or a sync) has held the lock for 0.2 s; nothing was "
        "changed, try again"
    )
    assert capsys.readouterr().err == ""  # a wait shorter than a second is not announced
    assert not path.exists()
    with store.locked(path):
        pass


@pytest.mark.parametrize("raw", ["soon", "-1", "nan", "inf", "30s"])
def test_a_bad_lock_timeout_is_named(tmp_path, monkeypatch, raw):
    monkeypatch.setenv("ENG28_LOCK_TIMEOUT", raw)
    with pytest.raises(StateError) as raised, store.locked(tmp_path / "state.toml"):
        pytest.fail("locked with a bad timeout")
    assert str(raised.value) == (
        f"ENG28_LOCK_TIMEOUT={raw!r} is not a number of seconds (e.g. 30 or 0.5)"
    )
