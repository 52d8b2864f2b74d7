from itertools import combinations, permutations

import pytest
from quorum import QuorumError, QuorumStore


def test_bad_quorum_sizes_are_refused():
    for n, w, r in [(3, 0, 2), (3, 2, 0), (3, 4, 1), (3, 1, 4), (0, 1, 1)]:
        with pytest.raises(ValueError):
            QuorumStore(n, w, r)
    assert QuorumStore(3, 3, 3).n == 3


def test_overlapping_is_r_plus_w_above_n():
    cases = {
        (3, 2, 2): True,
        (3, 1, 1): False,
        (3, 2, 1): False,
        (3, 3, 1): True,
        (5, 3, 3): True,
        (5, 2, 3): False,
    }
    for (n, w, r), expected in cases.items():
        got = QuorumStore(n, w, r).overlapping
        assert got is expected, f"N={n} W={w} R={r}: expected overlapping={expected}, got {got}"


def test_write_counts_distinct_acknowledgements_and_is_not_rolled_back():
    store = QuorumStore(3, 2, 1)
    ok = store.write("k", "a", 1, [0, 0, 0])
    assert ok is False, (
        f"one replica named three times is one ack, below W=2: expected False, got {ok}"
    )
    assert store.replicas[0].get("k") == (1, "a"), (
        f"a failed write is not rolled back: expected (1, 'a') on replica 0, got {store.replicas[0].get('k')}"
    )
    assert store.write("k", "b", 2, [1, 2]) is True, "two distinct acks meet W=2: expected True"
    with pytest.raises(ValueError):
        store.write("k", "c", 3, [3])


def test_older_version_never_overwrites_newer():
    store = QuorumStore(3, 1, 3)
    store.write("k", "new", 5, [0, 1, 2])
    store.write("k", "old", 4, [0, 1, 2])
    got = [store.replicas[i]["k"] for i in range(3)]
    assert got == [(5, "new")] * 3, (
        f"last writer wins by version: expected (5, 'new') everywhere, got {got}"
    )
    assert store.read("k", [2, 1, 0]) == "new"


def test_read_without_quorum_raises_and_changes_nothing():
    store = QuorumStore(3, 1, 2)
    store.write("k", "a", 1, [0])
    before = [dict(r) for r in store.replicas]
    with pytest.raises(QuorumError):
        store.read("k", [0, 0])
    assert [dict(r) for r in store.replicas] == before, "a refused read must not repair anything"


def test_missing_key_reads_none():
    store = QuorumStore(3, 2, 2)
    got = store.read("nope", [0, 1, 2])
    assert got is None, f"expected None for a key never written, got {got!r}"


def test_read_returns_the_highest_version_among_the_first_r():
    store = QuorumStore(3, 1, 2)
    store.replicas[0]["k"] = (3, "v3")
    store.replicas[1]["k"] = (7, "v7")
    store.replicas[2]["k"] = (9, "v9")
    got = store.read("k", [1, 0, 2])
    assert got == "v7", (
        f"only the first R=2 replicas (1 and 0) are asked: expected 'v7', got {got!r}"
    )


def test_every_overlapping_quorum_sees_the_last_completed_write():
    for n, w, r in [(3, 2, 2), (5, 3, 3), (5, 4, 2)]:
        for write_set in combinations(range(n), w):
            for read_set in permutations(range(n), r):
                store = QuorumStore(n, w, r)
                store.write("k", "old", 1, range(n))
                assert store.write("k", "new", 2, write_set)
                got = store.read("k", read_set)
                assert got == "new", (
                    f"N={n} W={w} R={r}: write on {write_set}, read from {read_set}: expected 'new', got {got!r}"
                )


def test_non_overlapping_quorums_can_read_stale():
    store = QuorumStore(3, 1, 1)
    store.write("k", "old", 1, [0, 1, 2])
    store.write("k", "new", 2, [0])
    got = store.read("k", [2])
    assert got == "old", f"W=1, R=1 on disjoint replicas: expected the stale 'old', got {got!r}"


def test_read_repair_fixes_contacted_replicas_only():
    store = QuorumStore(3, 1, 2)
    store.write("k", "old", 1, [0, 1, 2])
    store.write("k", "new", 2, [0])
    assert store.read("k", [1, 0, 2]) == "new"
    got = [store.replicas[i]["k"] for i in range(3)]
    assert got == [(2, "new"), (2, "new"), (1, "old")], (
        f"replica 1 was contacted and repaired, replica 2 was not: expected (2,new),(2,new),(1,old), got {got}"
    )
    fresh = QuorumStore(3, 1, 2)
    fresh.write("x", "v", 1, [2])
    fresh.read("x", [2, 0])
    assert fresh.replicas[0].get("x") == (1, "v"), (
        f"a contacted replica lacking the key is repaired too: expected (1, 'v'), got {fresh.replicas[0].get('x')}"
    )
