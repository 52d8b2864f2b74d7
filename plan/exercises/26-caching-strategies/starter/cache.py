"""An LRU cache with TTLs, and request coalescing that keeps a hot key's miss from stampeding.

Time comes from the `clock` passed in (a function returning seconds as a float), never from the
system, so a test can move it by hand. Values are never None: None means "not in the cache".
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import Any


class Cache:
    def __init__(self, capacity: int, ttl: float, clock: Callable[[], float]) -> None:
        """At most `capacity` entries, each live for `ttl` seconds unless set() says otherwise.
        ValueError if capacity < 1 or ttl <= 0."""
        raise NotImplementedError

    def get(self, key: Hashable) -> Any | None:
        """The live value of `key`, or None. An entry set at time t with ttl d is live while
        clock() < t + d; an expired entry is dropped. A hit makes `key` the most recently used."""
        raise NotImplementedError

    def set(self, key: Hashable, value: Any, ttl: float | None = None) -> None:
        """Store `value` for `ttl` seconds (the cache's ttl when None); the key becomes the most
        recently used. Adding a new key to a full cache first drops expired entries and, if it is
        still full, evicts the least recently used one. Replacing a key never evicts another.
        A set (like a delete) during an in-flight load of the same key keeps that load's result
        out of the cache."""
        raise NotImplementedError

    def delete(self, key: Hashable) -> None:
        """Remove `key` if present (an invalidation after a write). If a load of `key` is in
        flight, its result is still handed to its callers but not stored: it may predate the
        write (the stale-set race that memcache leases close)."""
        raise NotImplementedError

    def __len__(self) -> int:
        """The number of live entries (expired ones are not counted)."""
        raise NotImplementedError

    async def get_or_load(self, key: Hashable, loader: Callable[[], Awaitable[Any]]) -> Any:
        """The value of `key`: from the cache on a hit (loader not called); on a miss from one call
        of `loader()` shared by every caller that misses on `key` while it runs (single flight),
        then stored with the default ttl unless invalidated meanwhile. If the loader raises, every
        one of those callers gets the exception, nothing is stored, and the next call loads again.
        """
        raise NotImplementedError
