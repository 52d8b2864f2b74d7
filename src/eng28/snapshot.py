"""Validated copies of the plan, config and state files, kept between runs.

To read its three files, eng28 parses TOML and builds pydantic validators, and that takes
longer than everything else `eng28 today` does. So once a file has validated, the result is
pickled into the cache folder under a fingerprint. The fingerprint is the file's bytes (length
and CRC-32), its path, and the versions of eng28, pydantic and eng28's models. A later run that
reads the same bytes loads the pickle instead and skips both the parse and the validators.

A snapshot is only ever a copy of something that validated. If it is missing, stale or
unreadable, the file is simply read again; a failed write of one is ignored. The pickles live in
the learner's own cache folder, next to the files they copy, and are created with mode 0600.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path
from typing import Any

from eng28.paths import cache_dir


def _file(kind: str) -> str:
    return os.path.join(cache_dir(), f"{kind}.pickle")


def _fingerprint(path: Path, raw: bytes) -> tuple[object, ...]:
    import pydantic.version

    from eng28 import __version__, models

    # The models file too: an editable install changes its code without changing its version.
    code = os.stat(models.__file__)
    return (
        __version__,
        pydantic.version.VERSION,
        code.st_size,
        code.st_mtime_ns,
        os.path.abspath(path),
        len(raw),
        zlib.crc32(raw),
    )


def load(kind: str, path: Path, raw: bytes) -> Any | None:
    """The object saved for `path` when it held exactly `raw`, or None."""
    import pickle

    try:
        with open(_file(kind), "rb") as handle:
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
