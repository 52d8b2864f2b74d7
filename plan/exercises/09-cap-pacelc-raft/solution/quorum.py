"""Leaderless quorum reads and writes over N simulated replicas (Dynamo style)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class QuorumError(Exception):
    """Fewer replicas answered than the operation needs."""


class QuorumStore:
    """N replicas, each a dict mapping a key to its (version, value).

    A write asks for W acknowledgements, a read for R answers. Which replicas a
    call can reach is passed in, so a test decides who is up and who is cut off.
    """

    def __init__(self, n: int, w: int, r: int) -> None:
        """Keep n, w, r, and `replicas`: a list of n empty dicts (key -> (version, value)).

        Raise ValueError unless n >= 1, 1 <= w <= n and 1 <= r <= n.
        """
        if n < 1 or not 1 <= w <= n or not 1 <= r <= n:
            raise ValueError(f"need n >= 1 and 1 <= w, r <= n; got n={n}, w={w}, r={r}")
        self.n, self.w, self.r = n, w, r
        self.replicas: list[dict[str, tuple[int, Any]]] = [{} for _ in range(n)]

    @property
    def overlapping(self) -> bool:
        """True when every read set must share a replica with every write set."""
        return self.r + self.w > self.n

    def _distinct(self, reachable: Iterable[int]) -> list[int]:
        seen: list[int] = []
        for i in reachable:
            if not 0 <= i < self.n:
                raise ValueError(f"replica {i} does not exist (0..{self.n - 1})")
            if i not in seen:
                seen.append(i)
        return seen

    def write(self, key: str, value: Any, version: int, reachable: Iterable[int]) -> bool:
        """Send (version, value) to every reachable replica; return True if >= W acknowledged.

        Every reachable replica acknowledges, but keeps whichever of its own and the
        incoming version is higher (last writer wins by version). A write that gets
        fewer than W acknowledgements is reported as failed and is not rolled back.
        A replica named twice counts once; a replica id outside 0..n-1 is a ValueError.
        """
        targets = self._distinct(reachable)
        for i in targets:
            held = self.replicas[i].get(key)
            if held is None or held[0] < version:
                self.replicas[i][key] = (version, value)
        return len(targets) >= self.w

    def read(self, key: str, reachable: Iterable[int]) -> Any | None:
        """Ask the first R distinct reachable replicas (in the order given) for key.

        Raise QuorumError, changing nothing, if fewer than R distinct replicas are
        reachable. Return the value with the highest version among the answers, or
        None if none of them holds the key. Read repair: every contacted replica that
        lacks the newest version is given it; replicas not contacted are untouched.
        """
        targets = self._distinct(reachable)
        if len(targets) < self.r:
            raise QuorumError(f"read needs {self.r} replicas, {len(targets)} reachable")
        asked = targets[: self.r]
        answers = [self.replicas[i][key] for i in asked if key in self.replicas[i]]
        if not answers:
            return None
        newest = max(answers, key=lambda pair: pair[0])
        for i in asked:
            held = self.replicas[i].get(key)
            if held is None or held[0] < newest[0]:
                self.replicas[i][key] = newest
        return newest[1]
