"""Validated copies of the plan, config and state files, kept between runs.

To read its three files, eng28 parses TOML and builds pydantic validators, and that takes
longer than everything else `eng28 today` does. So once a file has validated, the result is
pickled into the cache folder under a fingerprint: the file's bytes (length and CRC-32), its
path, the versions of eng28 and pydantic, and eng28's own modules. A later run that reads the
same bytes loads the pickle instead and skips both the parse and the validators.

A snapshot is only ever a copy of something that validated. If it is missing, stale or
unreadable, the file is simply read again; a failed write of one is ignored. The pickles live in
the learner's own cache folder, next to the files they copy, are created with mode 0600, and are
loaded only when owned by the learner and writable by no one else. Commands that change a file
read it afresh, never from its snapshot.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path
from typing import Any

from eng28.paths import cache_dir


def _file(kind: str) -> str:
    return os.path.join(cache_dir(), f"{kind}.pickle")


_code: tuple[object, ...] | None = None


def _code_fingerprint() -> tuple[object, ...]:
    """eng28's and pydantic's versions, and the size and mtime of each of eng28's modules: an
    editable install changes its code without changing its version. Taken once per run, at its
    first use, so that code edited while a command waits on an editor cannot be mixed up."""
    global _code
    if _code is None:
        import pydantic.version

        from eng28 import __version__

        package = os.path.dirname(os.path.abspath(__file__))
        with os.scandir(package) as entries:
            modules = sorted(
                (e.name, e.stat().st_size, e.stat().st_mtime_ns)
                for e in entries
                if e.name.endswith(".py")
            )
        _code = (__version__, pydantic.version.VERSION, *modules)
    return _code


def _fingerprint(path: Path, raw: bytes) -> tuple[object, ...]:
    return (*_code_fingerprint(), os.path.abspath(path), len(raw), zlib.crc32(raw))


def load(kind: str, path: Path, raw: bytes) -> Any | None:
    """The object saved for `path` when it held exactly `raw`, or None."""
    import pickle

    try:
        with open(_file(kind), "rb") as handle:
            info = os.fstat(handle.fileno())
            if info.st_uid != os.getuid() or info.st_mode & 0o022:
                return None  # only what this user wrote, and no one else could have changed
            if pickle.load(handle) != _fingerprint(path, raw):
                return None
            return pickle.load(handle)
    except Exception:  # noqa: BLE001 - whatever is wrong with a copy, the file is read instead
        return None


def save(kind: str, path: Path, raw: bytes, value: Any) -> None:
    """Keep `value`, the validated reading of `raw` from `path`, for the next run."""
    import pickle
    import tempfile

    try:
        folder = cache_dir()
        os.makedirs(folder, exist_ok=True)
        _remove_stale_temp_files(folder, kind)
        fd, tmp = tempfile.mkstemp(prefix=f".{kind}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(_fingerprint(path, raw), handle, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, _file(kind))
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except Exception:  # noqa: BLE001 - a cache that cannot be written only costs speed
        pass


def _remove_stale_temp_files(folder: str, kind: str) -> None:
    """Temp files of saves killed half-way (a minute old: not another run's, in progress)."""
    import glob
    import time

    for stale in glob.glob(os.path.join(folder, f".{kind}.*.tmp")):
        try:
            if os.stat(stale).st_mtime < time.time() - 60:
                os.unlink(stale)
        except OSError:
            pass
