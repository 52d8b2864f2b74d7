"""What arrives from an import, a sync remote or a hand-edited state file is held to the rules
of what the learner types: sizes, control characters, ISO moments, numbers, and no time stamp
from the future. Each refusal is one line naming the file and the key; nothing local changes."""

import json
import re
import shutil
import subprocess
import tomllib

import pytest
import tomli_w

from tests.conftest import setup

NOW = "2026-12-03T10:00"


def one_line_error(result, *parts):
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "unexpected" not in result.stderr
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1
    for part in parts:
        assert part in result.stderr, (part, result.stderr)


@pytest.fixture
def studied(run, home, use_mini):
    """Two days done, one reviewed with a note: every kind of value the state holds."""
    setup(run, "start", "2026-12-01", now="2026-12-01T08:00")
    setup(run, "done", "1", "-m", "queues", now="2026-12-01T10:00")
    setup(run, "done", "2", "-m", "interfaces", now="2026-12-02T10:00")
    setup(run, "review", "1", "--rating", "good", "-m", "recalled", now="2026-12-02T11:00")
    return home


def put(data, key, value):
    """Set the value at a dotted key ("days.1.reflection", "reviews.0.note") of a state."""
    *parents, last = key.split(".")
    for part in parents:
        data = data[int(part)] if isinstance(data, list) else data[part]
    data[int(last) if isinstance(data, list) else last] = value


#: Where the studied plan's progress sits in the state (schema 3 files progress per plan).
PLAN = "plans.mini-plan."
LATE = "2027-06-01T00:00:00+00:00"
WRITTEN = "2026-12-01T09:00:00+00:00"

# (what is wrong, the key it is at, the value put there, what the error says)
BAD_VALUES = [
    ("30 MB reflection", "days.1.reflection", "x" * 30_000_000,
     "the text is 30.0 MB; eng28 keeps up to 1 MB"),
    ("escape sequence in a reflection", "days.1.reflection", "\x1b[2Jgone",
     "control character ('\\x1b') at position 0"),
    ("NUL in an earlier reflection", "days.1.earlier", [{"text": "a\x00b", "written_at": WRITTEN}],
     "control character ('\\x00') at position 1"),
    ("bell in a note", "reviews.0.note", "ding\x07", "control character"),
    ("review_datetime 'soon-ish'", "reviews.0.review_datetime", "soon-ish",
     "not an ISO date and time"),
    ("due 'soon-ish'", "cards.1.due", "soon-ish", "not an ISO date and time"),
    ("last_review 'soon-ish'", "cards.1.last_review", "soon-ish", "not an ISO date and time"),
    ("due without an offset", "cards.1.due", "2026-12-09T04:00:00", "without a UTC offset"),
    ("due in the year 9999", "cards.1.due", "9999-12-31T00:00:00+00:00",
     "outside the years 1971 to 9000"),
    ("NaN stability", "cards.1.stability", float("nan"), "finite number"),
    ("negative difficulty", "cards.1.difficulty", -3.0, "greater than or equal to 0"),
]  # fmt: skip

FUTURE = [
    ("a day changed in 2027", "days.2.changed_at", LATE, "later than now"),
    ("a review in 2027", "reviews.0.review_datetime", LATE, "later than now"),
    ("a day changed in 9999", "days.2.changed_at", "9999-01-01T00:00:00Z", "outside the years"),
]  # fmt: skip

MANY = {str(n): {"changed_at": WRITTEN} for n in range(3, 20_003)}
TOO_MANY_DAYS = ("20,000 days", "days", {"1": {"changed_at": WRITTEN}, **MANY}, "")


def ids(case):
    return case[0] if isinstance(case, tuple) else None


# --- import -----------------------------------------------------------------------------


@pytest.mark.parametrize("case", [*BAD_VALUES, *FUTURE, TOO_MANY_DAYS], ids=ids)
def test_an_import_is_held_to_the_rules(run, studied, tmp_path, case):
    _, key, value, message = case
    export = json.loads(run("export", now=NOW).stdout)
    put(export["state"], PLAN + key, value)
    bad = tmp_path / "bad-export.json"
    bad.write_text(json.dumps(export))
    before = (studied / "state.toml").read_bytes()
    result = run("import", "--yes", str(bad), now=NOW)
    one_line_error(result, f"{bad}: ", f"'{PLAN}{key}", message)
    assert (studied / "state.toml").read_bytes() == before
    assert not list(studied.glob("state.before-import-*"))


def test_an_export_with_nan_literals_or_non_utf8_bytes_is_refused(run, studied, tmp_path):
    export = run("export", now=NOW).stdout
    bad = tmp_path / "nan.json"
    nan = re.sub(r'"stability": [0-9.e+-]+', '"stability": NaN', export, count=1)
    assert nan != export
    bad.write_text(nan)
    one_line_error(
        run("import", "--yes", str(bad), now=NOW), str(bad), f"'{PLAN}cards.1.stability'"
    )
    bad.write_bytes(export.replace("queues", "caf\xe9").encode("latin-1"))
    one_line_error(run("import", "--yes", str(bad), now=NOW), str(bad), "not UTF-8")


# --- the local state file ---------------------------------------------------------------


def in_log(key):
    """A review's key ("reviews.0.note") as the review log holds it: the line (counted from
    0) and the key within it."""
    if not key.startswith("reviews."):
        return None
    _, index, rest = key.split(".", 2)
    return int(index), "entry." + rest


def edit_log(text, index, key, value):
    lines = text.splitlines()
    line = json.loads(lines[index])
    put(line, key, value)
    lines[index] = json.dumps(line)
    return "\n".join(lines) + "\n"


def edit_state(home, key, value):
    """Put a bad value at `key` of the studied plan; returns the file it went to, and its
    bytes."""
    found = in_log(key.removeprefix(PLAN))
    if found is not None:
        path = home / "reviews.jsonl"
        path.write_text(edit_log(path.read_text(), *found, value))
        return path, path.read_bytes()
    path = home / "state.toml"
    data = tomllib.loads(path.read_text())
    put(data, key, value)
    path.write_bytes(tomli_w.dumps(data).encode())
    return path, path.read_bytes()


LOCAL = [case for case in BAD_VALUES if not case[0].startswith("30 MB")]


@pytest.mark.parametrize("case", LOCAL, ids=ids)
@pytest.mark.parametrize(
    "command",
    [
        ["today"],
        ["review", "--list"],
        ["review", "2", "--rating", "good"],
        ["stats"],
        ["export", "--format", "ics"],
        ["journal"],
    ],
    ids=" ".join,
)
def test_a_bad_value_in_the_state_file_is_named_not_a_traceback(run, studied, case, command):
    _, key, value, message = case
    path, before = edit_state(studied, PLAN + key, value)
    result = run(*command, now=NOW)
    found = in_log(key)
    where, shown = (
        ("reviews.jsonl: line 1: ", f"'{found[1]}") if found else ("state.toml: ", f"'{PLAN}{key}")
    )
    one_line_error(result, where, shown, message, "the file was left untouched")
    assert path.read_bytes() == before


# --- a sync remote ----------------------------------------------------------------------

pytestmark_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo, *args):
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture
def remote(run, studied, tmp_path, mini_plan):
    """The learner's state on a sync remote, and a second machine that pushes to it directly
    (as a newer, older or broken eng28 might)."""
    bare = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(bare)], check=True)
    setup(run, "sync", "init", str(bare), now=NOW)
    other = tmp_path / "other"
    subprocess.run(["git", "clone", "-q", "-b", "main", str(bare), str(other)], check=True)

    def push(name, data):
        (other / name).write_bytes(data)
        git(other, "add", name)
        git(other, "-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qm", "other")
        git(other, "push", "--quiet", "origin", "HEAD:main")
        return git(other, "rev-parse", "HEAD")[:8]

    return push, other


@pytestmark_git
@pytest.mark.parametrize("case", [*BAD_VALUES, *FUTURE, TOO_MANY_DAYS], ids=ids)
def test_a_remote_state_is_held_to_the_rules(run, studied, remote, case):
    push, other = remote
    _, key, value, message = case
    found = in_log(key)
    if found:
        # The remote keeps its log as one file per month; the studied home rated in one.
        (month,) = (p.relative_to(other).as_posix() for p in (other / "reviews").iterdir())
        edited = edit_log((other / month).read_text(), *found, value)
        commit = push(month, edited.encode())
        where, shown = f"remote {commit}:{month}: line 1: ", f"'{found[1]}"
        if "later than now" in message:  # checked once read: named by its key in the state
            where, shown = f"remote {commit}:reviews.jsonl: ", f"'{PLAN}{key}"
    else:
        data = tomllib.loads((other / "state.toml").read_text())
        put(data, PLAN + key, value)
        commit = push("state.toml", tomli_w.dumps(data).encode())
        where, shown = f"remote {commit}:state.toml: ", f"'{PLAN}{key}"
    before = {n: (studied / n).read_bytes() for n in ("state.toml", "reviews.jsonl", "config.toml")}
    result = run("sync", now=NOW)
    one_line_error(result, where, shown, message, "local state untouched")
    assert {n: (studied / n).read_bytes() for n in before} == before


@pytestmark_git
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("state.toml", b'schema_version = 2\n[days.1]\nreflection = "caf\xe9"\n', "not UTF-8"),
        ("config.toml", b'timezone = "Europe/Lond\xf6n"\n', "not UTF-8"),
        ("config.toml", b"grace_days = 99\n", "grace_days must be between 0 and 7, got 99"),
        ("config.toml", b"not [ toml", "invalid TOML"),
    ],
    ids=["state not UTF-8", "config not UTF-8", "config value", "config TOML"],
)
def test_a_broken_remote_file_is_named(run, studied, remote, name, data, message):
    push, _ = remote
    commit = push(name, data)
    before = {n: (studied / n).read_bytes() for n in ("state.toml", "config.toml")}
    one_line_error(run("sync", now=NOW), f"remote {commit}:{name}: ", message)
    assert {n: (studied / n).read_bytes() for n in before} == before


def test_stored_years_are_the_years_the_clock_accepts():
    from eng28 import clock, models

    assert models.YEARS == clock.YEARS  # models may not import the clock: kept in step here


def test_c1_controls_from_an_import_reach_the_terminal_escaped_in_json(
    run, tmp_path, use_mini, monkeypatch
):
    """A C1 control (U+009B is CSI on a terminal that reads UTF-8 C1 codes, U+009D OSC) is
    not a C0 control, so an import keeps it as text; `export` and `journal --format json`
    write it as a \\u escape: the same JSON value, never the raw character on the terminal.
    The second export takes its ratings from the log's bytes through the summary the first
    one left."""
    from eng28 import reviewscan

    monkeypatch.setattr(reviewscan, "SETTLED_NS", 0)
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "first", now="2026-12-01T20:00")
    setup(run, "review", "1", "--rating", "good", "-m", "a note", now="2026-12-02T21:00")
    data = json.loads(run("export", now="2026-12-03").stdout)
    mine = next(iter(data["state"]["plans"].values()))
    reflection, note = "title \x9d0;gone\x9c and \x9b2J", "note \x9b31mred"
    mine["days"]["1"]["reflection"], mine["reviews"][0]["note"] = reflection, note
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    setup(run, "import", str(hostile), "--yes", now="2026-12-03")
    for _ in range(2):
        out = run("export", now="2026-12-03").stdout_bytes
        assert re.search(rb"\xc2[\x80-\x9f]", out) is None
        back = next(iter(json.loads(out)["state"]["plans"].values()))
        assert (back["days"]["1"]["reflection"], back["reviews"][0]["note"]) == (reflection, note)
    journal = run("journal", "--format", "json", now="2026-12-03").stdout_bytes
    assert b"\\u009b2J" in journal and re.search(rb"\xc2[\x80-\x9f]", journal) is None
    assert json.loads(journal)[0]["reflection"] == reflection
