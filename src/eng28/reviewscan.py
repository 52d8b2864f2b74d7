"""The review log read in part, for the history readers that need less than every rating
as an object: the lines that may carry a note (`journal`), and every rating as its JSON, a
block of the file at a time (`export`). Each gives what `reviewlog.parse` gives, or None
when only `parse` can tell (it then names what is wrong)."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from eng28 import files
from eng28.errors import Eng28Error, StateError
from eng28.models import ReviewEntry
from eng28.reviewlog import AMENDABLE, LogLine, _whole_lines, read_lines
from eng28.values import ID_WIDTH, id_digests

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


def only_of(raw: bytes | Iterable[bytes], plans: Iterable[str]) -> bool:
    """Whether every line of the log `raw` (its bytes, or its blocks of whole lines: see
    files.line_blocks) is a rating or an amendment of one of `plans`, as eng28 writes them
    (`{"plan":"P",...`, the one key `plan` of the line, no escape); False for a line of
    another plan or form, a blank one or a last one without its newline. The lines are not
    read: only where they begin."""
    heads = [b'{"plan":' + json.dumps(plan).encode() + b"," for plan in plans]
    lines = found = 0
    last = b"\n"
    for block in [raw] if isinstance(raw, bytes) else raw:
        if not block:
            continue
        if block.count(b'"plan":') != block.count(b"\n") or b"\\u" in block:
            return False  # a key given twice, or spelt with an escape: the parser decides
        lines += block.count(b"\n")
        found += sum(block.count(b"\n" + head) + block.startswith(head) for head in heads)
        last = block[-1:]
    return last == b"\n" and found == lines


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


def dumped(
    blocks: Iterable[bytes], where: str, keep: Path | None = None
) -> dict[str, Dumps] | None:
    """Each plan's ratings in a whole log read as `blocks`, amendments applied, in the log's
    order, as `parse` gives them, but each as its JSON (`model_dump_json` less the fields
    without a value, as the log writes them): validated a block at a time, so that a year's
    ratings never stand in memory as objects (some 80,000) nor the log whole. None when the
    lines do not read as `parse` reads them (then it names what is wrong). With `keep` (the
    log's path, before `blocks` are read from it), a summary of the log is kept for
    `summarized` when every line is in eng28's own form."""
    plans: dict[str, Dumps] = {}
    # hash((plan, id)) -> index in plans[plan]: a third of the memory of the keys themselves
    # (two years' ratings held 19 MB of them); what an index stands for is checked on use,
    # and two ids of one hash are taken for one id twice (None: the whole read decides).
    place: dict[int, int] = {}
    changes: dict[tuple[str, int], dict[str, Any]] = {}
    summary = _Summary(keep) if keep else None

    def found(plan_id: str, entry_id: str) -> int | None:
        index = place.get(hash((plan_id, entry_id)))
        mine = plans.get(plan_id)
        if index is None or mine is None or index >= len(mine) or not _holds(mine[index], entry_id):
            return None
        return index

    rest = b""
    for block in itertools.chain(blocks, [None]):
        if summary is not None and block is not None:
            summary.add(block)
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
        texts = _whole_lines(whole) if summary is not None and summary.own else None
        del whole
        for number, line in enumerate(lines):
            if line.entry is not None:
                key = hash((line.plan, line.entry.id))
                if key in place:
                    return None  # there twice
                mine = plans.setdefault(line.plan, Dumps())
                place[key] = len(mine)
                text = compact(line.entry)
                mine.append(text)
                if texts is not None and summary is not None:
                    summary.check(texts[number], line.plan, text, line.entry.id)
                continue
            index = found(line.plan, line.amend or "")
            if index is None:
                return None  # amends no rating before it
            change = changes.setdefault((line.plan, index), {})
            change.update({k: getattr(line, k) for k in AMENDABLE if getattr(line, k) is not None})
            if texts is not None and summary is not None:
                summary.check(texts[number], line.plan, None, None)
        del lines, texts  # before the next block's are built
    for (plan_id, index), change in changes.items():
        entry = ReviewEntry.model_validate_json(plans[plan_id][index])
        for name, value in change.items():
            setattr(entry, name, value)
        plans[plan_id][index] = compact(entry)
    if summary is not None:
        summary.write()
    return plans


def compact(entry: ReviewEntry) -> bytes:
    """A rating's JSON as the log holds it (and `export` writes it): its fields without a
    value left out."""
    return entry.__pydantic_serializer__.to_json(entry, exclude_none=True)


# --- the summary of the log for `export` ----------------------------------------------------
# Validating a year's log (38,772 lines, 15.8 MB) line by line is most of what a year's
# `export` costs; but a log eng28 wrote holds each rating's JSON as `export` writes it, byte
# for byte. So when the whole log reads and every line is in eng28's own form (`_split`
# takes it apart as the validator does), `dumped` keeps a summary of it in the cache folder:
# its size, a SHA-256 of its bytes and eng28's version, the ratings amendments changed (as
# their JSON) and a digest of each rating's id. `summarized` then takes the ratings of those
# bytes straight from the log, and reads through the validator only the lines after them.
# The summary is untrusted input like any cache: it holds only checked integers, digests and
# ratings it validates; one that is missing, stale, damaged or foreign is ignored.

EXPORT_SUMMARY = "review-export.json"
#: How many bytes past the summary's end `summarized` reads before it leaves the log to a
#: whole read, which writes the summary anew (about a week of ratings).
_READ_PAST = 256 * 1024


def file_identity(path: Path) -> list[int] | None:
    """What tells the log file apart from any other version of it without reading it: its
    device, inode, size and modification and change times in nanoseconds. A write in place
    changes the change time, which no one can set back; an atomic save makes a new inode.
    None: no such file."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


def unchanged(path: Path, before: list[int] | None, raw: bytes) -> list[int] | None:
    """The identity of the log at `path` when it is `before` still, after `raw` (all its
    bytes) was read: then `raw` is the file as that identity stands for it. A summary of the
    whole file keeps it, so that a later read of an unchanged file need not hash it."""
    if before is None or before[2] != len(raw) or file_identity(path) != before:
        return None
    return before


#: A file changed this recently may be written again within its times' resolution (a few
#: milliseconds on Linux, two seconds on FAT) without them moving: its identity is not kept.
SETTLED_NS = 2_000_000_000


def settled(identity: list[int] | None) -> list[int] | None:
    """`identity` (see file_identity) when its file last changed SETTLED_NS ago or more."""
    import time

    if identity is None or time.time_ns() - identity[4] < SETTLED_NS:
        return None
    return identity


def id_digest(plan_id: str, entry_id: str) -> str:
    """A short digest of a rating's plan and id (for the summaries of the log)."""
    text = f"{plan_id}\n{entry_id}".encode()
    return hashlib.blake2b(text, digest_size=ID_WIDTH // 2).hexdigest()


def _split(line: bytes) -> tuple[bytes, bytes | None] | None:
    """A line as eng28 writes it, taken apart without parsing it: its plan's id and its
    rating's JSON (`{"plan":"P","entry":E}`, with `,"card":{...}` before the last brace on
    a line a rating added), or None for it when it amends one (`{"plan":"P","amend":...`).
    None for a line of any other form."""
    if not line.startswith(b'{"plan":"'):
        return None
    end = line.find(b'"', 9)
    if end == -1:
        return None
    if line.startswith(b'","entry":{', end) and line.endswith(b"}}"):
        cut = line.rfind(b',"card":{')
        entry = line[end + 10 : cut if cut > end else -1]
        return (line[9:end], entry) if entry.endswith(b"}") else None
    if line.startswith(b'","amend":', end):
        return line[9:end], None
    return None


class _Summary:
    """What `dumped` learns of the log it reads, for the summary it keeps."""

    def __init__(self, path: Path | None) -> None:
        self.path, self.before = path, file_identity(path) if path else None
        self.hash, self.size, self.own = hashlib.sha256(), 0, True
        self.ids: list[str] = []
        self.last, self.lines, self.newlines = b"", 0, 0

    def add(self, block: bytes) -> None:
        self.hash.update(block)
        self.size += len(block)
        self.newlines += block.count(b"\n")
        self.last = block[-1:] or self.last

    def check(self, text: bytes, plan: str, entry: bytes | None, entry_id: str | None) -> None:
        """Whether a line read, `text`, is one `_split` takes apart as the validator did."""
        self.lines += 1
        if _split(text) != (plan.encode(), entry):
            self.own = False
        elif entry is not None and entry_id is not None:
            self.ids.append(id_digest(plan, entry_id))

    def write(self) -> None:
        if not self.own or self.last != b"\n" or self.lines != self.newlines:
            return  # a line in another form, a last one without its newline, a blank one
        from eng28 import __version__

        same = self.path is not None and self.before is not None and self.before[2] == self.size
        data = {
            "key": [__version__, self.size, self.hash.hexdigest()],
            "file": settled(
                self.before if same and file_identity(self.path) == self.before else None
            ),
            "ids": "".join(self.ids),
        }
        with contextlib.suppress(Eng28Error, OSError, ValueError):  # no cache folder
            files.atomic_write(_summary_path(), json.dumps(data).encode(), durable=False)


def _summary_path() -> str:
    from eng28 import paths

    return os.path.join(paths.cache_dir(), EXPORT_SUMMARY)


def summarized(path: Path, where: str) -> dict[str, Dumps] | None:
    """What `dumped` gives for the log at `path`, from the summary of its first N bytes and
    the lines after them (read through the validator); None when there is no summary that
    stands for those bytes, or the lines after them need what came before them (an
    amendment of an older rating, an id used already) or do not read. The log is read whole
    only when a summary is there."""
    kept = _read_summary()
    if kept is None:
        return None
    key, ids, identity = kept
    before = file_identity(path)
    try:
        raw = files.read_bytes(path, "review log", StateError)
    except StateError:
        return None
    if raw is None:
        return None
    same = identity is not None and identity == unchanged(path, before, raw)
    if not _stands_for(raw, key, hashed=not same):
        return None
    size = key[1]
    if not _plain(raw, size):
        return None
    found = _ratings(raw, size)
    if found is None:
        return None
    plans, amends = found
    if amends and not _amended(plans, amends, where):
        return None
    return _with_tail(raw, size, ids, plans, where)


#: The bytes no line eng28 writes holds raw (the newline ends each line).
_CONTROLS = bytes([*range(0x0A), *range(0x0B, 0x20), 0x7F])


def _plain(raw: bytes, size: int) -> bool:
    """Whether the log's first `size` bytes are UTF-8 text with no C0 control character but
    the newlines (nor DEL): what any JSON eng28 wrote is. Checked on the bytes themselves,
    whatever a summary says of them, so that `export` never copies an escape sequence. (C1
    characters, U+0080 to U+009F, pass: a note may hold them, and the whole read writes them
    as they are too.)"""
    part = raw[:size]
    if not part.isascii():
        try:
            part.decode("utf-8")
        except UnicodeDecodeError:
            return False
    return len(part.translate(None, _CONTROLS)) == size


def _ratings(raw: bytes, size: int) -> tuple[dict[str, Dumps], list[bytes]] | None:
    """Each plan's ratings' JSON in the summarized first `size` bytes of `raw`, taken from
    its lines as `_split` takes them apart, a megabyte of lines at a time, and the lines
    that amend them; None for a line it cannot take apart."""
    first = _split(raw[: raw.find(b"\n")])
    if first is None:
        return None
    # The usual log: one plan's ratings alone, each line `{"plan":"P","entry":{...}}` (with a
    # card before the last brace on a line a rating added), told a megabyte at a time by
    # counting where its lines begin and end; each line's rating is then cut as `_split`
    # cuts it, with less work a line (a year's log holds 40,000 of them).
    head = b'{"plan":"' + first[0] + b'","entry":{'
    plans: dict[str, Dumps] = {first[0].decode(): Dumps()}
    amends: list[bytes] = []
    at, alone, mark, begin = 0, True, b',"card":{', len(head) - 1
    while at < size:
        end = raw.rfind(b"\n", at, min(at + (1 << 20), size)) + 1 or raw.index(b"\n", at) + 1
        part = raw[at:end].split(b"\n")
        part.pop()  # after the last newline
        alone = alone and raw.startswith(head, at) and raw.endswith(b"}}\n", at, end)
        alone = alone and raw.count(b"}}\n" + head, at, end) == len(part) - 1
        cards, at = raw.find(mark, at, end) != -1, end  # a line here holds a card
        if alone and not cards:  # each line ends `}}`: each rating cut ends its object
            plans[first[0].decode()].extend([line[begin:-1] for line in part])
            continue
        if alone:
            texts = [line[begin : line.rfind(mark) if mark in line else -1] for line in part]
            if all(text.endswith(b"}") for text in texts):
                plans[first[0].decode()].extend(texts)
                continue
        alone = False  # from here on, each line is taken apart
        for line in part:
            parts = _split(line)
            if parts is None:
                return None  # not in eng28's form after all
            if parts[1] is not None:
                plans.setdefault(parts[0].decode(), Dumps()).append(parts[1])
            else:
                amends.append(line)
    return {name: found for name, found in plans.items() if found}, amends


#: How a rating's JSON begins: its id, as a JSON string.
_ID = re.compile(rb'\{"id":("(?:[^"\\]|\\.)*"),')


def _amended(plans: dict[str, Dumps], amends: list[bytes], where: str) -> bool:
    """Apply the amendment lines `amends` (read through the validator) to the ratings they
    amend, as `dumped` does; False when one does not read or amends no rating there."""
    try:
        lines = read_lines(b"\n".join(amends) + b"\n", where)
    except StateError:
        return False
    changes: dict[tuple[str, str], dict[str, Any]] = {}
    for line in lines:
        change = changes.setdefault((line.plan, line.amend or ""), {})
        change.update({k: getattr(line, k) for k in AMENDABLE if getattr(line, k) is not None})
    for plan_id in {plan for plan, _ in changes}:
        mine = plans.get(plan_id)
        if mine is None:
            return False
        wanted = {entry_id for plan, entry_id in changes if plan == plan_id}
        for index in range(len(mine)):
            found = _ID.match(mine[index])
            try:
                entry_id = json.loads(found.group(1)) if found else None
                if entry_id not in wanted:
                    continue
                entry = ReviewEntry.model_validate_json(mine[index])  # amended: validated too
            except ValueError:  # not a rating after all (ValidationError is a ValueError)
                return False
            for name, value in changes.pop((plan_id, entry_id)).items():
                setattr(entry, name, value)
            mine[index] = compact(entry)
            wanted.discard(entry_id)
    return not changes  # each amended a rating there


def _with_tail(
    raw: bytes, size: int, ids: str, plans: dict[str, Dumps], where: str
) -> dict[str, Dumps] | None:
    if size == len(raw):
        return plans
    try:
        lines = read_lines(raw[size:], where)
    except StateError:
        return None
    fresh: dict[tuple[str, str], ReviewEntry] = {}
    for line in lines:
        if line.entry is not None:
            if (line.plan, line.entry.id) in fresh:
                return None
            fresh[line.plan, line.entry.id] = line.entry
            continue
        target = fresh.get((line.plan, line.amend or ""))
        if target is None:
            return None  # amends an older rating (an undo), or none at all
        for name in AMENDABLE:
            if getattr(line, name) is not None:
                setattr(target, name, getattr(line, name))
    taken = {ids[i : i + ID_WIDTH] for i in range(0, len(ids), ID_WIDTH)} if fresh else set()
    for (plan_id, entry_id), entry in fresh.items():
        if id_digest(plan_id, entry_id) in taken:
            return None  # an id used twice: the whole read names the line
        plans.setdefault(plan_id, Dumps()).append(compact(entry))
    return plans


def _read_summary() -> tuple[list[Any], str, Any] | None:
    """(its key, the ids' digests, the identity of the log file it was made of whole, if
    known) from the summary, checked for its form (`_stands_for` checks its key against the
    log); None for anything else."""
    try:
        kept = files.loads_json(
            files.read_bytes(_summary_path(), "export summary", StateError) or b"0"
        )
    except (Eng28Error, ValueError):
        return None
    if not isinstance(kept, dict) or set(kept) != {"key", "file", "ids"}:
        return None
    key, ids = kept["key"], kept["ids"]
    identity = kept["file"]
    if identity is not None and not _identity(identity, key):
        return None
    if not isinstance(key, list) or len(key) != 3 or type(key[1]) is not int or key[1] < 1:
        return None
    if not id_digests(ids):
        return None
    return key, ids, identity


def _identity(identity: Any, key: list[Any]) -> bool:
    """Whether `identity` has the form of a file_identity of the `key[1]` bytes summarized."""
    return (
        isinstance(identity, list) and len(identity) == 5
        and all(type(n) is int and n >= 0 for n in identity) and identity[2] == key[1]
    )  # fmt: skip


def _stands_for(raw: bytes, key: list[Any], hashed: bool = True) -> bool:
    """Whether the summary's `key` is that of the log's first N bytes (N = its size), with
    at most _READ_PAST bytes after them; `hashed` False: the file is the very one the
    summary was made of (see `unchanged`), so its bytes need no hashing."""
    from eng28 import __version__

    size = key[1]
    if size > len(raw) or len(raw) - size > _READ_PAST or raw[size - 1 : size] != b"\n":
        return False
    if not hashed:
        return key[0] == __version__
    return key == [__version__, size, hashlib.sha256(memoryview(raw)[:size]).hexdigest()]


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
        self.extend([item])

    def extend(self, items: list[bytes]) -> None:
        at = 0
        while at < len(items):
            if self.count % self.SIZE == 0:
                last = self.chunks[-1] if self.chunks else None
                if isinstance(last, list) and self.plain > self.PLAIN:
                    self.chunks[-1] = zlib.compress(b"\n".join(last), 1)
                self.chunks.append([])
            chunk = self.chunks[-1]
            assert isinstance(chunk, list)  # only a full chunk is compressed
            part = items[at : at + self.SIZE - len(chunk)]
            chunk += part
            self.count += len(part)
            self.plain += sum(map(len, part))
            at += len(part)

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
