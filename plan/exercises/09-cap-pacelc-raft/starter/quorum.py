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
        raise NotImplementedError

    @property
    def overlapping(self) -> bool:
        """True when every read set must share a replica with every write set."""
        raise NotImplementedError

    def write(self, key: str, value: Any, version: int, reachable: Iterable[int]) -> bool:
        """Send (version, value) to every reachable replica; return True if >= W acknowledged.

        Every reachable replica acknowledges, but keeps whichever of its own and the
        incoming version is higher (last writer wins by version). A write that gets
        fewer than W acknowledgements is reported as failed and is not rolled back.
        A replica named twice counts once; a replica id outside 0..n-1 is a ValueError.
        """
        raise NotImplementedError

    def read(self, key: str, reachable: Iterable[int]) -> Any | None:
        """Ask the first R distinct reachable replicas (in the order given) for key.

        Raise QuorumError, changing nothing, if fewer than R distinct replicas are
        reachable. Return the value with the highest version among the answers, or
        None if none of them holds the key. Read repair: every contacted replica that
        lacks the newest version is given it; replicas not contacted are untouched.
        """
        raise NotImplementedError
