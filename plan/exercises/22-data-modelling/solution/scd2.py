"""A type 2 slowly changing dimension, maintained from full snapshots of a source table.

A dimension row is a dict with six keys:

    {"sk": 3, "key": "C-17", "attrs": {"segment": "BUILDING"},
     "valid_from": date(2026, 3, 1), "valid_to": OPEN_END, "is_current": True}

`sk` is the surrogate key (a positive int, never reused), `key` the natural key from the source,
`attrs` the tracked attributes. A version is valid on the half-open interval
[valid_from, valid_to); the open version of a key has valid_to == OPEN_END and is_current True.
"""

from __future__ import annotations

from datetime import date
from typing import Any

OPEN_END = date(9999, 12, 31)


def apply_snapshot(
    dim: list[dict[str, Any]], snapshot: dict[str, dict[str, Any]], as_of: date
) -> list[dict[str, Any]]:
    """Return the dimension after loading `snapshot` (natural key -> attributes), taken on `as_of`.

    - A key with no current row (new, or deleted earlier and back again) gets a new current row.
    - A key whose current attrs equal the snapshot's is left exactly as it was.
    - A key whose attrs differ: its current row is closed (valid_to = as_of, is_current False)
      and a new current row opens on as_of.
    - A current key missing from the snapshot is closed the same way, with no new row.
    - New surrogate keys continue from the largest sk in `dim` (1 for an empty one) and are handed
      out in sorted order of natural key.
    - Loading the same snapshot on the same date again changes nothing (idempotent).
    - ValueError, with `dim` untouched: `as_of` is before the last load (the latest valid_from,
      or valid_to other than OPEN_END, in `dim`: an out-of-order batch), or a current row that
      opened on `as_of` itself would change or close (a different snapshot for a day already
      loaded).
    - `dim` and `snapshot` are not modified; the result is sorted by sk.
    """
    loaded = [row["valid_from"] for row in dim]
    loaded += [row["valid_to"] for row in dim if row["valid_to"] != OPEN_END]
    if loaded and as_of < max(loaded):
        raise ValueError(f"snapshot of {as_of} is older than the last load, {max(loaded)}")
    current = {row["key"]: row for row in dim if row["is_current"]}
    for key, row in current.items():
        if as_of == row["valid_from"] and snapshot.get(key) != row["attrs"]:
            # A version valid on the empty interval [as_of, as_of) would mean nothing.
            raise ValueError(f"a different snapshot of {key!r} was already loaded on {as_of}")

    out = [dict(row, attrs=dict(row["attrs"])) for row in dim]
    next_sk = max((row["sk"] for row in dim), default=0) + 1
    for row in out:
        if row["is_current"] and snapshot.get(row["key"]) != row["attrs"]:
            row["valid_to"] = as_of
            row["is_current"] = False
    for key in sorted(snapshot):
        if key in current and snapshot[key] == current[key]["attrs"]:
            continue
        out.append(
            {
                "sk": next_sk,
                "key": key,
                "attrs": dict(snapshot[key]),
                "valid_from": as_of,
                "valid_to": OPEN_END,
                "is_current": True,
            }
        )
        next_sk += 1
    return sorted(out, key=lambda row: row["sk"])


def version_on(dim: list[dict[str, Any]], key: str, day: date) -> dict[str, Any] | None:
    """The row of `key` valid on `day` (valid_from <= day < valid_to), or None if there is none:
    the as-of lookup a fact row does to find its surrogate key."""
    for row in dim:
        if row["key"] == key and row["valid_from"] <= day < row["valid_to"]:
            return row
    return None
