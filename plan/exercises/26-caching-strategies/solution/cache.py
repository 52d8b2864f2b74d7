"""An LRU cache with TTLs, and request coalescing that keeps a hot key's miss from stampeding.

Time comes from the `clock` passed in (a function returning seconds as a float), never from the
system, so a test can move it by hand. Values are never None: None means "not in the cache".
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any


class Cache:
    def __init__(self, capacity: int, ttl: float, clock: Callable[[], float]) -> None:
        """At most `capacity` entries, each live for `ttl` seconds unless set() says otherwise.
        ValueError if capacity < 1 or ttl <= 0."""
        if capacity < 1 or ttl <= 0:
            raise ValueError(f"capacity must be >= 1 and ttl > 0, got {capacity} and {ttl}")
        self.capacity, self.ttl, self.clock = capacity, ttl, clock
        self._data: OrderedDict[Hashable, tuple[Any, float]] = OrderedDict()
        self._inflight: dict[Hashable, asyncio.Future[Any]] = {}
        self._invalidated: set[Hashable] = set()

    def get(self, key: Hashable) -> Any | None:
        """The live value of `key`, or None. An entry set at time t with ttl d is live while
        clock() < t + d; an expired entry is dropped. A hit makes `key` the most recently used."""
        entry = self._data.get(key)
        if entry is None:
            return None
        if self.clock() >= entry[1]:
            del self._data[key]
            return None
        self._data.move_to_end(key)
        return entry[0]

    def set(self, key: Hashable, value: Any, ttl: float | None = None) -> None:
        """Store `value` for `ttl` seconds (the cache's ttl when None); the key becomes the most
        recently used. Adding a new key to a full cache first drops expired entries and, if it is
        still full, evicts the least recently used one. Replacing a key never evicts another.
        A set (like a delete) during an in-flight load of the same key keeps that load's result
        out of the cache."""
        if value is None:
            raise ValueError("None cannot be cached: it means a miss")
        now = self.clock()
        if key in self._inflight:
            self._invalidated.add(key)
        if key not in self._data and len(self._data) >= self.capacity:
            for old in [k for k, (_, exp) in self._data.items() if now >= exp]:
                del self._data[old]
            if len(self._data) >= self.capacity:
                self._data.popitem(last=False)
        self._data[key] = (value, now + (self.ttl if ttl is None else ttl))
        self._data.move_to_end(key)

    def delete(self, key: Hashable) -> None:
        """Remove `key` if present (an invalidation after a write). If a load of `key` is in
        flight, its result is still handed to its callers but not stored: it may predate the
        write (the stale-set race that memcache leases close)."""
        if key in self._inflight:
            self._invalidated.add(key)
        self._data.pop(key, None)

    def __len__(self) -> int:
        """The number of live entries (expired ones are not counted)."""
        now = self.clock()
        return sum(1 for _, exp in self._data.values() if now < exp)

    async def get_or_load(self, key: Hashable, loader: Callable[[], Awaitable[Any]]) -> Any:
        """The value of `key`: from the cache on a hit (loader not called); on a miss from one call
        of `loader()` shared by every caller that misses on `key` while it runs (single flight),
        then stored with the default ttl unless invalidated meanwhile. If the loader raises, every
        one of those callers gets the exception, nothing is stored, and the next call loads again.
        """
        value = self.get(key)
        if value is not None:
            return value
        pending = self._inflight.get(key)
        if pending is not None:
            # shield: one impatient caller being cancelled must not cancel everyone's load
            return await asyncio.shield(pending)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        try:
            value = await loader()
        except asyncio.CancelledError:
            future.cancel()
            raise
        except Exception as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: no "never retrieved" warning when nobody waited
            raise
        finally:
            del self._inflight[key]
            invalidated = key in self._invalidated
            self._invalidated.discard(key)
        if not invalidated:
            self.set(key, value)
        future.set_result(value)
        return value
