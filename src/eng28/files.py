"""Reading and writing eng28's files: the one atomic write, and the one guarded read.

Standard library only (the prompt's fast path reads through here too).

A read opens regular files only, without blocking (a FIFO or a device named as a plan or state
file cannot hang eng28) and up to a size limit. A write goes to a temporary file with a random
name created exclusively (mode 0600) in the target's own folder, is fsynced and renamed over the
target: a reader sees the old file or the new one, a symlink at the target is replaced, never
followed, and no other user can plant the temporary name.
"""

from __future__ import annotations

import os
import stat

from eng28.errors import Eng28Error

TYPE_CHECKING = False  # `typing` itself costs the fast path milliseconds

if TYPE_CHECKING:  # the prompt's fast path reads through here: no import it does not need
    from collections.abc import Callable, Iterable, Iterator
    from typing import Any

#: Larger than any plan, config or state eng28 writes (a 364-day plan is about 2 MB).
MAX_BYTES = 64 * 1024 * 1024

#: Fault injection for the crash tests: ENG28_FAULT=after-write|after-fsync|after-rename makes
#: a save stop its own process dead at that point; `after-fsync:state.toml` only the save of a
#: file of that name.
FAULT_ENV = "ENG28_FAULT"


def _fault(point: str, name: str = "") -> None:
    wanted, _, only = os.environ.get(FAULT_ENV, "").partition(":")
    if wanted == point and (not only or os.path.basename(name) == only):
        import signal

        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


def _open_regular(name: str, what: str, error: type[Eng28Error]) -> tuple[int, int] | None:
    """An open descriptor of the regular file `name` and its size, or None when there is
    none: opened without blocking (a FIFO or a device cannot hang eng28); anything but a
    regular file raises `error` naming it."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(name, flags)
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise error(f"{name}: is a directory, expected the {what} file") from None
    except OSError as exc:
        raise error(f"{name}: cannot read the {what} file: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise error(f"{name}: is a directory, expected the {what} file")
        if not stat.S_ISREG(info.st_mode):
            raise error(f"{name}: is not a regular file, expected the {what} file")
    except OSError as exc:
        os.close(fd)
        raise error(f"{name}: cannot read the {what} file: {exc.strerror}") from None
    except BaseException:
        os.close(fd)
        raise
    return fd, info.st_size


def read_bytes(
    path: str | os.PathLike[str],
    what: str,
    error: type[Eng28Error] = Eng28Error,
    limit: int = MAX_BYTES,
) -> bytes | None:
    """The bytes of the regular file at `path`, or None when there is none. Anything else (a
    folder, a FIFO, a device, a file over `limit` bytes, an unreadable file) raises `error`
    with a one-line message naming the file."""
    name = os.fspath(path)
    opened = _open_regular(name, what, error)
    if opened is None:
        return None
    fd = opened[0]
    try:
        chunks, size = [], 0
        # The whole file in one read, as a rule: joining blocks would hold it twice (a year's
        # review log is 16 MB); a file that grows meanwhile is read on in blocks.
        step = max(1 << 20, min(opened[1], limit) + 1)
        while chunk := os.read(fd, step):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise error(f"{name}: the {what} file is over {limit // (1024 * 1024)} MB")
            step = 1 << 20
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    except OSError as exc:
        raise error(f"{name}: cannot read the {what} file: {exc.strerror}") from None
    finally:
        os.close(fd)


def loads_json(raw: bytes | str) -> Any:
    """`json.loads`, with a value nested deeper than the parser goes (`[[[[...` in a hostile
    file) raised as the JSONDecodeError, a ValueError, any other text that is not JSON is."""
    import json

    try:
        return json.loads(raw)
    except RecursionError:
        text = raw if isinstance(raw, str) else ""
        raise json.JSONDecodeError("nested too deep", text, 0) from None


def copy_head(key: list[Any]) -> bytes:
    """How a cache folder's JSON copy begins (`{"key": KEY, "data": TABLE}`, written by
    `json.dumps`): a reader compares these bytes before it validates anything, so a stale
    copy costs nothing (see plan._from_copy and statefile._kept_table)."""
    import json

    return b'{"key": ' + json.dumps(key, ensure_ascii=False).encode("utf-8") + b', "data": '


def make_private_dir(folder: str) -> None:
    """Create `folder` (and its parents) readable by the learner only, where it is missing."""
    os.makedirs(folder, mode=0o700, exist_ok=True)


#: What a file is written from: its bytes, or its bytes in pieces (written one after another,
#: never joined: a year's review log is 31 MB).
Data = bytes | list[bytes | memoryview]
if TYPE_CHECKING:
    #: ...or read from another file as it is written (see line_blocks).
    Stream = Iterator[bytes]


def _write_temp(
    name: str, data: Data | Stream, error: type[Eng28Error], mode: int, durable: bool = True
) -> str:
    """A private temp file next to `name` holding `data`, fsynced when `durable`; its path."""
    import contextlib
    import tempfile

    folder = os.path.dirname(os.path.abspath(name))
    try:
        make_private_dir(folder)
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(name)}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise error(f"{folder}: cannot write here: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            if mode != 0o600:
                with contextlib.suppress(OSError):
                    os.chmod(tmp, mode)
            for piece in [data] if isinstance(data, bytes) else data:
                handle.write(piece)
            handle.flush()
            _fault("after-write", name)
            if durable:
                os.fsync(handle.fileno())
        _fault("after-fsync", name)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise error(f"{name}: cannot save: {exc.strerror}") from None
    except BaseException:  # a stream of data that failed while it was written, Ctrl-C
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _sync_folder(folder: str) -> None:
    import contextlib

    if hasattr(os, "O_DIRECTORY"):
        with contextlib.suppress(OSError):
            dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)


def atomic_write(
    path: str | os.PathLike[str],
    data: Data | Stream,
    error: type[Eng28Error] = Eng28Error,
    mode: int = 0o600,
    durable: bool = True,
) -> None:
    """Replace `path` with `data` in one step: a private temp file, fsync, rename, fsync of the
    folder. On failure the old file is untouched and no temp file is left behind.

    `durable=False` is for caches, which every reader checks and may lose: the rename is as
    atomic, but neither fsync is made (each can cost milliseconds on a real disk, and a crash
    can at worst leave the cache empty or old, which its reader ignores)."""
    import contextlib

    name = os.fspath(path)
    tmp = _write_temp(name, data, error, mode, durable)
    try:
        os.replace(tmp, name)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise error(f"{name}: cannot save: {exc.strerror}") from None
    _fault("after-rename", name)
    if durable:
        _sync_folder(os.path.dirname(os.path.abspath(name)))


def line_blocks(
    path: str | os.PathLike[str],
    what: str,
    error: type[Eng28Error],
    size: int = 1 << 20,
    limit: int = MAX_BYTES,
) -> Stream:
    """The bytes of the regular file at `path` (none when there is no file) in blocks of
    whole lines, about `size` bytes each (the last one as the file ends): a large file
    read through, never held whole. Opened, and its size held to `limit`, as `read_bytes`
    opens and holds it, at the call: the blocks are read as they are taken."""
    name = os.fspath(path)
    opened = _open_regular(name, what, error)
    if opened is None:
        return iter(())
    if opened[1] > limit:
        os.close(opened[0])
        raise error(f"{name}: the {what} file is over {limit // (1024 * 1024)} MB")
    return _blocks(opened[0], name, what, error, size, limit)


def _blocks(
    fd: int, name: str, what: str, error: type[Eng28Error], size: int, limit: int
) -> Stream:
    read = 0
    try:
        rest = b""
        while True:
            try:
                block = os.read(fd, size)
            except OSError as exc:
                raise error(f"{name}: cannot read the {what} file: {exc.strerror}") from None
            if not block:
                break
            read += len(block)
            if read > limit:  # grown since it was opened
                raise error(f"{name}: the {what} file is over {limit // (1024 * 1024)} MB")
            cut = block.rfind(b"\n") + 1
            if cut:
                yield rest + block[:cut]
                rest = block[cut:]
            else:
                rest += block
        if rest:
            yield rest
    finally:
        os.close(fd)


def _equal(left: bytes | memoryview, right: bytes | memoryview) -> bool:
    """Whether two runs of bytes are equal, compared a block at a time as bytes: a
    memoryview compares item by item, about ten times slower than bytes do."""
    if len(left) != len(right):
        return False
    step = 1 << 20
    return all(
        bytes(left[at : at + step]) == bytes(right[at : at + step])
        for at in range(0, len(left), step)
    )


def same_pieces(data: bytes, pieces: list[bytes | memoryview]) -> bool:
    """Whether `pieces` joined are `data`, without joining them."""
    pos, view = 0, memoryview(data)
    for piece in pieces:
        if not _equal(view[pos : pos + len(piece)], piece):
            return False
        pos += len(piece)
    return pos == len(data)


def holds(
    path: str | os.PathLike[str], data: bytes | None, what: str, error: type[Eng28Error]
) -> bool:
    """Whether the regular file at `path` holds exactly `data` (None: there is no file),
    compared block by block: never a second copy of a large file in memory."""
    name = os.fspath(path)
    opened = _open_regular(name, what, error)
    if opened is None or data is None:
        if opened is not None:
            os.close(opened[0])
        return opened is None and data is None
    fd, size = opened
    try:
        if size != len(data):
            return False
        view, pos = memoryview(data), 0
        while pos < len(data):
            block = os.read(fd, 1 << 20)
            if not block or not _equal(view[pos : pos + len(block)], block):
                return False
            pos += len(block)
        return not os.read(fd, 1)
    except OSError as exc:
        raise error(f"{name}: cannot read the {what} file: {exc.strerror}") from None
    finally:
        os.close(fd)


def read_end(
    path: str | os.PathLike[str],
    what: str,
    enough: Callable[[bytes, int], int | None],
    error: type[Eng28Error] = Eng28Error,
) -> tuple[bytes, int] | None:
    """The end of the regular file at `path`, read backwards in blocks until
    `enough(bytes read, where they begin)` returns the offset the caller needs from: (the
    bytes from it, the offset). None when there is no file. Opened as `read_bytes` opens."""
    name = os.fspath(path)
    opened = _open_regular(name, what, error)
    if opened is None:
        return None
    fd, pos = opened
    try:
        blocks: list[bytes] = []
        while True:
            step = min(pos, 1 << 18)
            pos -= step
            blocks.insert(0, _read_at(fd, pos, step))
            found = enough(b"".join(blocks), pos) if pos or step else 0
            if found is not None or pos == 0:
                data = b"".join(blocks)
                start = max(found or 0, pos)
                return data[start - pos :], start
    except OSError as exc:
        raise error(f"{name}: cannot read the {what} file: {exc.strerror}") from None
    finally:
        os.close(fd)


def read_blocks(
    path: str | os.PathLike[str],
    what: str,
    error: type[Eng28Error] = Eng28Error,
    limit: int = MAX_BYTES,
    size: int = 1 << 20,
) -> Iterator[bytes]:
    """The bytes of the regular file at `path`, `size` bytes at a time (none when there is no
    file), for a reader that need not hold it whole. Opened and limited as `read_bytes`."""
    name = os.fspath(path)
    opened = _open_regular(name, what, error)
    if opened is None:
        return
    fd, read = opened[0], 0
    try:
        while block := os.read(fd, size):
            read += len(block)
            if read > limit:
                raise error(f"{name}: the {what} file is over {limit // (1024 * 1024)} MB")
            yield block
    except OSError as exc:
        raise error(f"{name}: cannot read the {what} file: {exc.strerror}") from None
    finally:
        os.close(fd)


def _read_at(fd: int, offset: int, size: int) -> bytes:
    os.lseek(fd, offset, os.SEEK_SET)
    chunks = []
    while size > 0 and (chunk := os.read(fd, size)):
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def append_lines(
    path: str | os.PathLike[str],
    data: bytes,
    error: type[Eng28Error] = Eng28Error,
    keep_tail: Callable[[bytes], bool] = bool,
) -> None:
    """Add whole lines `data` to the end of the file of lines at `path` (created private if
    there is none) and fsync it. A last line without its newline is given one when
    `keep_tail(line)` says it is whole, and cut off first otherwise (a write that a crash cut
    short). The caller holds the file's lock."""
    name = os.fspath(path)
    try:
        fd = os.open(name, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
    except OSError as exc:
        raise error(f"{name}: cannot save: {exc.strerror}") from None
    try:
        size = os.fstat(fd).st_size
        end = size
        if size and _read_at(fd, size - 1, 1) != b"\n":
            start = size  # where the last line begins: after the newline before it, or at 0
            while start > 0:
                step = min(start, 1 << 16)
                found = _read_at(fd, start - step, step).rfind(b"\n")
                if found >= 0:
                    start = start - step + found + 1
                    break
                start -= step
            if keep_tail(_read_at(fd, start, size - start)):
                data = b"\n" + data
            else:
                end = start
                os.ftruncate(fd, end)
        os.lseek(fd, end, os.SEEK_SET)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        _fault("after-write", name)
        os.fsync(fd)
    except OSError as exc:
        raise error(f"{name}: cannot save: {exc.strerror}") from None
    finally:
        os.close(fd)


def write_new(
    candidates: Iterable[str | os.PathLike[str]],
    data: bytes,
    error: type[Eng28Error] = Eng28Error,
) -> str:
    """Write `data` (whole, private, fsynced) under the first of `candidates` that does not
    exist yet, and return that name. An existing file is never replaced, even by another
    process racing for the same name: the finished temp file is hard-linked into place, which
    fails when the name is taken. Where hard links are not supported, the name is taken with
    an exclusive create first."""
    import contextlib
    import itertools

    names = map(os.fspath, candidates)  # made as they are tried: most copies take the first
    first = next(names)
    tmp = _write_temp(first, data, error, 0o600)
    try:
        for name in itertools.chain([first], names):
            try:
                os.link(tmp, name)
            except FileExistsError:
                continue
            except OSError:
                try:
                    os.close(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
                except FileExistsError:
                    continue
                try:
                    os.replace(tmp, name)
                except OSError:
                    with contextlib.suppress(OSError):
                        os.unlink(name)  # the empty file that held the name
                    raise
            _sync_folder(os.path.dirname(os.path.abspath(name)))
            return name
    except OSError as exc:
        raise error(f"{first}: cannot save: {exc.strerror}") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    raise error(f"{first}: cannot save: every name for it is taken")


def remove_stale_temp_files(path: str | os.PathLike[str]) -> None:
    """Temp files of saves of `path` that were killed half-way. Call it under the file's lock,
    when no other writer can be using one."""
    import contextlib
    import glob

    name = os.fspath(path)
    pattern = os.path.join(glob.escape(os.path.dirname(name)), f".{os.path.basename(name)}.*.tmp")
    for stale in glob.glob(pattern):
        with contextlib.suppress(OSError):
            os.unlink(stale)
