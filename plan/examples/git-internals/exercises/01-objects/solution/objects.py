"""Git's object store by hand: ids, loose paths, and the loose object format."""

import hashlib
import re
import zlib


def _framed(kind: str, data: bytes) -> bytes:
    return f"{kind} {len(data)}".encode() + b"\0" + data


def object_id(kind: str, data: bytes, algorithm: str = "sha1") -> str:
    """The hex id Git gives an object of `kind` ("blob", "tree", "commit", "tag") holding
    `data`: the `algorithm` digest ("sha1" or "sha256") of b"<kind> <len>\\0" + data."""
    return hashlib.new(algorithm, _framed(kind, data)).hexdigest()


def loose_path(oid: str) -> str:
    """"objects/ab/cdef...": where the object `oid` lives loose, relative to .git. Raises
    ValueError unless `oid` is 40 or 64 lowercase hex digits."""
    if not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", oid):
        raise ValueError(f"not an object id: {oid!r}")
    return f"objects/{oid[:2]}/{oid[2:]}"


def encode(kind: str, data: bytes) -> bytes:
    """The bytes of a loose object file: the header and `data`, compressed with zlib."""
    return zlib.compress(_framed(kind, data))


def decode(raw: bytes) -> tuple[str, bytes]:
    """(kind, data) of a loose object file's bytes. Raises ValueError when the length in the
    header does not match the content."""
    header, _, data = zlib.decompress(raw).partition(b"\0")
    kind, _, size = header.decode().partition(" ")
    if int(size) != len(data):
        raise ValueError(f"header says {size} bytes, the content has {len(data)}")
    return kind, data
