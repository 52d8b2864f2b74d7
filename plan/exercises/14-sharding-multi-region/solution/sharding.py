"""Two ways to place keys on shards: a consistent-hash ring with virtual nodes, and a
range router whose ranges split as they grow."""

from __future__ import annotations

import bisect
import hashlib


def stable_hash(key: str) -> int:
    """A 64-bit hash that is the same in every process (unlike Python's salted hash()):
    int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big")."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big")


class HashRing:
    """Consistent hashing: each node owns `vnodes` points on a ring of 64-bit positions."""

    def __init__(self, vnodes: int = 64) -> None:
        """An empty ring; vnodes < 1 is a ValueError."""
        if vnodes < 1:
            raise ValueError(f"vnodes must be at least 1, got {vnodes}")
        self.vnodes = vnodes
        self._points: list[tuple[int, str]] = []

    @property
    def nodes(self) -> set[str]:
        """The nodes on the ring."""
        return {node for _, node in self._points}

    def add_node(self, node: str) -> None:
        """Place the node's points at stable_hash(f"{node}#{i}") for i in 0..vnodes-1.
        A node already on the ring is a ValueError."""
        if node in self.nodes:
            raise ValueError(f"node {node!r} is on the ring already")
        for i in range(self.vnodes):
            bisect.insort(self._points, (stable_hash(f"{node}#{i}"), node))

    def remove_node(self, node: str) -> None:
        """Take the node's points off the ring; a node not on it is a KeyError."""
        if node not in self.nodes:
            raise KeyError(node)
        self._points = [p for p in self._points if p[1] != node]

    def node_for(self, key: str) -> str:
        """The node owning the first point at or after stable_hash(key), wrapping round to
        the lowest point past the top. Points at one position go to the smaller node name.
        An empty ring is a LookupError."""
        if not self._points:
            raise LookupError("the ring has no nodes")
        i = bisect.bisect_left(self._points, (stable_hash(key), ""))
        return self._points[i % len(self._points)][1]


class RangeRouter:
    """Contiguous key ranges, each owned by one shard, that start as one range over all keys.

    A range covers [start, end) in Python string order; the first starts at "" and the
    last has no end (None).
    """

    def __init__(self, first_shard: str) -> None:
        """One range, ["", None), owned by `first_shard`."""
        self._starts: list[str] = [""]
        self._shards: list[str] = [first_shard]

    def shard_for(self, key: str) -> str:
        """The shard whose range holds `key`."""
        return self._shards[bisect.bisect_right(self._starts, key) - 1]

    def split(self, at: str, new_shard: str) -> None:
        """Split the range holding `at` into [start, at), kept by its shard, and [at, end),
        given to `new_shard`. `at` already a range start (including "") or a shard id in use
        is a ValueError."""
        if at in self._starts:
            raise ValueError(f"{at!r} is a range start already")
        if new_shard in self._shards:
            raise ValueError(f"shard {new_shard!r} exists already")
        i = bisect.bisect_right(self._starts, at)
        self._starts.insert(i, at)
        self._shards.insert(i, new_shard)

    def ranges(self) -> list[tuple[str, str | None, str]]:
        """Every range as (start, end, shard), in key order; the last end is None."""
        ends: list[str | None] = [*self._starts[1:], None]
        return list(zip(self._starts, ends, self._shards, strict=True))


def split_point(keys: list[str]) -> str:
    """Where to split a range holding these keys so that both halves get keys and the left
    half gets len(distinct) // 2 of them: the distinct key at that index in sorted order.
    Fewer than two distinct keys is a ValueError."""
    distinct = sorted(set(keys))
    if len(distinct) < 2:
        raise ValueError("a range needs two distinct keys to split")
    return distinct[len(distinct) // 2]
