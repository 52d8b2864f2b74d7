"""The review log read in part, for the history readers that need less than every rating
as an object: the lines that may carry a note (`journal`), and every rating as its JSON, a
block of the file at a time (`export`). Each gives what `reviewlog.parse` gives, or None
when only `parse` can tell (it then names what is wrong)."""

from __future__ import annotations

import itertools
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from typing import Any

from eng28.errors import StateError
from eng28.models import ReviewEntry
from eng28.reviewlog import AMENDABLE, LogLine, read_lines

#: Where a line may carry a note: a key `note` that is not `"note":""`, or an amendment.
_MAY_NOTE = re.compile(rb'"note"(?!:"")|"amend"')


def noted(raw: bytes, where: str) -> dict[str, list[ReviewEntry]] | None:
    """Each plan's ratings in `raw` (a whole log) that carry a note, amendments applied, in
    the log's order, as `parse` gives them, with the lines that cannot carry one left
    unparsed: a line holding no key `note` but `"note":""`, no key `amend` and no escape
    (so no key spelt another way) is a rating without a note, unless a later line gives it
    one (then it is read). Only the lines read are validated; an amendment without a note
    of a rating not read (an undo of a rating without a note) has that rating's line looked
    up and read. None
    when anything is in doubt (a line that does not read, a note for no rating, a last line
    without its newline): then only `parse` can say what it holds."""
    if not raw.endswith(b"\n"):
        return None
    starts: set[int] = set()

    def line_of(pos: int) -> int:  # marks the line holding `pos` to be read; its end
        starts.add(raw.rfind(b"\n", 0, pos) + 1)
        return raw.index(b"\n", pos)

    for found in _MAY_NOTE.finditer(raw):
        line_of(found.start())
    escape = raw.find(b"\\")
    while escape != -1:
        escape = raw.find(b"\\", line_of(escape))
    at = sorted(starts)
    try:
        parsed = read_lines(b"".join(raw[s : raw.index(b"\n", s) + 1] for s in at), where)
    except StateError:
        return None
    read = dict(zip(at, parsed, strict=True))
    held = {(line.plan, line.entry.id) for line in parsed if line.entry is not None}
    for line in parsed:
        key = (line.plan, line.amend or "")
        if line.note is not None and line.amend is not None and key not in held:
            found = _rating_line(raw, *key, where)
            if found is None:
                return None
            read[found[0]] = found[1]
            held.add(key)
    plans: dict[str, list[ReviewEntry]] = {}
    by_id: dict[tuple[str, str], ReviewEntry] = {}
    for _, line in sorted(read.items()):
        if line.entry is not None:
            key = (line.plan, line.entry.id)
            if key in by_id:
                return None  # there twice
            by_id[key] = line.entry
            plans.setdefault(line.plan, []).append(line.entry)
            continue
        target = by_id.get((line.plan, line.amend or ""))
        if target is None and line.note is None:
            # An undo of a rating without a note, which shows nowhere: but only if that
            # rating is there (else the whole read names the line that undoes nothing).
            if _rating_line(raw, line.plan, line.amend or "", where) is None:
                return None
            continue
        if target is None:
            return None
        if line.note is not None:
            target.note = line.note
        if line.undone_at is not None:
            target.undone_at = line.undone_at
    return plans


def _rating_line(raw: bytes, plan: str, entry_id: str, where: str) -> tuple[int, LogLine] | None:
    """Where the line of rating `entry_id` of `plan` begins in `raw`, and the line, when one
    line as eng28 writes it holds it."""
    head = json.dumps({"plan": plan, "entry": {"id": entry_id}}, separators=(",", ":"))
    prefix = head.encode()[:-2] + b","
    found = [m.start() for m in re.finditer(re.escape(prefix), raw)]
    begins = [pos for pos in found if pos == 0 or raw[pos - 1 : pos] == b"\n"]
    if len(found) != 1 or len(begins) != 1:
        return None
    try:
        (line,) = read_lines(raw[begins[0] : raw.index(b"\n", begins[0]) + 1], where)
    except (StateError, ValueError):
        return None
    if line.entry is None or (line.plan, line.entry.id) != (plan, entry_id):
        return None
    return begins[0], line


def dumped(blocks: Iterable[bytes], where: str) -> dict[str, Dumps] | None:
    """Each plan's ratings in a whole log read as `blocks`, amendments applied, in the log's
    order, as `parse` gives them, but each as its JSON (`model_dump_json`): validated a block
    at a time, so that a year's ratings never stand in memory as objects (some 80,000) nor
    the log whole. None when the lines do not read as `parse` reads them (then it names what
    is wrong)."""
    plans: dict[str, Dumps] = {}
    # hash((plan, id)) -> index in plans[plan]: a third of the memory of the keys themselves
    # (two years' ratings held 19 MB of them); what an index stands for is checked on use,
    # and two ids of one hash are taken for one id twice (None: the whole read decides).
    place: dict[int, int] = {}
    changes: dict[tuple[str, int], dict[str, Any]] = {}

    def found(plan_id: str, entry_id: str) -> int | None:
        index = place.get(hash((plan_id, entry_id)))
        mine = plans.get(plan_id)
        if index is None or mine is None or index >= len(mine) or not _holds(mine[index], entry_id):
            return None
        return index

    rest = b""
    for block in itertools.chain(blocks, [None]):
        if block is not None:
            cut = block.rfind(b"\n") + 1
            whole, rest = rest + block[:cut], (block[cut:] if cut else rest + block)
            if not cut:
                continue
        else:
            whole, rest = rest, b""  # the last line: _whole_lines drops it if cut short
        try:
            lines = read_lines(whole, where)
        except StateError:
            return None
        del whole
        for line in lines:
            if line.entry is not None:
                key = hash((line.plan, line.entry.id))
                if key in place:
                    return None  # there twice
                mine = plans.setdefault(line.plan, Dumps())
                place[key] = len(mine)
                mine.append(line.entry.__pydantic_serializer__.to_json(line.entry))
                continue
            index = found(line.plan, line.amend or "")
            if index is None:
                return None  # amends no rating before it
            change = changes.setdefault((line.plan, index), {})
            change.update({k: getattr(line, k) for k in AMENDABLE if getattr(line, k) is not None})
        del lines  # before the next block's are built
    for (plan_id, index), change in changes.items():
        entry = ReviewEntry.model_validate_json(plans[plan_id][index])
        for name, value in change.items():
            setattr(entry, name, value)
        plans[plan_id][index] = entry.__pydantic_serializer__.to_json(entry)
    return plans


def _holds(dumped: bytes, entry_id: str) -> bool:
    """Whether `dumped` (a rating's JSON, as `dumped` keeps it) is the rating `entry_id`."""
    return dumped.startswith(b'{"id":' + json.dumps(entry_id, ensure_ascii=False).encode() + b",")


class Dumps:
    """One plan's ratings as JSON texts, in order, a thousand to a chunk; once 16 MB are
    kept, each chunk filled after is compressed (zlib's fastest level: two years of ratings
    take some 15 MB instead of 33, for 0.1 s)."""

    SIZE = 1000
    PLAIN = 16 << 20

    def __init__(self) -> None:
        self.chunks: list[list[bytes] | bytes] = []
        self.count = self.plain = 0
        self._opened: tuple[int, list[bytes]] | None = None

    def __len__(self) -> int:
        return self.count

    def append(self, item: bytes) -> None:
        if self.count % self.SIZE == 0:
            last = self.chunks[-1] if self.chunks else None
            if isinstance(last, list) and self.plain > self.PLAIN:
                self.chunks[-1] = zlib.compress(b"\n".join(last), 1)
            self.chunks.append([])
        self.chunks[-1].append(item)  # type: ignore[union-attr]
        self.count += 1
        self.plain += len(item)

    def _chunk(self, number: int) -> list[bytes]:
        chunk = self.chunks[number]
        if isinstance(chunk, list):
            return chunk
        if self._opened is None or self._opened[0] != number:
            self._opened = (number, zlib.decompress(chunk).split(b"\n"))
        return self._opened[1]

    def __getitem__(self, index: int) -> bytes:
        return self._chunk(index // self.SIZE)[index % self.SIZE]

    def __setitem__(self, index: int, item: bytes) -> None:
        number = index // self.SIZE
        chunk = list(self._chunk(number))
        chunk[index % self.SIZE] = item
        packed = isinstance(self.chunks[number], bytes)
        self.chunks[number] = zlib.compress(b"\n".join(chunk), 1) if packed else chunk
        self._opened = None

    def batches(self) -> Iterator[list[bytes]]:
        """The texts, a chunk at a time."""
        for number in range(len(self.chunks)):
            yield self._chunk(number)
        self._opened = None
