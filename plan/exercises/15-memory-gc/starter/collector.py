"""Two garbage collectors over a toy heap: tracing (mark-sweep) and reference counting
with a CPython-style cycle collector."""

from collections.abc import Iterable, Mapping


def mark_sweep(heap: Mapping[str, list[str]], roots: Iterable[str]) -> set[str]:
    """Return the ids of the objects a mark-sweep collection frees.

    `heap` maps every object id to the ids it references (repeats allowed). An object
    survives if a root reaches it through references; every other object is freed,
    cycles included. Raises ValueError for a root or a reference naming an object that
    is not in `heap`. Never mutates `heap`; works on chains far deeper than Python's
    recursion limit.
    """
    raise NotImplementedError


class RefHeap:
    """A heap managed by reference counting.

    An object's count is the number of root references to it (locals, globals) plus the
    number of references stored in other live objects. When a count reaches zero the
    object is freed at once and its own references are dropped, which can free more.
    """

    def __init__(self) -> None:
        """An empty heap: no objects, no roots."""
        raise NotImplementedError

    def new(self, oid: str) -> None:
        """Allocate `oid` held by one root reference (count 1). ValueError if it is live."""
        raise NotImplementedError

    def add_root(self, oid: str) -> None:
        """Add one more root reference to the live object `oid` (KeyError if not live)."""
        raise NotImplementedError

    def drop_root(self, oid: str) -> set[str]:
        """Drop one root reference to `oid`; return the ids freed as a result.

        KeyError if `oid` is not live; ValueError if no root references it.
        """
        raise NotImplementedError

    def add_ref(self, src: str, dst: str) -> None:
        """Store a reference to `dst` in `src` (both must be live: KeyError otherwise)."""
        raise NotImplementedError

    def drop_ref(self, src: str, dst: str) -> set[str]:
        """Remove one reference from `src` to `dst`; return the ids freed as a result.

        KeyError if either is not live; ValueError if `src` holds no reference to `dst`.
        """
        raise NotImplementedError

    def refcount(self, oid: str) -> int:
        """The current count of the live object `oid` (KeyError if not live)."""
        raise NotImplementedError

    def live(self) -> set[str]:
        """The ids of every object not yet freed."""
        raise NotImplementedError

    def collect_cycles(self) -> set[str]:
        """Free every live object that no root can reach (garbage cycles and whatever
        only they reference), as CPython's cycle collector does; return their ids.

        Survivors keep correct counts: a reference from a freed object to a survivor no
        longer counts.
        """
        raise NotImplementedError
