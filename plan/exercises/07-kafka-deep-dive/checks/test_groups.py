import random
from collections import Counter

import pytest
from groups import (
    Partitioner,
    murmur2,
    partition_for,
    range_assign,
    round_robin_assign,
    sticky_rebalance,
)

# Test vectors of the Java client's Utils.murmur2 (Kafka's UtilsTest), plus the three
# short tails (one, two and three bytes after the last full 4-byte block).
VECTORS = {
    b"21": -973932308,
    b"foobar": -790332482,
    b"a-little-bit-long-string": -985981536,
    b"a-little-bit-longer-string": -1486304829,
    b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8": -58897971,
    b"abc": 479470107,
    b"": 275646681,
    b"a": -1563381124,
    b"ab": 316155434,
}


def owners(assignment):
    return Counter(tp for tps in assignment.values() for tp in tps)


def test_murmur2_matches_the_java_client():
    for data, want in VECTORS.items():
        got = murmur2(data)
        assert got == want, f"murmur2({data!r}): expected {want}, got {got}"


def test_keys_land_in_one_partition_with_the_sign_bit_cleared():
    for data, h in VECTORS.items():
        for n in (1, 3, 6, 12):
            want = (h & 0x7FFFFFFF) % n
            got = partition_for(data, n)
            assert got == want, (
                f"partition_for({data!r}, {n}): expected (murmur2 & 0x7fffffff) % n = {want}, "
                f"got {got} (abs() or Python's % on the signed hash gives other answers)"
            )
    p = Partitioner(6)
    for i in range(20):
        key = f"customer-{i}".encode()
        seen = {p.partition(key) for _ in range(5)}
        assert seen == {partition_for(key, 6)}, f"{key!r} must always map to one partition: {seen}"
    with pytest.raises(ValueError):
        partition_for(b"k", 0)


def test_keyless_records_stick_to_a_partition_for_a_batch():
    p = Partitioner(3, batch_size=4)
    got = [p.partition(None) for _ in range(13)]
    want = [0] * 4 + [1] * 4 + [2] * 4 + [0]
    assert got == want, (
        f"batches of 4 keyless records per partition, in turn: expected {want}, got {got}"
    )
    p = Partitioner(3, batch_size=2)
    got = [p.partition(None), p.partition(b"foobar"), p.partition(None), p.partition(None)]
    want = [0, partition_for(b"foobar", 3), 0, 1]
    assert got == want, (
        f"keyed records do not count towards the sticky batch: expected {want}, got {got}"
    )
    for bad in [(0, 1), (3, 0)]:
        with pytest.raises(ValueError):
            Partitioner(*bad)


def test_range_assignor_splits_each_topic_and_favours_the_first_members():
    got = range_assign(["c2", "c1", "c3"], {"orders": 7})
    want = {
        "c1": [("orders", 0), ("orders", 1), ("orders", 2)],
        "c2": [("orders", 3), ("orders", 4)],
        "c3": [("orders", 5), ("orders", 6)],
    }
    assert got == want, (
        f"7 partitions over sorted members: 3, 2, 2 contiguous; expected {want}, got {got}"
    )
    two = range_assign(["c1", "c2", "c3"], {"a": 7, "b": 7})
    sizes = {m: len(tps) for m, tps in two.items()}
    assert sizes == {"c1": 6, "c2": 4, "c3": 4}, (
        f"range works topic by topic, so c1 gets the extra partition of both topics: {sizes}"
    )
    idle = range_assign(["m1", "m2", "m3", "m4"], {"t": 2})
    assert idle == {"m1": [("t", 0)], "m2": [("t", 1)], "m3": [], "m4": []}, (
        f"more members than partitions leaves members idle, got {idle}"
    )
    assert range_assign([], {"t": 3}) == {}, "no members: an empty assignment"
    with pytest.raises(ValueError):
        range_assign(["a", "a"], {"t": 3})


def test_round_robin_deals_all_partitions_in_turn():
    got = round_robin_assign(["c3", "c1", "c2"], {"b": 2, "a": 3})
    want = {
        "c1": [("a", 0), ("b", 0)],
        "c2": [("a", 1), ("b", 1)],
        "c3": [("a", 2)],
    }
    assert got == want, f"expected {want}, got {got}"
    two = round_robin_assign(["c1", "c2", "c3"], {"a": 7, "b": 7})
    sizes = sorted(len(tps) for tps in two.values())
    assert sizes == [4, 5, 5], f"14 partitions over 3 members: 5, 5, 4, got {sizes}"
    with pytest.raises(ValueError):
        round_robin_assign(["x", "x"], {"t": 1})


def check_rebalance(previous, members, partitions):
    got = sticky_rebalance(previous, members, partitions)
    every = [(t, p) for t, n in partitions.items() for p in range(n)]
    assert sorted(got) == sorted(members), f"every member gets an entry: {sorted(got)}"
    count = owners(got)
    assert set(count) == set(every) and all(c == 1 for c in count.values()), (
        f"each partition must be owned by exactly one member: {dict(count)}"
    )
    sizes = [len(tps) for tps in got.values()]
    assert max(sizes) - min(sizes) <= 1, f"counts may differ by at most 1, got {sizes}"
    for m, tps in got.items():
        assert tps == sorted(tps), f"{m}'s list must be sorted, got {tps}"
    before = {tp: m for m, tps in previous.items() for tp in tps if m in members}
    moved = sum(1 for m, tps in got.items() for tp in tps if before.get(tp) != m)
    base, extra = divmod(len(every), len(members))
    exists = set(every)
    kept = sorted(
        (len({tp for tp in previous.get(m, []) if tp in exists}) for m in members), reverse=True
    )
    can_stay = sum(min(k, base + (1 if i < extra else 0)) for i, k in enumerate(kept))
    least = len(every) - can_stay
    assert moved == least, f"expected the fewest possible moves, {least}, got {moved}"
    return got


def test_sticky_rebalance_moves_only_what_it_must_on_join_and_leave():
    parts = {"orders": 6}
    start = round_robin_assign(["c1", "c2", "c3"], parts)
    joined = check_rebalance(start, ["c1", "c2", "c3", "c4"], parts)
    for m in ("c1", "c2", "c3"):
        assert set(joined[m]) <= set(start[m]), f"{m} keeps a subset of what it had: {joined[m]}"
    assert len(joined["c4"]) >= 1, "the new member gets work"
    left = check_rebalance(joined, ["c1", "c2", "c4"], parts)
    for m in ("c1", "c2", "c4"):
        assert set(joined[m]) <= set(left[m]), f"survivors keep everything they had: {left[m]}"
    first = check_rebalance({}, ["b", "a"], parts)
    assert sum(map(len, first.values())) == 6, f"a first assignment covers every partition: {first}"


def test_sticky_rebalance_copes_with_stale_and_uneven_history():
    parts = {"a": 3, "b": 2}
    previous = {
        "gone": [("a", 0), ("a", 1)],
        "x": [("a", 2), ("b", 0), ("b", 7)],
        "y": [("b", 1)],
    }
    got = check_rebalance(previous, ["x", "y", "z"], parts)
    assert ("b", 7) not in owners(got), "a partition that no longer exists is dropped"
    rng = random.Random(9)
    for _ in range(200):
        parts = {"t": rng.randint(0, 12), "u": rng.randint(0, 5)}
        pool = [f"m{i}" for i in range(6)]
        prev_members = rng.sample(pool, rng.randint(1, 5))
        old_parts = {"t": rng.randint(0, 12), "u": rng.randint(0, 5)}  # topics may have changed
        previous = round_robin_assign(prev_members, old_parts)
        members = rng.sample(pool, rng.randint(1, 6))
        check_rebalance(previous, members, parts)
    assert sticky_rebalance({"a": [("t", 0)]}, [], {"t": 1}) == {}, "no members: empty"
    with pytest.raises(ValueError):
        sticky_rebalance({}, ["a", "a"], {"t": 2})
