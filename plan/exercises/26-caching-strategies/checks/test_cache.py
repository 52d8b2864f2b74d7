"""Checks for an LRU cache with TTLs and single-flight loading, on a hand-driven clock."""

import asyncio

import pytest
from cache import Cache


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def make(capacity=3, ttl=10.0):
    clock = Clock()
    return Cache(capacity, ttl, clock), clock


def test_set_get_delete_and_misses():
    cache, _ = make()
    assert cache.get("a") is None, "a key never set is a miss (None)"
    cache.set("a", 1)
    assert cache.get("a") == 1, f"expected 1, got {cache.get('a')}"
    cache.set("a", 2)
    assert cache.get("a") == 2, "set replaces the value"
    cache.delete("a")
    cache.delete("never-there")
    assert cache.get("a") is None and len(cache) == 0, "delete removes the entry"


def test_entries_expire_exactly_at_their_ttl_and_stop_counting():
    cache, clock = make(ttl=10.0)
    cache.set("a", 1)
    cache.set("b", 2, ttl=30.0)
    clock.now += 9.999
    assert cache.get("a") == 1, "still live just before set time + ttl"
    clock.now += 0.001
    assert cache.get("a") is None, "expired at exactly set time + ttl"
    assert cache.get("b") == 2, "a per-key ttl of 30 s outlives the default"
    assert len(cache) == 1, f"only b is live, len should be 1, got {len(cache)}"


def test_eviction_removes_the_least_recently_used_and_get_refreshes():
    cache, _ = make(capacity=3)
    for key in "abc":
        cache.set(key, key.upper())
    cache.get("a")  # b is now the least recently used
    cache.set("d", "D")
    got = {k: cache.get(k) for k in "abcd"}
    assert got == {"a": "A", "b": None, "c": "C", "d": "D"}, f"expected b evicted, got {got}"
    # the gets above left the order a, c, d; replacing c must not evict a to make room
    cache.set("c", "C2")
    got = {k: cache.get(k) for k in "acd"}
    assert got == {"a": "A", "c": "C2", "d": "D"}, f"replacing must not evict, got {got}"
    cache.set("e", "E")  # the order is a, c, d again, so a goes
    got = {k: cache.get(k) for k in "acde"}
    assert got == {"a": None, "c": "C2", "d": "D", "e": "E"}, f"expected a evicted, got {got}"


def test_a_full_cache_drops_expired_entries_before_evicting_live_ones():
    cache, clock = make(capacity=3, ttl=10.0)
    cache.set("old", 1, ttl=1.0)
    cache.set("x", 2)
    cache.set("y", 3)
    clock.now += 5
    cache.set("z", 4)
    got = {k: cache.get(k) for k in ("old", "x", "y", "z")}
    assert got == {"old": None, "x": 2, "y": 3, "z": 4}, (
        f"expected the expired entry to make room, not the least recently used live one; got {got}"
    )


def test_bad_settings_are_refused():
    for capacity, ttl in [(0, 10.0), (3, 0.0), (3, -1.0)]:
        with pytest.raises(ValueError):
            Cache(capacity, ttl, Clock())


def gated_loader(value="v"):
    state = {"calls": 0, "gate": asyncio.Event()}

    async def loader():
        state["calls"] += 1
        await state["gate"].wait()
        return value

    return loader, state


def test_concurrent_misses_share_one_load_and_a_hit_calls_nothing():
    async def scenario():
        cache, _ = make()
        loader, state = gated_loader("fresh")
        tasks = [asyncio.create_task(cache.get_or_load("hot", loader)) for _ in range(50)]
        await asyncio.sleep(0)
        state["gate"].set()
        results = await asyncio.gather(*tasks)
        assert state["calls"] == 1, f"expected one origin fetch for 50 misses, got {state['calls']}"
        assert results == ["fresh"] * 50, "every caller gets the loaded value"
        again = await cache.get_or_load("hot", loader)
        assert (again, state["calls"]) == ("fresh", 1), "a hit must not call the loader"

    asyncio.run(scenario())


def test_different_keys_load_independently_and_expiry_triggers_a_reload():
    async def scenario():
        cache, clock = make(ttl=10.0)
        calls = []

        async def load_for(key):
            calls.append(key)
            await asyncio.sleep(0)
            return key * 2

        got = await asyncio.gather(
            cache.get_or_load("a", lambda: load_for("a")),
            cache.get_or_load("b", lambda: load_for("b")),
        )
        assert got == ["aa", "bb"] and sorted(calls) == ["a", "b"], (
            f"expected one load per key, got results {got} and calls {calls}"
        )
        clock.now += 10
        await cache.get_or_load("a", lambda: load_for("a"))
        assert calls.count("a") == 2, f"an expired entry is loaded again, got calls {calls}"

    asyncio.run(scenario())


def test_a_failed_load_reaches_every_waiter_and_is_not_cached():
    async def scenario():
        cache, _ = make()
        gate, calls = asyncio.Event(), []

        async def failing():
            calls.append(1)
            await gate.wait()
            raise ConnectionError("origin down")

        tasks = [asyncio.create_task(cache.get_or_load("k", failing)) for _ in range(5)]
        await asyncio.sleep(0)
        gate.set()
        results = await asyncio.gather(*tasks, return_exceptions=True)
        assert len(calls) == 1, f"expected one failed fetch, got {len(calls)}"
        assert all(isinstance(r, ConnectionError) for r in results), (
            f"every waiter should see the ConnectionError, got {results}"
        )
        assert cache.get("k") is None, "a failure is not cached"
        loader, state = gated_loader("ok")
        state["gate"].set()
        assert await cache.get_or_load("k", loader) == "ok", "the next call loads again"

    asyncio.run(scenario())


def test_an_invalidation_during_a_load_keeps_the_loaded_value_out_of_the_cache():
    async def scenario():
        cache, _ = make()
        loader, state = gated_loader("old-row")
        tasks = [asyncio.create_task(cache.get_or_load("k", loader)) for _ in range(3)]
        await asyncio.sleep(0)
        cache.delete("k")  # a writer updated the row and invalidated while we were reading
        state["gate"].set()
        results = await asyncio.gather(*tasks)
        assert results == ["old-row"] * 3, f"the callers still get their answer, got {results}"
        assert cache.get("k") is None, "but the possibly stale value must not be stored"

        loader, state = gated_loader("old-row")
        task = asyncio.create_task(cache.get_or_load("k", loader))
        await asyncio.sleep(0)
        cache.set("k", "new-row")  # write-through during the load
        state["gate"].set()
        await task
        assert cache.get("k") == "new-row", (
            f"a set during the load must win over the load, got {cache.get('k')!r}"
        )
        loader, state = gated_loader("next")
        state["gate"].set()
        cache.delete("k")
        await cache.get_or_load("k", loader)
        assert cache.get("k") == "next", "a later, clean load is stored again"

    asyncio.run(scenario())
