"""Reading the recent part of a review log from its end (`reviewlog.read_recent`) gives the
same ratings as reading the whole log and keeping the recent ones, whatever the block edges
cut: logs of several 256 KB blocks, long notes that span an edge, and a `log_folded` point
further back than the recent part."""

from datetime import UTC, datetime, timedelta

import pytest

from eng28 import reviewlog
from eng28.models import PlanState, ReviewEntry, State

START = datetime(2026, 1, 1, 8, tzinfo=UTC)


def a_log(tmp_path, count, note_every=0, note_size=0):
    entries = []
    for n in range(count):
        moment = (START + timedelta(hours=6 * n)).isoformat()
        note = "x" * note_size if note_every and n % note_every == 0 else ""
        entries.append(
            ReviewEntry(id=f"{n}@{moment}", card_id=1, card="1", rating=3,
                        review_datetime=moment, note=note)
        )  # fmt: skip
    path = tmp_path / "reviews.jsonl"
    path.write_bytes(reviewlog.dump(State(plans={"p": PlanState(reviews=entries)})))
    return path, entries


@pytest.mark.parametrize(
    ("count", "note_every", "note_size"),
    [(10, 0, 0), (4000, 0, 0), (3000, 7, 3000), (40, 1, 300_000)],
    ids=["one block", "many blocks", "notes across edges", "a line longer than a block"],
)
@pytest.mark.parametrize("days_back", [0, 3, 40, 10_000])
def test_the_end_read_holds_exactly_the_recent_ratings(
    tmp_path, count, note_every, note_size, days_back
):
    path, entries = a_log(tmp_path, count, note_every, note_size)
    last = datetime.fromisoformat(entries[-1].review_datetime)
    since = (last - timedelta(days=days_back)).isoformat()
    raw = path.read_bytes()
    part, offset = reviewlog.read_recent(path, since, len(raw))
    assert raw[offset:] == part and (offset == 0 or raw[offset - 1 : offset] == b"\n")
    found, _ = reviewlog.parse(part, "log", folded=len(part), part_of=path if offset else None)
    recent = [e.id for e in entries if e.review_datetime >= since]
    read = [e.id for e in found.get("p", [])]
    assert read[len(read) - len(recent) :] == recent
    # No more than one rating before `since` is read (the one the reader stopped at may be
    # cut off by where it ends; any further back would be a read the command did not need).
    assert len(read) - len(recent) <= 1


def test_the_end_read_reaches_back_to_the_folded_point(tmp_path):
    """Lines past where the state file's cards were saved bring cards up to date: they are
    all read, however old, and no earlier line is needed."""
    path, entries = a_log(tmp_path, 4000)
    raw = path.read_bytes()
    folded = raw.index(b"\n", len(raw) // 3) + 1  # a line edge a third of the way in
    since = entries[-1].review_datetime  # the last rating alone is recent
    part, offset = reviewlog.read_recent(path, since, folded)
    assert offset == folded and part == raw[folded:]


def test_a_folded_point_inside_a_line_is_not_followed(tmp_path):
    path, entries = a_log(tmp_path, 50)
    raw = path.read_bytes()
    inside = raw.index(b"\n") - 5  # in the middle of the first line
    part, offset = reviewlog.read_recent(path, entries[-1].review_datetime, inside)
    assert raw[offset - 1 : offset] == b"\n" and part == raw[offset:]
