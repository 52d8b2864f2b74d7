"""`eng28 export` takes the ratings of a log eng28 wrote straight from its bytes, through the
summary a whole read keeps (`review-export.json`), and reads through the validator only the
lines after them: it prints exactly what reading the whole state gives, whatever the log and
the summary hold."""

import hashlib
import json
import os
from pathlib import Path

import pytest

from eng28 import paths, reviewscan
from eng28.usecases.context import open_context
from eng28.usecases.reports import export_data
from tests.unit.log_lines import a_rating, amend_and_add_a_plan, append, entries, hashed_sizes, log

CARD = {"card_id": 3, "state": 2, "stability": 4.2, "difficulty": 5.1,
        "due": "2026-12-05T08:00:00+00:00", "last_review": "2026-12-01T08:00:00+00:00"}  # fmt: skip


@pytest.fixture(autouse=True)
def settled_at_once(monkeypatch):
    """The test's log was written a moment ago: its identity is kept all the same (see
    reviewscan.SETTLED_NS, and the test that holds it)."""
    monkeypatch.setattr(reviewscan, "SETTLED_NS", 0)


def summary() -> Path:
    return Path(paths.cache_dir()) / reviewscan.EXPORT_SUMMARY


def whole_state(run) -> dict:
    result = run("export")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == export_data(open_context())
    return result


def from_summary(run, monkeypatch):
    """An export that must come from the summary (a whole read would fail the test)."""

    def refuse(*args, **kwargs):
        raise AssertionError("the log was read whole")

    with monkeypatch.context() as m:
        m.setattr(reviewscan, "dumped", refuse)
        return whole_state(run)


def kept_then_used(run, monkeypatch) -> dict:
    """A whole read keeps the summary, and the next export, from it, prints the same."""
    if summary().exists():
        summary().unlink()
    slow = whole_state(run)
    kept = json.loads(summary().read_text())
    fast = from_summary(run, monkeypatch)
    assert fast.stdout == slow.stdout
    return kept


def test_a_log_as_eng28_wrote_it(studied, run, monkeypatch):
    kept = kept_then_used(run, monkeypatch)
    assert set(kept) == {"key", "file", "ids"}
    assert len(kept["ids"]) == reviewscan.ID_WIDTH * len(entries(studied))


def test_ratings_saved_alone_carry_their_card(studied, run, monkeypatch):
    rated = a_rating(studied, "2026-12-01T08:00:00+00:00", note='a "quoted" note')
    append(studied, {**rated, "card": CARD}, {**a_rating(studied, "2026-12-01T08:00:01+00:00")})
    assert b',"card":{' in log(studied).read_bytes()
    kept = kept_then_used(run, monkeypatch)
    assert kept["key"][1] == len(log(studied).read_bytes())
    shown = json.loads(run("export").stdout)["state"]["plans"]["eng28"]["reviews"]
    assert shown[-2]["note"] == 'a "quoted" note' and "card_id" in shown[-2]
    assert "undone_at" not in shown[-2]  # a field without a value is left out, as in the log


def test_amendments_and_other_plans_in_the_summarized_part(studied, run, monkeypatch):
    amend_and_add_a_plan(studied)
    kept = kept_then_used(run, monkeypatch)
    assert kept["key"][1] == len(log(studied).read_bytes())
    shown = json.loads(run("export").stdout)["state"]["plans"]
    amended = shown["eng28"]["reviews"][3]
    assert amended["note"] == "later" and amended["undone_at"].startswith("2026-12-01T09:00")
    assert len(shown["only-in-the-log"]["reviews"]) == 1


def test_lines_after_the_summary_are_read_through_the_validator(studied, run, monkeypatch):
    kept_then_used(run, monkeypatch)
    fresh = a_rating(studied, "2026-12-01T08:00:00+00:00", card="5")
    append(
        studied,
        {**fresh, "card": CARD},
        a_rating(studied, "2026-12-01T08:00:01+00:00", plan="other-plan"),
        {"plan": "eng28", "amend": fresh["entry"]["id"], "note": "on second thoughts"},
    )
    shown = json.loads(from_summary(run, monkeypatch).stdout)["state"]["plans"]
    assert shown["eng28"]["reviews"][-1]["note"] == "on second thoughts"
    assert len(shown["other-plan"]["reviews"]) == 1


@pytest.mark.parametrize(
    "after",
    ["undo of an older rating", "an id used already", "more than a week of lines"],
)
def test_lines_that_need_what_came_before_them_are_left_to_a_whole_read(
    studied, run, monkeypatch, after
):
    kept_then_used(run, monkeypatch)
    first = entries(studied)[0]
    if after == "undo of an older rating":
        append(studied, {"plan": "eng28", "amend": first["id"], "note": "an old slip"})
        shown = json.loads(whole_state(run).stdout)["state"]["plans"]["eng28"]["reviews"]
        assert shown[0]["note"] == "an old slip"
    elif after == "an id used already":
        append(studied, {"plan": "eng28", "entry": first})
        result = run("export")
        assert result.exit_code == 1 and "is there twice" in result.stderr
        assert result.stdout == ""
    else:
        monkeypatch.setattr(reviewscan, "_READ_PAST", 100)
        append(studied, a_rating(studied, "2026-12-01T08:00:00+00:00"))
        whole_state(run)  # read whole, which keeps the summary anew
        assert json.loads(summary().read_text())["key"][1] == len(log(studied).read_bytes())


def damage(kept: dict, how: str, log_bytes: bytes) -> object:
    key = kept["key"]
    size = key[1]
    return {
        "not json": "{not json",
        "a list": [kept],
        "a key more": {**kept, "more": 1},
        "another version": {**kept, "key": ["0.0.1", *key[1:]]},
        # A file's identity stands for its bytes: a digest is what decides only without it.
        "another digest": {**kept, "key": [*key[:2], "0" * 64], "file": None},
        "an identity of other bytes": {**kept, "file": [*kept["file"][:2], 5, *kept["file"][3:]]},
        "an identity not numbers": {**kept, "file": ["a"] * 5},
        "size zero": {**kept, "key": [key[0], 0, key[2]]},
        "size past the log": {**kept, "key": [key[0], len(log_bytes) + 1, key[2]]},
        "size inside a line": {**kept, "key": [key[0], size - 5, key[2]]},
        "ids cut": {**kept, "ids": kept["ids"][:-1]},
        "ids not hex": {**kept, "ids": "z" * len(kept["ids"])},
        "nested too deep": "[" * 200_000,
    }[how]


@pytest.mark.parametrize(
    "how",
    ["not json", "a list", "a key more", "another version", "another digest",
     "an identity of other bytes", "an identity not numbers", "size zero",
     "size past the log", "size inside a line", "ids cut", "ids not hex", "nested too deep"],
)  # fmt: skip
def test_a_damaged_stale_or_foreign_summary_is_passed_over(studied, run, monkeypatch, how):
    kept = kept_then_used(run, monkeypatch)
    changed = damage(kept, how, log(studied).read_bytes())
    summary().write_text(changed if isinstance(changed, str) else json.dumps(changed))
    calls = []
    real = reviewscan.dumped
    monkeypatch.setattr(reviewscan, "dumped", lambda *a, **k: calls.append(1) or real(*a, **k))
    whole_state(run)
    assert calls == [1]  # read whole, as if there were no summary


def forge(raw: bytes) -> None:
    """A summary made by someone else for the log's bytes `raw` as they are now, claiming
    they were all read and found sound (the key and identity anyone can work out)."""
    from eng28 import __version__

    info = [*reviewscan.file_identity(log_of_home())]
    key = [__version__, len(raw), hashlib.sha256(raw).hexdigest()]
    summary().write_text(json.dumps({"key": key, "file": info, "ids": ""}))


def log_of_home() -> Path:
    return Path(os.environ["ENG28_HOME"]) / "reviews.jsonl"


@pytest.mark.parametrize(
    "line",
    [
        b'{"plan":"eng28","entry":\x1b]0;PWNED\x07}',
        b'{"plan":"eng28","entry":{"id":"x\x1b[31m","rating":3}}',
        b'{"plan":"eng28","entry":{"id":"\xff\xfe","rating":3}}',
        b'{"plan":"eng28","entry":{"id":"x","rating":3}',
        b'{"plan":"eng28","entry":{"id":"x","card":{"rating":3}}',
    ],
    ids=["an escape, not JSON", "an escape in a string", "not UTF-8", "cut short", "a card inside"],
)
def test_a_forged_summary_never_puts_the_logs_bad_bytes_on_the_terminal(studied, run, line):
    raw = log(studied).read_bytes()
    lines = raw.split(b"\n")
    lines[4] = line
    log(studied).write_bytes(b"\n".join(lines))
    forge(log(studied).read_bytes())
    result = run("export")
    assert result.exit_code == 1 and result.stdout == ""  # read whole: the line is named
    assert "reviews.jsonl: line 5" in result.stderr and "\x1b" not in result.stderr


def test_a_forged_summary_over_an_amended_bad_rating_is_no_unexpected_error(studied, run):
    raw = log(studied).read_bytes()
    lines = raw.split(b"\n")
    bad = json.loads(lines[4])
    bad["entry"]["rating"] = 9
    lines[4] = json.dumps(bad, separators=(",", ":")).encode()
    amend = {"plan": "eng28", "amend": bad["entry"]["id"], "note": "later"}
    lines.insert(-1, json.dumps(amend, separators=(",", ":")).encode())
    log(studied).write_bytes(b"\n".join(lines))
    forge(log(studied).read_bytes())
    result = run("export")
    assert result.exit_code == 1 and "reviews.jsonl: line 5" in result.stderr
    assert "unexpected" not in result.stderr


def test_a_forged_summary_cannot_file_a_rating_under_another_plan(studied, run, monkeypatch):
    raw = log(studied).read_bytes()
    lines = raw.split(b"\n")
    lines[4] = lines[4].replace(b'{"plan":"eng28",', b'{"plan":"other",', 1)
    log(studied).write_bytes(b"\n".join(lines))
    forge(log(studied).read_bytes())
    shown = json.loads(whole_state(run).stdout)["state"]["plans"]
    assert len(shown["other"]["reviews"]) == 1


def test_a_forged_summary_cannot_hide_an_amendment(studied, run, monkeypatch):
    old = entries(studied)[3]
    append(studied, {"plan": "eng28", "amend": old["id"], "note": "written later"})
    forge(log(studied).read_bytes())
    shown = json.loads(from_summary(run, monkeypatch).stdout)["state"]["plans"]["eng28"]
    assert shown["reviews"][3]["note"] == "written later"


def test_an_unchanged_log_is_not_hashed_again(studied, run, monkeypatch):
    kept = kept_then_used(run, monkeypatch)
    size = len(log(studied).read_bytes())
    assert kept["file"][2] == size
    hashed = hashed_sizes(monkeypatch)
    from_summary(run, monkeypatch)
    assert size not in hashed  # the state file's copy is hashed (it is small), not the log


def test_the_identity_of_a_log_changed_a_moment_ago_is_not_kept(studied, run, monkeypatch):
    # Another write within the file times' resolution would leave them as they are.
    monkeypatch.setattr(reviewscan, "SETTLED_NS", 3600 * 10**9)
    kept = kept_then_used(run, monkeypatch)
    assert kept["file"] is None


def test_a_log_edited_in_place_with_its_time_set_back_is_hashed(studied, run, monkeypatch):
    kept_then_used(run, monkeypatch)
    path = log(studied)
    info = path.stat()
    raw = path.read_bytes()
    at = raw.index(b'"rating":3')
    with path.open("r+b") as f:  # the same size, the same inode
        f.seek(at)
        f.write(b'"rating":4')
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    calls = []
    real = reviewscan.dumped
    monkeypatch.setattr(reviewscan, "dumped", lambda *a, **k: calls.append(1) or real(*a, **k))
    shown = json.loads(whole_state(run).stdout)["state"]["plans"]["eng28"]["reviews"]
    assert calls == [1] and 4 in {r["rating"] for r in shown}


def test_a_log_rewritten_since_is_read_whole(studied, run, monkeypatch):
    kept_then_used(run, monkeypatch)
    raw = log(studied).read_bytes()
    lines = raw.splitlines(keepends=True)
    log(studied).write_bytes(b"".join([lines[1], lines[0], *lines[2:]]))  # the same size
    calls = []
    real = reviewscan.dumped
    monkeypatch.setattr(reviewscan, "dumped", lambda *a, **k: calls.append(1) or real(*a, **k))
    whole_state(run)
    assert calls == [1]


@pytest.mark.parametrize(
    "edit",
    ["spaces after the colons", "a blank line", "no newline at the end", "keys in other order"],
)
def test_no_summary_of_a_log_in_another_form(studied, run, edit):
    raw = log(studied).read_bytes()
    first, rest = raw.split(b"\n", 1)
    line = json.loads(first)
    if edit == "spaces after the colons":
        first = json.dumps(line).encode()
    elif edit == "keys in other order":
        first = json.dumps({"entry": line["entry"], "plan": line["plan"]}, separators=(",", ":"))
        first = first.encode()
    log(studied).write_bytes(
        first + b"\n" + (b"\n" if edit == "a blank line" else b"") + rest
        if edit != "no newline at the end"
        else raw.rstrip(b"\n")
    )
    whole_state(run)
    assert not summary().exists()


def test_no_summary_without_a_cache_folder_and_no_error(studied, run, monkeypatch):
    monkeypatch.setattr(reviewscan, "_summary_path", lambda: os.devnull + "/none/here.json")
    whole_state(run)
    whole_state(run)


def test_an_export_whose_reader_goes_away_stops_quietly(studied):
    """`eng28 export | head -1`: no "unexpected BrokenPipeError", whichever path it takes."""
    import subprocess
    import sys

    for _ in ("a whole read", "from the summary"):
        child = subprocess.Popen(
            [sys.executable, "-m", "eng28", "export"],
            env={**os.environ, "ENG28_HOME": str(studied)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert child.stdout.read(1) == b"{"
        child.stdout.close()  # more than a pipe holds is still to come
        assert child.wait(timeout=60) == 1
        assert child.stderr.read() == b""
        child.stderr.close()
