"""The history readers read less than the whole review log where they can (`journal` only
the lines that may carry a note, `export --format ics` only the recent part) and print
exactly what reading all of it gives, whatever the log holds."""

import json
from pathlib import Path

import pytest

from eng28 import files, paths, reviewscan
from eng28.errors import Eng28Error
from eng28.usecases.context import Context
from tests.unit.log_lines import a_rating, amend_and_add_a_plan, append, entries, log


def whole_log(monkeypatch):
    """Make `journal` read the whole log, as it did before it skipped lines."""
    monkeypatch.setattr(reviewscan, "noted", lambda raw, where: None)


def both(run, monkeypatch, *args):
    """What a command prints reading less, and reading the whole log."""
    fast = run(*args)
    with monkeypatch.context() as m:
        whole_log(m)
        slow = run(*args)
    return fast, slow


def same_journal(run, monkeypatch):
    """The journal (JSON and Markdown) as reading the whole log gives it; its data."""
    shown = {}
    for form in ("json", "md"):
        fast, slow = both(run, monkeypatch, "journal", "--format", form)
        shown[form] = (fast.exit_code, fast.stdout, fast.stderr)
        assert shown[form] == (slow.exit_code, slow.stdout, slow.stderr)
    code, out, _ = shown["json"]
    return json.loads(out) if code == 0 else None


def notes_shown(data):
    return [(e["day"], f["note"]) for e in data for f in e["follow_ups"]]


def test_notes_given_with_ratings_and_later(studied, run, monkeypatch):
    old = entries(studied)[3]
    append(
        studied,
        a_rating(studied, "2026-12-01T08:00:00+00:00", note='saw it "twice" \\ here\nand there'),
        a_rating(studied, "2026-12-01T08:00:01+00:00", card="2:q", note='"note":"" is text'),
        a_rating(studied, "2026-12-01T08:00:02+00:00", card="lc:4", note="ünïcode ✓"),
        a_rating(studied, "2026-12-01T08:00:03+00:00", card="5"),
        {"plan": "eng28", "amend": old["id"], "note": "added days later"},
        {"plan": "eng28", "amend": "5@2026-12-01T08:00:03+00:00", "note": "an afterthought"},
    )
    data = same_journal(run, monkeypatch)
    day = int(old["card"].removeprefix("lc:").split(":")[0])
    assert (day, "added days later") in notes_shown(data)
    assert (5, "an afterthought") in notes_shown(data)
    assert (3, 'saw it "twice" \\ here\nand there') in notes_shown(data)


def test_notes_changed_cleared_or_undone(studied, run, monkeypatch):
    append(
        studied,
        a_rating(studied, "2026-12-01T08:00:00+00:00", note="first"),
        a_rating(studied, "2026-12-01T08:00:01+00:00", card="4", note="second"),
        a_rating(studied, "2026-12-01T08:00:02+00:00", card="6", note="third"),
        {"plan": "eng28", "amend": "3@2026-12-01T08:00:00+00:00", "note": "first, again"},
        {"plan": "eng28", "amend": "4@2026-12-01T08:00:01+00:00", "note": ""},
        {"plan": "eng28", "amend": "6@2026-12-01T08:00:02+00:00",
         "undone_at": "2026-12-01T09:00:00+00:00"},
        {"plan": "eng28", "amend": entries(studied)[0]["id"],
         "undone_at": "2026-12-01T09:00:00+00:00"},
    )  # fmt: skip
    data = same_journal(run, monkeypatch)
    assert (3, "first, again") in notes_shown(data)
    assert not {"first", "second", "third"} & {n for _, n in notes_shown(data)}


def test_an_undone_rating_given_a_note_later_stays_out(studied, run, monkeypatch):
    old = entries(studied)[7]["id"]
    append(
        studied,
        {"plan": "eng28", "amend": old, "undone_at": "2026-12-01T09:00:00+00:00"},
        {"plan": "eng28", "amend": old, "note": "too late"},
    )
    assert "too late" not in {n for _, n in notes_shown(same_journal(run, monkeypatch))}


def test_other_plans_notes_stay_out(studied, run, monkeypatch):
    old = entries(studied)[2]
    append(
        studied,
        a_rating(studied, "2026-12-01T08:00:00+00:00", plan="other-plan", note="not mine"),
        {"plan": "other-plan", "entry": dict(old, note="")},  # the same id in another plan
        {"plan": "other-plan", "amend": old["id"], "note": "nor this"},
        {"plan": "other-plan", "amend": "3@2026-12-01T08:00:00+00:00", "note": "nor that"},
    )
    shown = {n for _, n in notes_shown(same_journal(run, monkeypatch))}
    assert not {"not mine", "nor this", "nor that"} & shown


@pytest.mark.parametrize(
    "line",
    [
        b'{"plan":"eng28","amend":"9@2026-12-01T08:00:00+00:00","note":"for no rating"}\n',
        b'{"plan":"eng28","amend":"9@2026-12-01T08:00:00+00:00",'
        b'"undone_at":"2026-12-01T09:00:00+00:00"}\n',
        b'{"plan":"eng28","entry":{"id":"x","card_id":1,"rating":9,"note":"bad",'
        b'"review_datetime":"2026-12-01T08:00:00+00:00"}}\n',
        b'{"plan": "eng28", "entry": {"id": "x", "note": "spaced"}}\n',
        b"not json at all\n",
        b'{"plan":"eng28","ent',  # cut short by a crash: ignored
    ],
    ids=[
        "note for no rating",
        "undo of no rating",
        "bad rating with a note",
        "spaced",
        "not json",
        "cut short",
    ],
)
def test_a_bad_line_reads_as_without_skipping(studied, run, monkeypatch, line):
    with log(studied).open("ab") as f:
        f.write(line)
    same_journal(run, monkeypatch)


def test_an_undo_of_a_rating_without_a_note_reads_as_without_skipping(studied, run, monkeypatch):
    quiet = next(e for e in entries(studied) if not e.get("note"))
    undo = {"plan": "eng28", "amend": quiet["id"], "undone_at": "2026-12-01T09:00:00+00:00"}
    append(studied, undo)
    assert same_journal(run, monkeypatch) is not None


def test_a_key_spelt_with_an_escape_is_read(studied, run, monkeypatch):
    entry = a_rating(studied, "2026-12-01T08:00:00+00:00")["entry"]
    text = json.dumps({"plan": "eng28", "entry": entry}, separators=(",", ":"))
    text = text.replace('"note":""', '"note":"","no\\u0074e":"hidden"')
    with log(studied).open("ab") as f:
        f.write(text.encode() + b"\n")
    same_journal(run, monkeypatch)


def test_a_rating_there_twice_once_with_a_note(studied, run, monkeypatch):
    """The one case the journal reads as the whole log does not: a line it skips (a rating
    without a note) is not checked, so a rating copied by hand with a note added shows its
    note; every command that reads the whole log names the line."""
    first = entries(studied)[0]
    append(studied, {"plan": "eng28", "entry": dict(first, note="now with a note")})
    shown = run("journal", "--format", "json")
    assert shown.exit_code == 0 and "now with a note" in shown.stdout
    whole_log(monkeypatch)
    for args in (("journal",), ("export",)):
        result = run(*args)
        assert result.exit_code == 1 and f"review {first['id']} is there twice" in result.stderr


def test_the_calendar_is_the_one_the_whole_state_gives(studied, run, monkeypatch):
    """Today's ratings count against the daily limit; older ones play no part."""
    run("config", "review_daily_limit", "3")
    append(
        studied,
        a_rating(studied, "2026-12-01T08:00:00+00:00"),
        a_rating(studied, "2026-12-01T08:00:01+00:00", card="4"),
    )
    fast = run("export", "--format", "ics")
    real = Context.load_state
    monkeypatch.setattr(Context, "load_state", lambda self, history=True: real(self, True))
    slow = run("export", "--format", "ics")
    assert fast.exit_code == 0 and fast.stdout == slow.stdout
    assert "BEGIN:VEVENT" in fast.stdout


def same_export(run, *args):
    """`eng28 export` prints, as data, what the whole state read at once gives."""
    from eng28.usecases.context import open_context
    from eng28.usecases.reports import export_data

    result = run("export", *args)
    assert result.exit_code == 0, result.stderr
    plan_id = args[1] if args else None
    assert json.loads(result.stdout) == export_data(open_context(), plan_id)
    return json.loads(result.stdout)


@pytest.fixture(params=["as kept", "chunked and compressed"])
def chunks(request, monkeypatch):
    """Ratings kept plain (a year's), or in chunks of 7 compressed from the first (as two
    years' are past their first 16 MB)."""
    if request.param != "as kept":
        monkeypatch.setattr(reviewscan.Dumps, "SIZE", 7)
        monkeypatch.setattr(reviewscan.Dumps, "PLAIN", 0)


def test_the_export_is_the_whole_state_with_amendments_and_other_plans(studied, run, chunks):
    old = amend_and_add_a_plan(studied, note="x" * 600_000)
    append(studied, {"plan": "eng28", "amend": "3@2026-12-01T08:00:00+00:00", "note": ""})
    data = same_export(run)
    assert set(data["state"]["plans"]) == {"eng28", "only-in-the-log"}
    mine = data["state"]["plans"]["eng28"]["reviews"]
    amended = next(e for e in mine if e["id"] == old["id"])
    assert amended["note"] == "later" and amended["undone_at"].startswith("2026-12-01T09:00")
    assert len(mine) == len(entries(studied))
    assert same_export(run, "--plan-id", "only-in-the-log")["state"]["plans"].keys() == {
        "only-in-the-log"
    }


def test_an_export_imports_back(studied, run, tmp_path):
    before = same_export(run)
    saved = tmp_path / "export.json"
    saved.write_text(run("export").stdout)
    assert run("import", str(saved), "--yes").exit_code == 0
    after = json.loads(run("export").stdout)
    assert after["state"] == before["state"]


def test_an_import_of_every_plan_the_log_holds_reads_none_of_its_ratings(studied, run, tmp_path):
    """The import replaces every rating here, so none is read: an old line damaged by hand
    (which every whole read names) is no reason to refuse it, and it is kept in the copy."""
    before = same_export(run)
    saved = tmp_path / "export.json"
    saved.write_text(run("export").stdout)
    raw = log(studied).read_bytes()
    lines = raw.splitlines(keepends=True)
    damaged = b"".join([*lines[:100], b'{"plan":"eng28","entry":{"id":"cut\n', *lines[100:]])
    log(studied).write_bytes(damaged)
    assert "reviews.jsonl: line 101" in run("stats").stderr
    result = run("import", str(saved), "--yes")
    assert result.exit_code == 0, result.stderr
    assert json.loads(run("export").stdout)["state"] == before["state"]
    (copy,) = studied.glob("state.before-import-*.reviews.jsonl")
    assert copy.read_bytes() == damaged


def test_only_of_tells_a_log_of_those_plans_alone():
    one = b'{"plan":"a","entry":{"id":"1"}}\n{"plan":"a","amend":"1","note":"x"}\n'
    two = one + b'{"plan":"b-c","entry":{"id":"2"}}\n'
    assert reviewscan.only_of(b"", ["a"])
    assert reviewscan.only_of(one, ["a"]) and reviewscan.only_of(two, ["a", "b-c"])
    assert not reviewscan.only_of(two, ["a"])  # b-c's rating
    assert not reviewscan.only_of(one.replace(b'"a"', b'"ab"', 1), ["a"])
    assert not reviewscan.only_of(one + b"\n", ["a"])  # a blank line
    assert not reviewscan.only_of(one.rstrip(b"\n"), ["a"])  # no newline at the end
    assert not reviewscan.only_of(one.replace(b'{"plan":"a"', b'{"plan": "a"', 1), ["a"])
    # The parser keeps the last of a key given twice, however it is spelt.
    assert not reviewscan.only_of(one.replace(b'"a",', b'"a","plan":"keep",', 1), ["a"])
    assert not reviewscan.only_of(one.replace(b'"a",', b'"a","pl\\u0061n":"keep",', 1), ["a"])


def test_only_of_reads_a_log_in_blocks_of_lines_as_it_reads_it_whole(tmp_path):
    """Each case of the test above, from the file a few bytes at a time (files.line_blocks,
    as an import scans a year's log without holding it)."""
    one = b'{"plan":"a","entry":{"id":"1"}}\n{"plan":"a","amend":"1","note":"x"}\n'
    two = one + b'{"plan":"b-c","entry":{"id":"2"}}\n'
    cases = [
        b"",
        one,
        two,
        one + b"\n",
        one.rstrip(b"\n"),
        one.replace(b'"a",', b'"a","plan":"k",'),
    ]
    path = tmp_path / "log"
    for raw in cases:
        path.write_bytes(raw)
        for size in (1, 7, 40, 1 << 20):
            blocks = list(files.line_blocks(path, "review log", Eng28Error, size=size))
            assert b"".join(blocks) == raw
            assert all(block.endswith(b"\n") for block in blocks[:-1])
            for plans in (["a"], ["a", "b-c"]):
                assert reviewscan.only_of(iter(blocks), plans) == reviewscan.only_of(raw, plans)
    assert list(files.line_blocks(tmp_path / "none", "review log", Eng28Error)) == []


def test_an_import_saves_the_other_plans_from_the_state_file_never_its_copy(studied, run, tmp_path):
    other = tmp_path / "other.toml"
    for args in (("plan", "new", str(other), "--days", "2", "--title", "Other"),
                 ("--plan", str(other), "today"),
                 ("--plan", str(other), "done", "1", "-m", "my true words")):  # fmt: skip
        assert run(*args).exit_code == 0
    saved = tmp_path / "export.json"
    saved.write_text(run("export", "--plan-id", "eng28").stdout)
    copy = Path(paths.cache_dir()) / "state.json"
    kept = json.loads(copy.read_text())
    kept["data"]["plans"]["other"]["days"]["1"]["reflection"] = "A LIE FROM THE CACHE"
    copy.write_text(json.dumps(kept))  # its key still that of the file's bytes
    assert run("import", str(saved), "--yes").exit_code == 0
    shown = run("--plan", str(other), "journal").stdout
    assert "my true words" in shown and "A LIE" not in shown


def test_plans_only_in_the_log_are_exported_in_the_logs_order(studied, run):
    import os
    import subprocess
    import sys

    names = ["kiwi", "apple", "mango", "fig", "pear"]
    append(studied, *[
        a_rating(studied, f"2026-12-01T08:00:0{n}+00:00", plan=name) for n, name in enumerate(names)
    ])  # fmt: skip
    shown = []
    for seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "ENG28_HOME": str(studied)}
        done = subprocess.run(
            [sys.executable, "-m", "eng28", "export"], env=env, capture_output=True, check=True
        )
        shown.append(done.stdout)
    assert len(set(shown)) == 1
    assert list(json.loads(shown[0])["state"]["plans"]) == ["eng28", *names]


def test_an_export_without_a_log_or_ratings(home, run):
    assert run("start").exit_code == 0
    assert same_export(run)["state"]["plans"]["eng28"]["reviews"] == []
    log(home).write_bytes(b"")
    same_export(run)


@pytest.mark.parametrize(
    "line",
    [
        b'{"plan":"eng28","amend":"9@2026-12-01T08:00:00+00:00","note":"for no rating"}\n',
        b'{"plan":"eng28","entry":{"id":"x","card_id":1,"rating":9,'
        b'"review_datetime":"2026-12-01T08:00:00+00:00"}}\n',
        b"not json at all\n",
    ],
    ids=["amend of nothing", "bad rating", "not json"],
)
def test_a_bad_log_is_named_and_nothing_printed(studied, run, line):
    first = entries(studied)[0]
    with log(studied).open("ab") as f:
        f.write(line)
    result = run("export")
    assert result.exit_code == 1 and result.stdout == ""
    assert "reviews.jsonl: line" in result.stderr
    log(studied).write_bytes(log(studied).read_bytes()[: -len(line)])
    append(studied, {"plan": "eng28", "entry": first})
    assert "is there twice" in run("export").stderr


def test_a_line_cut_short_is_left_out_of_the_export(studied, run):
    with log(studied).open("ab") as f:
        f.write(b'{"plan":"eng28","entry":{"id":"cut')
    same_export(run)


def icalendar_reference(ctx) -> bytes:
    """The calendar as the icalendar library writes it (how `ics` wrote it before it wrote
    iCalendar text itself), from the whole state."""
    from datetime import UTC, timedelta

    from icalendar import Calendar, Event

    from eng28.usecases import ics
    from eng28.usecases.schedule import due_cards, schedule, upcoming_cards

    state = ctx.load_state()
    key = ics._plan_key(ctx.plan.title)
    stamp = ctx.now.astimezone(UTC)
    cal = Calendar()
    cal.add("prodid", "-//eng28//study plan//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", ctx.plan.title)
    for slot in schedule(ctx, state):
        if slot.date is None:
            continue
        day, track = ctx.plan.day(slot.number), ctx.plan.track(ctx.plan.day(slot.number).track)
        event = Event()
        event.add("uid", f"eng28-{key}-day-{day.slug}@eng28")
        event.add("summary", f"eng28 Day {slot.number:02d}: {day.title}")
        event.add("dtstart", slot.date)
        event.add("dtend", slot.date + timedelta(days=1))
        event.add("dtstamp", stamp)
        event.add("description", ics._description(day, ctx.plan.total, track))
        event.add("categories", [track.name])
        if day.video:
            event.add("url", day.video.url)
        cal.add_component(event)
    for card in due_cards(ctx, state) + upcoming_cards(ctx, state, days=36500):
        event = Event()
        event.add("uid", f"eng28-{key}-review-{ctx.plan.day(card.day).slug}@eng28")
        event.add("summary", f"eng28 review: Day {card.day:02d} {card.title}")
        when = max(card.due, ctx.today)
        event.add("dtstart", when)
        event.add("dtend", when + timedelta(days=1))
        event.add("dtstamp", stamp)
        event.add("description", f"Recall your reflection on day {card.day}, then: eng28 review")
        cal.add_component(event)
    return cal.to_ical()


def same_calendar(run):
    from icalendar import Calendar

    from eng28.usecases.context import open_context

    result = run("export", "--format", "ics")
    assert result.exit_code == 0, result.stderr
    mine, theirs = result.stdout_bytes, icalendar_reference(open_context())
    assert Calendar.from_ical(mine).to_ical() == Calendar.from_ical(theirs).to_ical()
    assert all(len(line) <= 75 for line in mine.split(b"\r\n"))
    assert mine.endswith(b"END:VCALENDAR\r\n") and b"\n" not in mine.replace(b"\r\n", b"")
    return mine, theirs


def test_the_calendar_holds_what_icalendar_would_write(studied, run):
    mine, theirs = same_calendar(run)
    assert mine == theirs  # folded at the same places, too


def test_text_that_needs_escaping_and_folding(use_mini, run):
    import tomllib

    import tomli_w

    plan = tomllib.loads(use_mini.read_text())
    day = plan["days"][0]
    day["title"] = 'Queues; back\\pressure, "quoted" — ünïcødé ✓ ' + "ø" * 40 + "\\" * 30
    day["summary"] = "Line one, with; marks\r\nline two\n\n" + "é" * 100 + " ^^^^\\\\" * 9
    plan["tracks"][0]["name"] = "Systems, Design; and\\ more"
    use_mini.write_text(tomli_w.dumps(plan))
    started = run("start", "2026-12-01")
    assert started.exit_code == 0, started.stderr
    assert run("done", "1", "-m", "x").exit_code == 0
    mine, theirs = same_calendar(run)
    assert mine == theirs
    assert "ünïcødé".encode() in mine.replace(b"\r\n ", b"")
