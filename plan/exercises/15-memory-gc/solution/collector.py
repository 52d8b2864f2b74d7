"""Two garbage collectors over a toy heap: tracing (mark-sweep) and reference counting
with a CPython-style cycle collector."""

from collections import Counter
from collections.abc import Iterable, Mapping


def mark_sweep(heap: Mapping[str, list[str]], roots: Iterable[str]) -> set[str]:
    """Return the ids of the objects a mark-sweep collection frees.

    `heap` maps every object id to the ids it references (repeats allowed). An object
    survives if a root reaches it through references; every other object is freed,
    cycles included. Raises ValueError for a root or a reference naming an object that
    is not in `heap`. Never mutates `heap`; works on chains far deeper than Python's
    recursion limit.
    """
    for src, refs in heap.items():
        for dst in refs:
            if dst not in heap:
                raise ValueError(f"{src!r} references {dst!r}, which is not in the heap")
    marked: set[str] = set()
    stack: list[str] = []
    for root in roots:
        if root not in heap:
            raise ValueError(f"root {root!r} is not in the heap")
        stack.append(root)
    while stack:
        oid = stack.pop()
        if oid in marked:
            continue
        marked.add(oid)
        stack.extend(dst for dst in heap[oid] if dst not in marked)
    return set(heap) - marked


class RefHeap:
    """A heap managed by reference counting.

    An object's count is the number of root references to it (locals, globals) plus the
    number of references stored in other live objects. When a count reaches zero the
    object is freed at once and its own references are dropped, which can free more.
    """

    def __init__(self) -> None:
        """An empty heap: no objects, no roots."""
        self._refs: dict[str, list[str]] = {}
        self._roots: Counter[str] = Counter()
        self._count: dict[str, int] = {}

    def new(self, oid: str) -> None:
        """Allocate `oid` held by one root reference (count 1). ValueError if it is live."""
        if oid in self._refs:
            raise ValueError(f"{oid!r} is already live")
        self._refs[oid] = []
        self._count[oid] = 1
        self._roots[oid] = 1

    def add_root(self, oid: str) -> None:
        """Add one more root reference to the live object `oid` (KeyError if not live)."""
        self._live(oid)
        self._roots[oid] += 1
        self._count[oid] += 1

    def drop_root(self, oid: str) -> set[str]:
        """Drop one root reference to `oid`; return the ids freed as a result.

        KeyError if `oid` is not live; ValueError if no root references it.
        """
        self._live(oid)
        if self._roots[oid] == 0:
            raise ValueError(f"no root references {oid!r}")
        self._roots[oid] -= 1
        return self._decref(oid)

    def add_ref(self, src: str, dst: str) -> None:
        """Store a reference to `dst` in `src` (both must be live: KeyError otherwise)."""
        self._live(src)
        self._live(dst)
        self._refs[src].append(dst)
        self._count[dst] += 1

    def drop_ref(self, src: str, dst: str) -> set[str]:
        """Remove one reference from `src` to `dst`; return the ids freed as a result.

        KeyError if either is not live; ValueError if `src` holds no reference to `dst`.
        """
        self._live(src)
        self._live(dst)
        if dst not in self._refs[src]:
            raise ValueError(f"{src!r} holds no reference to {dst!r}")
        self._refs[src].remove(dst)
        return self._decref(dst)

    def refcount(self, oid: str) -> int:
        """The current count of the live object `oid` (KeyError if not live)."""
        self._live(oid)
        return self._count[oid]

    def live(self) -> set[str]:
        """The ids of every object not yet freed."""
        return set(self._refs)

    def collect_cycles(self) -> set[str]:
        """Free every live object that no root can reach (garbage cycles and whatever
        only they reference), as CPython's cycle collector does; return their ids.

        Survivors keep correct counts: a reference from a freed object to a survivor no
        longer counts.
        """
        # Trial deletion: subtract the references that come from inside the heap; what is
        # left over is held from outside (a root) and everything it reaches survives.
        gc_refs = dict(self._count)
        for refs in self._refs.values():
            for dst in refs:
                gc_refs[dst] -= 1
        reachable: set[str] = set()
        stack = [oid for oid, n in gc_refs.items() if n > 0]
        while stack:
            oid = stack.pop()
            if oid in reachable:
                continue
            reachable.add(oid)
            stack.extend(self._refs[oid])
        garbage = set(self._refs) - reachable
        for oid in garbage:
            for dst in self._refs[oid]:
                if dst not in garbage:
                    self._count[dst] -= 1
        for oid in garbage:
            del self._refs[oid], self._count[oid]
            self._roots.pop(oid, None)
        return garbage

    def _live(self, oid: str) -> None:
        if oid not in self._refs:
            raise KeyError(oid)

    def _decref(self, oid: str) -> set[str]:
        freed: set[str] = set()
        pending = [oid]
        while pending:
            cur = pending.pop()
            self._count[cur] -= 1
            if self._count[cur] == 0:
                freed.add(cur)
                pending.extend(self._refs.pop(cur))
                del self._count[cur]
                self._roots.pop(cur, None)
        return freed
