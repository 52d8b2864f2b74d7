import hashlib
from collections import Counter

import pytest
from sharding import HashRing, RangeRouter, split_point, stable_hash

KEYS = [f"user:{i}" for i in range(20_000)]


def ring_of(n, vnodes):
    ring = HashRing(vnodes)
    for i in range(n):
        ring.add_node(f"node-{i}")
    return ring


def brute_force_owner(key, nodes, vnodes):
    points = sorted((stable_hash(f"{n}#{i}"), n) for n in nodes for i in range(vnodes))
    h = stable_hash(key)
    after = [p for p in points if p[0] >= h]
    return (after or points)[0][1]


def test_stable_hash_is_blake2b_of_eight_bytes():
    for key in ["", "a", "user:42", "ключ"]:
        expected = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big")
        got = stable_hash(key)
        assert got == expected, f"stable_hash({key!r}): expected {expected}, got {got}"


def test_ring_rules():
    with pytest.raises(ValueError):
        HashRing(0)
    ring = HashRing(4)
    with pytest.raises(LookupError):
        ring.node_for("k")
    ring.add_node("a")
    with pytest.raises(ValueError):
        ring.add_node("a")
    with pytest.raises(KeyError):
        ring.remove_node("b")
    assert ring.nodes == {"a"} and ring.node_for("anything") == "a"
    ring.remove_node("a")
    with pytest.raises(LookupError):
        ring.node_for("k")


def test_owner_is_the_next_point_clockwise_with_wrap_around():
    nodes, vnodes = ["a", "b", "c"], 3
    ring = HashRing(vnodes)
    for n in nodes:
        ring.add_node(n)
    top = max(stable_hash(f"{n}#{i}") for n in nodes for i in range(vnodes))
    wrapping = next(k for k in KEYS if stable_hash(k) > top)
    for n in nodes:
        for i in range(vnodes):
            got = ring.node_for(f"{n}#{i}")
            assert got == n, (
                f"key {n}#{i} hashes exactly onto a point of {n}: expected {n}, got {got}"
            )
    for key in [*KEYS[:300], wrapping]:
        expected = brute_force_owner(key, nodes, vnodes)
        got = ring.node_for(key)
        assert got == expected, f"{key!r} (hash {stable_hash(key)}): expected {expected}, got {got}"


def test_virtual_nodes_even_out_the_load():
    spread = {}
    for vnodes in (1, 256):
        ring = ring_of(8, vnodes)
        counts = Counter(ring.node_for(k) for k in KEYS)
        spread[vnodes] = max(counts.values()) / (len(KEYS) / 8)
    assert spread[256] < 1.25, (
        f"with 256 virtual nodes expected max/mean under 1.25, got {spread[256]:.2f}"
    )
    assert spread[1] > spread[256], f"one point per node should be lumpier: {spread}"


def test_adding_a_node_moves_only_keys_to_it_and_about_one_in_nine():
    ring = ring_of(8, 128)
    before = {k: ring.node_for(k) for k in KEYS}
    ring.add_node("node-8")
    moved = {k for k in KEYS if ring.node_for(k) != before[k]}
    wrong = [k for k in moved if ring.node_for(k) != "node-8"]
    assert not wrong, (
        f"a key may only move to the new node; {len(wrong)} moved elsewhere, e.g. {wrong[:3]}"
    )
    share = len(moved) / len(KEYS)
    assert 0.07 < share < 0.16, f"expected about 1/9 of keys to move, got {share:.3f}"


def test_removing_a_node_moves_only_its_keys():
    ring = ring_of(5, 64)
    before = {k: ring.node_for(k) for k in KEYS[:5000]}
    ring.remove_node("node-2")
    for k, owner in before.items():
        now = ring.node_for(k)
        if owner != "node-2":
            assert now == owner, (
                f"{k} belonged to {owner}, not the removed node, and moved to {now}"
            )
        else:
            assert now != "node-2"


def test_range_router_splits_at_the_boundary():
    router = RangeRouter("s0")
    assert router.ranges() == [("", None, "s0")]
    router.split("m", "s1")
    router.split("f", "s2")
    router.split("t", "s3")
    expected = [("", "f", "s0"), ("f", "m", "s2"), ("m", "t", "s1"), ("t", None, "s3")]
    assert router.ranges() == expected, f"expected {expected}, got {router.ranges()}"
    cases = {
        "": "s0",
        "a": "s0",
        "ezzz": "s0",
        "f": "s2",
        "lz": "s2",
        "m": "s1",
        "sz": "s1",
        "t": "s3",
        "zzz": "s3",
    }
    for key, shard in cases.items():
        got = router.shard_for(key)
        assert got == shard, (
            f"{key!r}: expected {shard} (a range holds its start, not its end), got {got}"
        )


def test_range_router_refuses_bad_splits():
    router = RangeRouter("s0")
    router.split("m", "s1")
    for at, shard in [("m", "s9"), ("", "s9"), ("q", "s1"), ("c", "s0")]:
        with pytest.raises(ValueError):
            router.split(at, shard)
    assert router.ranges() == [("", "m", "s0"), ("m", None, "s1")], (
        "a refused split changes nothing"
    )


def test_split_point_halves_the_distinct_keys():
    assert split_point(["b", "a", "d", "c"]) == "c"
    assert split_point(["a", "a", "a", "b"]) == "b", (
        "duplicates count once: both halves must get a key"
    )
    assert split_point(["x", "y", "z"]) == "y"
    for keys in ([], ["a"], ["a", "a"]):
        with pytest.raises(ValueError):
            split_point(keys)
    hot = [f"order:{i:05d}" for i in range(1000)]
    router = RangeRouter("s0")
    router.split(split_point(hot), "s1")
    counts = Counter(router.shard_for(k) for k in hot)
    assert counts == {"s0": 500, "s1": 500}, (
        f"expected an even split of 1,000 keys, got {dict(counts)}"
    )
