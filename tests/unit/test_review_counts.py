"""`eng28 stats` counts the review log's ratings from a summary of its first N bytes and the
lines after them (usecases.tally): whatever the summary, the log and the config hold, the
counts are those of the whole log read afresh, and `stats` prints what it printed before."""

import json
import os
from pathlib import Path

import pytest

from eng28 import paths, reviewlog, reviewscan
from eng28.usecases import tally as tally_module
from eng28.usecases.context import open_context
from eng28.usecases.tally import tally, tally_of
from tests.unit.log_lines import a_rating, append, entries, hashed_sizes, log


@pytest.fixture(autouse=True)
def settled_at_once(monkeypatch):
    """The test's log was written a moment ago: its identity is kept all the same (see
    reviewscan.SETTLED_NS, and the test that holds it)."""
    monkeypatch.setattr(reviewscan, "SETTLED_NS", 0)


def whole(ctx=None):
    """The counts of the whole log, read through the state as every history reader reads it."""
    ctx = ctx or open_context()
    return tally_of(ctx, ctx.load_state().reviews)


def summary():
    return Path(paths.cache_dir()) / tally_module.SUMMARY_NAME


def no_whole_read(monkeypatch):
    """Make reading the whole log fail (reading its recent part, as `today` does, still
    works), to see that the counts came from the summary."""
    real = reviewlog.parse

    def parse(raw, where, *rest, **options):
        if not rest and not options:
            raise AssertionError("the whole log was read")
        return real(raw, where, *rest, **options)

    monkeypatch.setattr(reviewlog, "parse", parse)


def test_the_summary_is_written_then_used_with_the_same_counts(studied, run, monkeypatch):
    before = run("stats", "--json").stdout
    expected = whole()
    assert summary().exists()
    assert tally(open_context()) == expected
    no_whole_read(monkeypatch)
    assert tally(open_context()) == expected
    assert run("stats", "--json").stdout == before


def test_stats_shows_what_the_whole_log_gives(studied, run, monkeypatch):
    """The counts reach the screen as the full computation's do: the JSON figures match a
    count made here from the log's lines."""
    kept = entries(studied)
    data = json.loads(run("stats", "--json").stdout)
    assert data["reviews"] == len(kept)
    assert data["retention"] == sum(1 for e in kept if e["rating"] > 1) / len(kept)
    again = json.loads(run("stats", "--json").stdout)  # from the summary this time
    assert again == data


def test_new_ratings_past_the_summary_are_counted(studied, run, monkeypatch):
    tally(open_context())
    append(
        studied,
        a_rating(studied, "2026-12-01T08:00:00+00:00", rating=1),
        a_rating(studied, "2026-12-01T08:00:07+00:00", rating=4, card="lc:2"),
        a_rating(studied, "2026-12-01T08:01:00+00:00", rating=2, card="2:x", note="hm"),
    )
    expected = whole()
    no_whole_read(monkeypatch)
    assert tally(open_context()) == expected


def test_an_undo_or_a_note_past_the_summary(studied):
    ctx = open_context()
    tally(ctx)
    old = entries(studied)[5]["id"]
    append(
        studied,
        a_rating(studied, "2026-12-01T08:00:00+00:00"),
        {"plan": "eng28", "amend": "3@2026-12-01T08:00:00+00:00",
         "undone_at": "2026-12-01T09:00:00+00:00"},
    )  # fmt: skip
    assert tally(open_context()) == whole()  # the undo of a rating past N: counted alone
    append(studied, {"plan": "eng28", "amend": old, "note": "a note, later"})
    assert tally(open_context()) == whole()
    append(studied, {"plan": "eng28", "amend": old, "undone_at": "2026-12-01T09:30:00+00:00"})
    counts = tally(open_context())  # an older rating undone: the whole log is read
    assert counts == whole() and sum(counts.cards.values()) == len(entries(studied)) - 2


def test_other_plans_in_the_log_count_for_nothing(studied, run):
    before = run("stats", "--json").stdout
    append(
        studied,
        a_rating(studied, "2026-12-01T08:00:00+00:00", plan="other-plan"),
        {"plan": "other-plan", "amend": "3@2026-12-01T08:00:00+00:00", "note": "x"},
    )
    assert run("stats", "--json").stdout == before
    assert tally(open_context()) == whole()
    os.remove(summary())
    assert run("stats", "--json").stdout == before


@pytest.mark.parametrize(
    ("key", "value"), [("rollover_hour", "9"), ("rollover_hour", "0"), ("timezone", "Asia/Kolkata")]
)
def test_a_changed_rollover_or_zone_counts_afresh(studied, run, key, value):
    run("stats")
    assert run("config", key, value).exit_code == 0
    ctx = open_context()
    assert tally(ctx) == whole(ctx)
    fresh = run("stats", "--json").stdout
    os.remove(summary())
    assert run("stats", "--json").stdout == fresh


def test_the_study_dates_of_an_hour_or_a_minute_are_those_of_its_moments(studied, run):
    """One conversion an hour (or a minute), except where the zone's offset changes inside
    it (a DST change) or is not whole hours (or minutes): the counts of `stats` and the due
    dates of the cards are those of each moment converted on its own."""
    from eng28 import review
    from eng28.models import CardRecord
    from eng28.usecases.schedule import StudyDates, study_date_of

    days = ("2026-03-29", "2026-10-25", "2026-06-01", "1971-06-01")  # 1971: -0:44:30 in Monrovia
    moments = [f"{d}T{h}:{mm}:{s}+00:00" for d in days for h in ("00", "01", "02", "23")
               for mm in ("00", "29", "44", "59") for s in ("00", "29", "30", "59")]  # fmt: skip
    moments += [m.replace("+00:00", ".250000+00:00") for m in moments[::7]]
    zones = ("Europe/Berlin", "Africa/Monrovia", "Australia/Lord_Howe", "America/St_Johns")
    for zone in (*zones, "Asia/Kolkata", "UTC"):
        run("config", "timezone", zone)
        for hour in (0, 1, 2, 23):
            run("config", "rollover_hour", str(hour))
            ctx = open_context()
            expected = {}
            for m in moments:
                when = study_date_of(ctx, m)
                expected[when] = expected.get(when, 0) + 1
            assert tally_module.study_dates(ctx, moments) == expected
            dates = StudyDates(ctx.zone, hour)
            for m in moments:
                card = CardRecord(card_id=1, state=2, due=m)
                assert dates.of(m) == review.due_date(card, ctx.zone, hour), (zone, hour, m)


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: b"\x00garbage",
        lambda d: b"",
        lambda d: d[: len(d) // 2],
        lambda d: json.dumps([1, 2]).encode(),
        lambda d: _edit(d, "dates", {"2026-02-30": 5}),
        lambda d: _edit(d, "dates", {"\x1b[31m": 5}),
        lambda d: _edit(d, "dates", {"2026-11-03": -5}),
        lambda d: _edit(d, "dates", {"2026-11-03": True}),
        lambda d: _edit(d, "cards", [[3, "reflection", 3, 1.5]]),
        lambda d: _edit(d, "cards", [[3, "reflection", 9, 1]]),
        lambda d: _edit(d, "cards", [[3, "__import__('os')", 3, 1]]),
        lambda d: _edit(d, "cards", [[3, "reflection", 3, 1], [3, "reflection", 3, 1]]),
        lambda d: _edit(d, "cards", {"3": 1}),
        lambda d: _edit(d, "ids", "zz"),
        lambda d: _edit(d, "extra", 1),
        lambda d: _edit(d, "key", ["0", "eng28", 4, "UTC", 10, "0" * 64]),
        lambda d: _edit(d, "key", None),
        lambda d: _edit(d, "file", "x"),
        lambda d: _edit(d, "file", [0, 0, 0, 0, 0]),
    ],
)
def test_a_damaged_or_hostile_summary_is_ignored(studied, run, damage):
    before = run("stats", "--json").stdout
    summary().write_bytes(damage(summary().read_bytes()))
    assert tally(open_context()) == whole()
    result = run("stats")
    assert result.exit_code == 0 and "\x1b" not in result.stdout
    assert run("stats", "--json").stdout == before


def _edit(raw, key, value):
    data = json.loads(raw)
    data[key] = value
    return json.dumps(data).encode()


def test_an_unchanged_log_is_not_hashed_again(studied, run, monkeypatch):
    before = run("stats", "--json").stdout
    size = len(log(studied).read_bytes())
    assert json.loads(summary().read_text())["file"][2] == size
    hashed = hashed_sizes(monkeypatch)
    no_whole_read(monkeypatch)
    assert run("stats", "--json").stdout == before
    assert size not in hashed


def test_an_unchanged_log_is_not_read_again(studied, run, monkeypatch):
    from eng28 import files

    before = run("stats", "--json").stdout
    read = []
    real = files.read_bytes

    def read_bytes(path, *args, **kwargs):
        read.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(files, "read_bytes", read_bytes)
    assert run("stats", "--json").stdout == before
    assert tally_module.SUMMARY_NAME in read and log(studied).name not in read
    append(studied, a_rating(studied, "2026-12-01T08:00:00+00:00", rating=1))  # read again:
    assert run("stats", "--json").stdout != before
    assert log(studied).name in read


def test_a_log_changed_a_moment_ago_is_read_whatever_its_summary(studied, run, monkeypatch):
    """Another write within the file times' resolution would leave its identity as it was:
    the summary keeps none, so the log is read (and hashed) each time."""
    from eng28 import files

    monkeypatch.setattr(reviewscan, "SETTLED_NS", 3600 * 10**9)
    before = run("stats", "--json").stdout
    assert json.loads(summary().read_text())["file"] is None
    read = []
    real = files.read_bytes
    monkeypatch.setattr(
        files,
        "read_bytes",
        lambda path, *a, **k: read.append(Path(path).name) or real(path, *a, **k),
    )
    hashed = hashed_sizes(monkeypatch)
    assert run("stats", "--json").stdout == before
    assert log(studied).name in read and len(log(studied).read_bytes()) in hashed


def test_a_log_edited_in_place_with_its_time_set_back_is_counted_afresh(studied, run):
    before = json.loads(run("stats", "--json").stdout)
    path = log(studied)
    info = path.stat()
    raw = path.read_bytes()
    with path.open("r+b") as f:  # the same size, the same inode, the same modification time
        f.write(raw.replace(b'"rating":3', b'"rating":1', 50))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    after = json.loads(run("stats", "--json").stdout)
    assert after["retention"] < before["retention"] and tally(open_context()) == whole()


def test_a_summary_of_other_bytes_is_never_used(studied, run):
    """A log rewritten (a sync, an import) with other ratings in the same place."""
    before = json.loads(run("stats", "--json").stdout)
    raw = log(studied).read_bytes()
    log(studied).write_bytes(raw.replace(b'"rating":3', b'"rating":1', 50))
    after = json.loads(run("stats", "--json").stdout)
    assert after["retention"] < before["retention"] and tally(open_context()) == whole()


def test_a_rating_there_twice_past_the_summary_is_an_error_as_without_one(studied, run):
    run("stats")
    first = entries(studied)[0]
    append(studied, {"plan": "eng28", "entry": first})
    with_summary = run("stats")
    os.remove(summary())
    without = run("stats")
    assert with_summary.exit_code == without.exit_code == 1
    assert with_summary.stderr == without.stderr
    assert f"review {first['id']} is there twice" in without.stderr


def test_a_bad_line_past_the_summary_is_named_as_without_one(studied, run):
    run("stats")
    with log(studied).open("ab") as f:
        f.write(b'{"plan": "eng28", "entry": {"id": "x"}}\n')
    with_summary = run("stats")
    os.remove(summary())
    assert with_summary.exit_code == 1 and with_summary.stderr == run("stats").stderr
    assert "reviews.jsonl: line" in with_summary.stderr


def test_a_line_cut_short_at_the_end_is_ignored_as_without_a_summary(studied, run):
    before = run("stats", "--json").stdout
    with log(studied).open("ab") as f:
        f.write(b'{"plan": "eng28", "ent')
    assert run("stats", "--json").stdout == before
    assert tally(open_context()) == whole()


def test_a_file_from_before_the_log_counts_its_own_ratings(studied, run):
    """A schema-4 state keeps its ratings inline until it is saved anew: those count."""
    import tomli_w

    from tests.helpers import state_file

    before = run("stats", "--json").stdout
    data = state_file(studied / "state.toml")
    data["schema_version"] = 4
    data.pop("log_folded", None)
    (studied / "state.toml").write_text(tomli_w.dumps(data))
    log(studied).write_bytes(b"")  # a log beside it is not the file's
    assert run("stats", "--json").stdout == before


def test_an_update_of_a_configured_zones_rules_counts_afresh(tmp_path):
    """The key holds where a configured zone's rules come from: a zone file updated (a new
    tzdata) makes a summary stale, as a changed name does."""
    import shutil
    import zoneinfo

    found = [os.path.join(d, "Europe/Berlin") for d in zoneinfo.TZPATH]
    source = next((f for f in found if os.path.isfile(f)), None)
    if source is None:
        pytest.skip("no system zone files")
    (tmp_path / "Europe").mkdir()
    shutil.copy(source, tmp_path / "Europe" / "Berlin")
    zoneinfo.reset_tzpath([str(tmp_path)])
    try:
        first = tally_module._named_zone("Europe/Berlin")
        os.utime(tmp_path / "Europe" / "Berlin", ns=(1, 1))
        assert tally_module._named_zone("Europe/Berlin") != first
        assert first[0] == "Europe/Berlin" and tally_module._named_zone("Asia/Kolkata") != first
    finally:
        zoneinfo.reset_tzpath()
