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
