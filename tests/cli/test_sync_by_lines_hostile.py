"""Remotes and histories an independent review of the merge by lines found it got wrong (a
traceback, a month out of time order, a line there twice taken, a card not replayed, a
remote of schema 4 read by lines, the size limit and the clock checked on part of the log,
errors in another order, a note not written back as read), and the ones it checked and found
fine. Each story runs by lines and with the merge by lines off (`twice`), which must leave
the same files and say the same; every one of the first kind failed on the code before."""

import json
import types

import pytest

from tests.cli.test_sync_by_lines import month_lines, twice

pytestmark = pytest.mark.skipif(__import__("shutil").which("git") is None, reason="no git")


def edit_month(folder, fn, month="2026-12"):
    path, lines = month_lines(folder, month)
    path.write_text("".join(fn(lines)))


# A remote rating whose id holds a quote (or a backslash), which ReviewEntry.id allows:
# the line merge validates it, merges, then Lines.months sorts the month with _order, whose
# regex cannot read an escaped id, and raises Declined outside any handler: a traceback.
# The whole path syncs it.
@pytest.mark.parametrize("odd", ['2@x"y', "2@x\\y"])
def test_quote_id(tmp_path, run, mini_plan, monkeypatch, odd):
    def add(lines):
        e = json.loads(lines[1])
        e["entry"]["id"] = odd
        e["entry"]["review_datetime"] = "2026-12-02T12:00:00+00:00"
        return [*lines, json.dumps(e, separators=(",", ":")) + "\n"]

    def story(w):
        w.foreign(lambda f: edit_month(f, add))
        return [w.on("laptop", "sync", now="2026-12-03T21:00").output]

    twice(tmp_path, run, mini_plan, monkeypatch, story)


def test_quote_id_in_head_then_a_rating_here(tmp_path, run, mini_plan, monkeypatch):
    """The odd id reached HEAD by a whole merge (the configs differed at that sync); from then
    on any sync by lines that adds a line to that month crashes, with nothing hostile left."""

    def add(lines):
        e = json.loads(lines[1])
        e["entry"]["id"] = '2@x"y'
        e["entry"]["review_datetime"] = "2026-12-02T12:00:00+00:00"
        return [*lines, json.dumps(e, separators=(",", ":")) + "\n"]

    def edit(f):
        edit_month(f, add)
        c = f / "config.toml"
        c.write_text(c.read_text().replace("grace_days = 1\n", "grace_days = 2\n"))

    def story(w):
        w.foreign(edit)
        said = [w.on("laptop", "sync", now="2026-12-03T21:00").output]  # whole: configs differ
        w.on("laptop", "review", "1", "--rating", "easy", now="2026-12-03T22:00")
        return said + [w.on("laptop", "sync", now="2026-12-03T23:00").output]

    twice(tmp_path, run, mini_plan, monkeypatch, story)


# The remote rewrites one of HEAD's ratings (same id, same card) with another moment in an
# earlier month and a rating that wins _merge_entry. The merged entry belongs to 2026-11, but
# Lines.months swaps it into the month of HEAD's line (2026-12): the months, the remote's tree
# and the local log differ from the whole path (which files it under 2026-11).
def test_moved_month(tmp_path, run, mini_plan, monkeypatch):
    def rewrite(lines):
        e = json.loads(lines[1])
        e["entry"]["rating"] = 4
        e["entry"]["review_datetime"] = "2026-11-30T09:01:00+00:00"
        return [lines[0], json.dumps(e, separators=(",", ":")) + "\n"]

    def story(w):
        w.foreign(lambda f: edit_month(f, rewrite))
        return [w.on("laptop", "sync", now="2026-12-03T21:00").output]

    twice(tmp_path, run, mini_plan, monkeypatch, story)


def test_moved_to_a_later_month_breaks_the_time_order(tmp_path, run, mini_plan, monkeypatch):
    """HEAD holds a November rating; the remote moves its moment into December (a later moment
    wins _merge_entry by itself). By lines it stays in 2026-11.jsonl, so the local log (the
    months joined) is no longer in the order of time, which recent_start relies on."""
    nov = "2026-11-30T10:00:00+00:00"

    def add_nov(f):
        _, lines = month_lines(f)
        e = json.loads(lines[0])
        e["entry"]["id"] = "1@" + nov
        e["entry"]["review_datetime"] = nov
        (f / "reviews" / "2026-11.jsonl").write_text(json.dumps(e, separators=(",", ":")) + "\n")

    def move_nov(f):
        path, lines = month_lines(f, "2026-11")
        path.write_text(
            lines[0].replace(
                '"review_datetime":"2026-11-30T10:00', '"review_datetime":"2026-12-03T10:00'
            )
        )

    def story(w):
        w.foreign(add_nov)
        said = [w.on("laptop", "sync", now="2026-12-03T20:00").output]
        w.foreign(move_nov)
        said.append(w.on("laptop", "sync", now="2026-12-03T21:00").output)
        log = (w.homes["laptop"] / "reviews.jsonl").read_text().splitlines()
        said.append(
            "times: " + " ".join(json.loads(line)["entry"]["review_datetime"][5:16] for line in log)
        )
        return said

    twice(tmp_path, run, mini_plan, monkeypatch, story)


# The remote's whole log is over files.MAX_BYTES, but the months that differ from HEAD are
# under it: the whole path refuses ("the review log is over N MB"), the line merge only sums
# the changed months and syncs, writing a local log over the limit every reader refuses.
# (The limit is lowered for the sync's readers of the log, synclog and syncmonths, to 600
# bytes, instead of pushing 64 MB.)
def test_size_limit(tmp_path, run, mini_plan, monkeypatch):
    from eng28 import files
    from eng28.usecases import synclog, syncmonths

    small = types.SimpleNamespace(
        **{k: getattr(files, k) for k in dir(files) if not k.startswith("__")}
    )
    small.MAX_BYTES = 600

    def edit(f):
        _, lines = month_lines(f)
        assert 400 < sum(map(len, lines)) < 600
        e = json.loads(lines[1])
        e["entry"]["id"] = "2@2026-11-30T09:00:00+00:00"
        e["entry"]["review_datetime"] = "2026-11-30T09:00:00+00:00"
        (f / "reviews" / "2026-11.jsonl").write_text(json.dumps(e, separators=(",", ":")) + "\n")

    def story(w):
        w.foreign(edit)
        with monkeypatch.context() as p:
            p.setattr(synclog, "files", small)
            p.setattr(syncmonths, "files", small)
            return [w.on("laptop", "sync", now="2026-12-03T21:00").output]

    _, (said,), used = twice(tmp_path, run, mini_plan, monkeypatch, story)
    assert "the review log is over" in said and "local state untouched" in said
    assert used == 0


# The remote's state.toml says schema_version = 4 (ratings inline, no log). The whole path
# reads its ratings from the table (none here) and ignores the months; the line merge never
# looks at the remote's schema and merges the months' lines: a rating the whole path drops is
# merged (and inline ratings a schema-4 table holds would be dropped instead).
def test_remote_schema4(tmp_path, run, mini_plan, monkeypatch):
    def edit(f):
        st = f / "state.toml"
        st.write_text(
            st.read_text()
            .replace("schema_version = 6", "schema_version = 4")
            .replace("schema_version = 5", "schema_version = 4")
        )

        def add(lines):
            e = json.loads(lines[1])
            e["entry"]["id"] = "2@2026-12-03T09:00:00+00:00"
            e["entry"]["review_datetime"] = "2026-12-03T09:00:00+00:00"
            e["entry"]["rating"] = 4
            return [*lines, json.dumps(e, separators=(",", ":")) + "\n"]

        edit_month(f, add)

    def story(w):
        w.foreign(edit)
        return [w.on("laptop", "sync", now="2026-12-03T21:00").output]

    twice(tmp_path, run, mini_plan, monkeypatch, story)


# A remote month holding one of HEAD's lines twice: the whole path refuses ("is there
# twice"), the line merge does not see the copy (sets of lines) and syncs.
def test_dup_same_month(tmp_path, run, mini_plan, monkeypatch):
    def story(w):
        w.foreign(lambda f: edit_month(f, lambda lines: [*lines, lines[0]]))
        return [w.on("laptop", "sync", now="2026-12-03T21:00").output]

    twice(tmp_path, run, mini_plan, monkeypatch, story)


# Both configs say desired_retention = 0.8 (set here, and on the remote by another program,
# without a replay: `eng28 config` never replays), and the remote dropped HEAD's line of card
# 1. The whole path sees card 1's logs differ (merge._agreed_cards) and replays it under 0.8;
# the line merge never touches the card of a line the remote dropped, so it keeps the record
# computed under 0.9.
def test_dropped_line_stale_card(tmp_path, run, mini_plan, monkeypatch):
    def edit(f):
        c = f / "config.toml"
        text = c.read_text()
        assert "desired_retention = 0.9\n" in text, text
        c.write_text(text.replace("desired_retention = 0.9\n", "desired_retention = 0.8\n"))
        edit_month(f, lambda lines: lines[1:])

    def story(w):
        w.on("laptop", "config", "desired_retention", "0.8", now="2026-12-03T08:00")
        w.foreign(edit)
        return [w.on("laptop", "sync", now="2026-12-03T21:00").output]

    twice(tmp_path, run, mini_plan, monkeypatch, story)


# A note typed (or pasted) with "\\r\\r\\r\\n": the Note validator replaces "\\r\\n" once, so the
# note read is "\\r\\n" and the line written holds that; read again it is "\\n". HEAD's line is
# therefore not what dump writes for its own entry. At the next sync the whole path rewrites
# that line (and pushes it), the line merge copies HEAD's bytes: the months and the local log
# differ, though nobody is hostile.
def test_note_crcrlf(tmp_path, run, mini_plan, monkeypatch):
    def story(w):
        w.on(
            "laptop", "review", "2", "--rating", "good", "-m", "a\r\r\r\nb", now="2026-12-03T10:00"
        )
        said = [w.on("laptop", "sync", now="2026-12-03T11:00").output]
        return said + [w.on("laptop", "sync", now="2026-12-03T12:00").output]

    twice(tmp_path, run, mini_plan, monkeypatch, story)


# The clock here went back (a dead CMOS battery, a VM restored): a rating the remote holds
# was undone "later than now here" plus a day. The whole path holds every remote rating to
# check_stamps and refuses ("is a clock wrong?"); the line merge checks only the touched
# cards' ratings (here none) and syncs.
def test_clock_back(tmp_path, run, mini_plan, monkeypatch):
    def story(w):
        w.on("laptop", "review", "1", "--undo", now="2026-12-03T10:05")
        said = [w.on("laptop", "sync", now="2026-12-03T11:00").output]
        return said + [w.on("laptop", "sync", now="2026-12-01T12:00").output]

    twice(tmp_path, run, mini_plan, monkeypatch, story)


# The line merge reads the remote's table (log=False) before anything else, outside
# prepare: its error wins over errors the whole path meets first: (a) a broken log here
# (whole path: reads this machine's state first), (b) a remote log over the size limit (whole
# path: read_log runs before the table is parsed). The messages differ.
def break_table(f):
    st = f / "state.toml"
    st.write_text(st.read_text().replace("log_folded = 0", 'log_folded = "x"'))


@pytest.mark.parametrize("case", ["local-log", "remote-size"])
def test_error_order(tmp_path, run, mini_plan, monkeypatch, case):
    from eng28 import files
    from eng28.usecases import synclog, syncmonths

    small = types.SimpleNamespace(
        **{k: getattr(files, k) for k in dir(files) if not k.startswith("__")}
    )
    small.MAX_BYTES = 100

    def story(w):
        w.foreign(break_table)
        if case == "local-log":
            with open(w.homes["laptop"] / "reviews.jsonl", "ab") as fh:
                fh.write(b'{"plan":"mini-plan","amend":"nope","note":"x"}\n')
            return [w.on("laptop", "sync", now="2026-12-03T21:00").output]
        with monkeypatch.context() as p:
            p.setattr(synclog, "files", small)
            p.setattr(syncmonths, "files", small)
            return [w.on("laptop", "sync", now="2026-12-03T21:00").output]

    twice(tmp_path, run, mini_plan, monkeypatch, story)


# Suspicions checked and found fine: each story gives the same files and messages by lines
# and by whole states.


def dumps(e):
    return json.dumps(e, separators=(",", ":")) + "\n"


def crlf(lines):
    return [line.replace("\n", "\r\n") for line in lines]


def blank(lines):
    return ["\n", lines[0], "   \n", lines[1], "\n"]


def spaced(lines):
    return [json.dumps(json.loads(line)) + "\n" for line in lines]


def reorder(lines):
    return lines[::-1]


def renote_and_add(lines):
    e = json.loads(lines[0])
    e["entry"]["note"] = "changed there"
    n = json.loads(lines[1])
    n["entry"]["id"] = "2@2026-12-03T08:00:00+00:00"
    n["entry"]["review_datetime"] = "2026-12-03T08:00:00+00:00"
    n["entry"]["rating"] = 1
    return [dumps(e), lines[1], dumps(n)]


def undo_there(lines):
    e = json.loads(lines[1])
    e["entry"]["undone_at"] = "2026-12-03T08:00:00Z"
    return [lines[0], dumps(e)]


def other_offset(lines):  # the same moment written with another offset
    e = json.loads(lines[1])
    e["entry"]["review_datetime"] = "2026-12-02T10:01:00+01:00"
    return [lines[0], dumps(e)]


MONTH_EDITS = [crlf, blank, spaced, reorder, renote_and_add, undo_there, other_offset]


@pytest.mark.parametrize("edit", MONTH_EDITS, ids=[f.__name__ for f in MONTH_EDITS])
@pytest.mark.parametrize("local", ["rate", "note-base"])  # (none and undo-base: as fine)
def test_month_edits(tmp_path, run, mini_plan, monkeypatch, edit, local):
    def story(w):
        w.foreign(lambda f: edit_month(f, edit))
        if local == "rate":
            w.on("laptop", "review", "1", "--rating", "easy", now="2026-12-03T10:00")
        elif local == "note-base":
            # a follow-up note on a rating HEAD holds: an amend line, as the review writes it
            log = w.homes["laptop"] / "reviews.jsonl"
            second = json.loads(log.read_text().splitlines()[1])["entry"]["id"]
            amend = {"plan": "mini-plan", "amend": second, "note": "mine"}
            with log.open("a") as handle:
                handle.write(json.dumps(amend, separators=(",", ":")) + "\n")
        elif local == "undo-base":
            w.on("laptop", "review", "2", "--undo", now="2026-12-03T10:00")
        return [
            w.on(m, "sync", now="2026-12-03T21:00").output for m in ("laptop", "work", "laptop")
        ]

    twice(tmp_path, run, mini_plan, monkeypatch, story)


def move_to_new_month(f):
    path, lines = month_lines(f)
    path.write_text(lines[1])
    (f / "reviews" / "2026-11.jsonl").write_text(lines[0])


def swap_files(f):
    path, lines = month_lines(f)
    path.write_text("")
    (f / "reviews" / "2026-10.jsonl").write_text("".join(lines))


def drop_all(f):
    path, _ = month_lines(f)
    path.write_text("")


@pytest.mark.parametrize("edit", [move_to_new_month, swap_files, drop_all])
def test_file_edits(tmp_path, run, mini_plan, monkeypatch, edit):
    def story(w):
        w.foreign(edit)
        w.on("laptop", "review", "1", "--rating", "easy", now="2026-12-03T10:00")
        return [
            w.on(m, "sync", now="2026-12-03T21:00").output for m in ("laptop", "work", "laptop")
        ]

    twice(tmp_path, run, mini_plan, monkeypatch, story)
