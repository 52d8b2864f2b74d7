"""Lines to add to a home's review log, for the tests of the history readers."""

import json

from eng28 import reviewlog
from eng28.models import ReviewEntry


def log(home):
    return home / "reviews.jsonl"


def entries(home, plan="eng28"):
    """The entries of `plan` in the log, as written (amendments not applied)."""
    lines = [json.loads(t) for t in log(home).read_bytes().splitlines()]
    return [line["entry"] for line in lines if "entry" in line and line["plan"] == plan]


def append(home, *lines):
    """Append log lines (dicts) as a rating saved alone appends them."""
    reviewlog.append(log(home), [reviewlog.LogLine.model_validate(line) for line in lines])


def a_rating(home, moment, rating=3, card="3", plan="eng28", note=""):
    """A rating's line: the log's last entry, given another card, moment, rating and note."""
    entry = dict(entries(home)[-1], id=f"{card}@{moment}", card=card, rating=rating)
    entry.update(review_datetime=moment, note=note)
    ReviewEntry.model_validate(entry)
    return {"plan": plan, "entry": entry}


def amend_and_add_a_plan(home, **extra_note):
    """Amend the log's fourth rating twice (a note, then an undo), rate once with a note and
    once in a plan only in the log; the amended rating's entry as written."""
    old = entries(home)[3]
    append(
        home,
        a_rating(home, "2026-12-01T08:00:00+00:00", note="a note"),
        {"plan": "eng28", "amend": old["id"], "note": "later"},
        {"plan": "eng28", "amend": old["id"], "undone_at": "2026-12-01T09:00:00+00:00"},
        a_rating(home, "2026-12-01T08:00:01+00:00", plan="only-in-the-log", **extra_note),
    )
    return old


def hashed_sizes(monkeypatch):
    """The sizes of the data SHA-256 is given from now on (hashlib's own, patched)."""
    import hashlib

    sizes: list[int] = []
    real = hashlib.sha256

    def counted(data=b""):
        sizes.append(len(data))
        return real(data)

    monkeypatch.setattr(hashlib, "sha256", counted)
    return sizes
