import random
from zlib import crc32

import pytest
from minispark import hash_partition, reduce_by_key, shuffle, split_stages


def test_hash_partition_is_the_stated_crc32_and_stays_in_range():
    for key in ["alice", "bob", 7, 0, -3, ("a", 1), "", "ümlaut", 1, "1"]:
        for n in (1, 2, 7, 200):
            want = crc32(repr(key).encode("utf-8")) % n
            got = hash_partition(key, n)
            assert got == want, f"hash_partition({key!r}, {n}): expected {want}, got {got}"


def test_hash_partition_refuses_fewer_than_one_partition():
    for n in (0, -1):
        with pytest.raises(ValueError):
            hash_partition("k", n)


def test_narrow_only_plan_is_one_stage():
    plan = {
        "scan": [],
        "filter": [("scan", "narrow")],
        "select": [("filter", "narrow")],
        "write": [("select", "narrow")],
    }
    got = split_stages(plan)
    want = [{"scan", "filter", "select", "write"}]
    assert got == want, f"a chain of narrow operations pipelines into {want}, got {got}"


def test_group_by_cuts_the_job_at_the_shuffle():
    plan = {
        "scan": [],
        "partial_agg": [("scan", "narrow")],
        "final_agg": [("partial_agg", "shuffle")],
        "write": [("final_agg", "narrow")],
    }
    got = split_stages(plan)
    want = [{"scan", "partial_agg"}, {"final_agg", "write"}]
    assert got == want, f"expected the map stage then the reduce stage {want}, got {got}"


def test_sort_merge_join_needs_three_stages_in_a_runnable_order():
    plan = {
        "write": [("project", "narrow")],
        "project": [("join", "narrow")],
        "join": [("filter_orders", "shuffle"), ("scan_customers", "shuffle")],
        "scan_customers": [],
        "filter_orders": [("scan_orders", "narrow")],
        "scan_orders": [],
    }
    got = split_stages(plan)
    want = [{"scan_orders", "filter_orders"}, {"scan_customers"}, {"join", "project", "write"}]
    assert sorted(map(sorted, got)) == sorted(map(sorted, want)), (
        f"expected the stages {want}, got {got}"
    )
    assert got == want, (
        f"both map stages must run before the join stage, ties broken by the smallest "
        f"node name: expected {want}, got {got}"
    )


def test_broadcast_join_stays_in_the_big_sides_stage():
    # The small side is collected and broadcast before this job runs: the join's tasks
    # read it locally, as a source with no inputs, and the big side is never shuffled.
    plan = {
        "scan_big": [],
        "broadcast_small": [],
        "join": [("scan_big", "narrow"), ("broadcast_small", "narrow")],
        "agg": [("join", "shuffle")],
    }
    got = split_stages(plan)
    want = [{"broadcast_small", "scan_big", "join"}, {"agg"}]
    assert got == want, f"expected the join inside the big side's stage, {want}, got {got}"


def test_every_stage_runs_after_the_stages_it_reads():
    rng = random.Random(2)
    for _ in range(50):
        plan: dict[str, list[tuple[str, str]]] = {}
        open_ends: list[str] = []
        for i in range(12):
            name = f"n{rng.randrange(1000):03d}_{i}"
            k = min(len(open_ends), rng.choice([0, 1, 1, 2]))
            parents = rng.sample(open_ends, k)
            for p in parents:
                open_ends.remove(p)
            plan[name] = [(p, rng.choice(["narrow", "shuffle"])) for p in parents]
            open_ends.append(name)
        stages = split_stages(plan)
        where = {n: i for i, s in enumerate(stages) for n in s}
        assert sorted(where) == sorted(plan), "every node belongs to exactly one stage"
        assert sum(map(len, stages)) == len(plan), "no node may sit in two stages"
        for node, inputs in plan.items():
            for parent, dep in inputs:
                if dep == "narrow":
                    assert where[parent] == where[node], (
                        f"{parent}->{node} is narrow: expected one stage, got "
                        f"{where[parent]} and {where[node]}"
                    )
                else:
                    assert where[parent] < where[node], (
                        f"{parent}->{node} is a shuffle: stage {where[parent]} must run "
                        f"before stage {where[node]}"
                    )


# With 3 partitions "b" and "c" share reduce partition 0, and map partition 0 produces "c"
# before "b": a combine must send them in that order, not sorted.
MAPS = [
    [("a", 1), ("c", 4), ("b", 2), ("a", 3), ("a", 5)],
    [("b", 10), ("b", 20)],
    [],
    [("c", 100), ("a", 1000), ("d", 7)],
]


def test_shuffle_without_combine_moves_every_record_to_its_hash_partition():
    parts, sent = shuffle(MAPS, 3)
    assert sent == 10, f"every one of the 10 records crosses the shuffle, got {sent}"
    assert len(parts) == 3, f"expected 3 reduce partitions, got {len(parts)}"
    for i, records in enumerate(parts):
        for key, _ in records:
            assert hash_partition(key, 3) == i, f"{key!r} belongs in {hash_partition(key, 3)}"
    want = [[r for m in MAPS for r in m if hash_partition(r[0], 3) == i] for i in range(3)]
    assert parts == want, f"records keep map order, then their own order: {want}, got {parts}"
    empty, none_sent = shuffle([[], []], 4)
    assert (empty, none_sent) == ([[], [], [], []], 0), (
        f"empty maps give 4 empty reduce partitions, got {(empty, none_sent)}"
    )


def test_map_side_combine_sends_one_record_per_key_per_map_partition():
    parts, sent = shuffle(MAPS, 3, combine=lambda x, y: x + y)
    assert sent == 7, f"3 + 1 + 0 + 3 distinct keys per map partition = 7 records, got {sent}"
    want_records = [("a", 9), ("c", 4), ("b", 2), ("b", 30), ("c", 100), ("a", 1000), ("d", 7)]
    want = [[r for r in want_records if hash_partition(r[0], 3) == i] for i in range(3)]
    assert parts == want, (
        f"combined records keep the order of each key's first value: expected {want}, got {parts}"
    )
    with pytest.raises(ValueError):
        shuffle(MAPS, 0)


def test_reduce_by_key_agrees_with_a_single_machine_reduce():
    rng = random.Random(7)
    maps = [[(rng.choice("pqrstuvw"), rng.randint(-50, 50)) for _ in range(40)] for _ in range(5)]
    for func, name in [(lambda x, y: x + y, "sum"), (max, "max")]:
        for n in (1, 3, 16):
            got = reduce_by_key(maps, n, func)
            assert len(got) == n, f"expected {n} reduce partitions, got {len(got)}"
            want: dict = {}
            for m in maps:
                for k, v in m:
                    want[k] = func(want[k], v) if k in want else v
            merged = {k: v for part in got for k, v in part.items()}
            assert merged == want, f"{name} with {n} partitions: expected {want}, got {merged}"
            for i, part in enumerate(got):
                for k in part:
                    assert hash_partition(k, n) == i, f"{k!r} reduced in the wrong partition {i}"
