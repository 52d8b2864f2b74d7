"""Git's object store by hand: ids, loose paths, and the loose object format."""


def object_id(kind: str, data: bytes, algorithm: str = "sha1") -> str:
    """The hex id Git gives an object of `kind` ("blob", "tree", "commit", "tag") holding
    `data`: the `algorithm` digest ("sha1" or "sha256") of b"<kind> <len>\\0" + data."""
    raise NotImplementedError


def loose_path(oid: str) -> str:
    """"objects/ab/cdef...": where the object `oid` lives loose, relative to .git. Raises
    ValueError unless `oid` is 40 or 64 lowercase hex digits."""
    raise NotImplementedError


def encode(kind: str, data: bytes) -> bytes:
    """The bytes of a loose object file: the header and `data`, compressed with zlib."""
    raise NotImplementedError


def decode(raw: bytes) -> tuple[str, bytes]:
    """(kind, data) of a loose object file's bytes. Raises ValueError when the length in the
    header does not match the content."""
    raise NotImplementedError
