"""The review log in the sync repository, one file per month: reading a commit's months,
cutting a log into them and putting them in git's index.

The repository keeps the merged log as `reviews/YYYY-MM.jsonl`: the lines of
`reviewlog.dump` whose moment falls in that month (UTC), in the log's order, so that the
months joined in the order of their names are the log. A new rating changes one small file:
git hashes, sends and fetches that file, not a year of them. A repository from before
(`reviews.jsonl`, the log whole) is read as ever, and written in months by the next sync.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from eng28 import files, reviewlog, statefile
from eng28.errors import Eng28Error

MONTHS = "reviews"  # the folder of the months in the repository
_MONTH_PATH = re.compile(r"reviews/(\d{4}-\d{2})\.jsonl")
_MOMENT = b'"review_datetime":"'

#: Runs git in the repository: its arguments and standard input, its output.
Git = Callable[..., bytes]


#: The repository's state.toml says schema 6: the state file of schema 5 with its ratings in
#: the months. An older eng28 then refuses it ("written by a newer eng28: upgrade eng28")
#: rather than sync without the ratings it cannot find.
SHARED_SCHEMA = 6
_HEADS = (
    f"schema_version = {statefile.SCHEMA_VERSION}\n",
    f"schema_version = {SHARED_SCHEMA}\n",
)


def shared_state(text: str) -> str:
    """The repository's state.toml for a state file's text (`statefile.dump_state`)."""
    assert text.startswith(_HEADS[0])
    return _HEADS[1] + text[len(_HEADS[0]) :]


def as_state_file(raw: bytes) -> bytes:
    """A repository's state.toml read as the state file it stands for (one of schema 6 is
    one of schema 5); any other is read as it is."""
    head = _HEADS[1].encode()
    return _HEADS[0].encode() + raw[len(head) :] if raw.startswith(head) else raw


# --- the months in a commit ------------------------------------------------------------


@dataclass
class Tree:
    """The log files of one commit: its months (name: object id, size) in order, and whether
    it holds an older eng28's one-file log."""

    months: dict[str, tuple[str, int]]
    whole: bool


def tree(git: Git, commit: str, where: str, error: type[Eng28Error]) -> Tree:
    listing = git("ls-tree", "-r", "-l", "-z", commit, "--", MONTHS, reviewlog.LOG_NAME)
    months: dict[str, tuple[str, int]] = {}
    whole = False
    for item in listing.split(b"\0"):
        if not item:
            continue
        meta, _, raw_path = item.partition(b"\t")
        _mode, kind, oid, size = meta.split()
        path = raw_path.decode("utf-8", "replace")
        if path == reviewlog.LOG_NAME and kind == b"blob":
            whole = True
            continue
        found = _MONTH_PATH.fullmatch(path)
        if kind != b"blob" or not found:
            shown = path.encode("ascii", "backslashreplace").decode()
            raise error(f"{where}:{shown}: not a month of the review log; local state untouched")
        months[found.group(1)] = (oid.decode(), int(size))
    return Tree(dict(sorted(months.items())), whole)


def blobs(git: Git, oids: list[str]) -> list[bytes]:
    """The contents of the objects `oids`, read by one git."""
    if not oids:
        return []
    out = git("cat-file", "--batch", stdin="".join(f"{oid}\n" for oid in oids).encode())
    found, pos = [], 0
    for _ in oids:
        head_end = out.index(b"\n", pos)
        size = int(out[pos:head_end].split()[2])
        found.append(out[head_end + 1 : head_end + 1 + size])
        pos = head_end + 1 + size + 1
    return found


def read_log(
    git: Git, commit: str, where: str, error: type[Eng28Error]
) -> list[tuple[str, bytes]] | None:
    """The files of the log a commit holds, each as (its path, its bytes), an older eng28's
    whole file first, then the months; joined they are the log. None: it holds none.
    Refused over the size limit of every file eng28 reads."""
    found = tree(git, commit, where, error)
    oids = [oid for oid, _ in found.months.values()]
    sizes = [size for _, size in found.months.values()]
    names = [f"{MONTHS}/{name}.jsonl" for name in found.months]
    if found.whole:
        oids.insert(0, git("rev-parse", f"{commit}:{reviewlog.LOG_NAME}").decode().strip())
        sizes.insert(0, int(git("cat-file", "-s", oids[0]).decode().strip()))
        names.insert(0, reviewlog.LOG_NAME)
    if not oids:
        return None
    if sum(sizes) > files.MAX_BYTES:
        limit = files.MAX_BYTES // (1024 * 1024)
        raise error(f"{where}: the review log is over {limit} MB; local state untouched")
    pieces = list(zip(names, blobs(git, oids), strict=True))
    # Each file's last line ends where the file does, even without its newline.
    return [
        (n, d if d.endswith(b"\n") or i == len(pieces) - 1 else d + b"\n")
        for i, (n, d) in enumerate(pieces)
    ]


def name_line(message: str, where: str, pieces: list[tuple[str, bytes]]) -> str:
    """An error about line N of the joined log `pieces` (`WHERE reviews.jsonl: line N`),
    named by the file of the commit `where` that holds the line, and its line there."""
    found = re.search(re.escape(where + reviewlog.LOG_NAME) + r": line (\d+)", message)
    if found is None or not pieces:
        return message
    number = int(found.group(1))
    for name, data in pieces:
        lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
        if number <= lines:
            return message.replace(found.group(0), f"{where}{name}: line {number}", 1)
        number -= lines
    return message


def months_of(log: bytes) -> dict[str, bytes]:
    """A log as `reviewlog.dump` writes it, cut into its months (its lines are in the order
    of their moments, so each month's lie together)."""
    months: dict[str, list[bytes]] = {}
    for line in log.splitlines(keepends=True):
        at = line.find(_MOMENT) + len(_MOMENT)  # the line's own: no text before it holds it
        months.setdefault(line[at : at + 7].decode("ascii"), []).append(line)
    return {name: b"".join(lines) for name, lines in sorted(months.items())}


def object_id(data: bytes | memoryview, like: str) -> str:
    """The id git gives a blob of `data`, in the hash of the object id `like`."""
    digest = hashlib.sha1() if len(like) == 40 else hashlib.sha256()
    digest.update(b"blob %d\0" % len(data))
    digest.update(data)
    return digest.hexdigest()


def stage(
    git: Git, months: dict[str, bytes] | dict[str, bytes | memoryview], known: Iterable[Tree]
) -> None:
    """Put `months` in the repository's index as its whole log (and no file of an older
    eng28's): an object the repository has already (a month of `known`) is used as it is,
    any other is written."""
    have = {(name, oid) for t in known for name, (oid, _) in t.months.items()}
    entries = []
    for name, data in months.items():
        oid = object_id(data, next(iter(have))[1]) if have else ""
        if (name, oid) not in have:
            oid = git("hash-object", "-w", "--stdin", stdin=bytes(data)).decode().strip()
        entries.append(f"100644 {oid}\t{MONTHS}/{name}.jsonl\n")
    git("rm", "--cached", "-r", "-q", "--ignore-unmatch", "--", MONTHS, reviewlog.LOG_NAME)
    if entries:
        git("update-index", "--index-info", stdin="".join(entries).encode())
