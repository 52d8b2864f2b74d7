"""A tiny model of how Spark runs a query: stages cut at shuffles, a hash partitioner,
and a shuffle with an optional map-side combine."""

from collections.abc import Callable, Hashable
from typing import Any
from zlib import crc32

Plan = dict[str, list[tuple[str, str]]]


def hash_partition(key: Hashable, num_partitions: int) -> int:
    """The reduce partition of `key`: crc32 of the UTF-8 bytes of repr(key), modulo
    num_partitions. Raises ValueError when num_partitions is below 1."""
    if num_partitions < 1:
        raise ValueError(f"num_partitions must be at least 1, got {num_partitions}")
    return crc32(repr(key).encode("utf-8")) % num_partitions


def split_stages(plan: Plan) -> list[set[str]]:
    """Cut a plan into stages.

    `plan` maps every node to its inputs, each a (parent, dependency) pair where the
    dependency is "narrow" (pipelined in the same task) or "shuffle" (the parent's
    output is redistributed by key). A node with no inputs is a source. Every node
    feeds at most one other node, and every parent named is a key of `plan`.

    A stage is a largest set of nodes joined by narrow dependencies. Return the stages
    in an order in which they can run: a stage comes after every stage it reads
    through a shuffle. Among stages that could run in either order, the one holding
    the alphabetically smallest node name comes first.
    """
    root = {node: node for node in plan}

    def find(node: str) -> str:
        while root[node] != node:
            root[node] = root[root[node]]
            node = root[node]
        return node

    for node, inputs in plan.items():
        for parent, dependency in inputs:
            if dependency not in ("narrow", "shuffle"):
                raise ValueError(f"{node}: unknown dependency {dependency!r}")
            if dependency == "narrow":
                root[find(parent)] = find(node)

    members: dict[str, set[str]] = {}
    for node in plan:
        members.setdefault(find(node), set()).add(node)
    waits_on: dict[str, set[str]] = {stage: set() for stage in members}
    for node, inputs in plan.items():
        for parent, dependency in inputs:
            if dependency == "shuffle":
                waits_on[find(node)].add(find(parent))

    ordered: list[set[str]] = []
    done: set[str] = set()
    while len(done) < len(members):
        ready = [s for s in members if s not in done and waits_on[s] <= done]
        if not ready:
            raise ValueError("the plan has a cycle")
        first = min(ready, key=lambda s: min(members[s]))
        done.add(first)
        ordered.append(members[first])
    return ordered


def shuffle(
    map_partitions: list[list[tuple[Hashable, Any]]],
    num_partitions: int,
    combine: Callable[[Any, Any], Any] | None = None,
) -> tuple[list[list[tuple[Hashable, Any]]], int]:
    """Move (key, value) records from map partitions to `num_partitions` reduce
    partitions chosen by hash_partition. Raises ValueError when num_partitions is below 1.

    Without `combine`, every record crosses the shuffle. With it, each map partition
    first folds the values of each key into one record (combine(acc, value), in the
    order the values appear), so a map partition sends one record per distinct key.

    Return (reduce_partitions, records_shuffled): reduce partition i lists the records
    it receives, ordered by map partition index, then by the order in which each map
    partition produced them (for a combined key, where its first value appeared).
    """
    if num_partitions < 1:
        raise ValueError(f"num_partitions must be at least 1, got {num_partitions}")
    reduce_partitions: list[list[tuple[Hashable, Any]]] = [[] for _ in range(num_partitions)]
    sent = 0
    for records in map_partitions:
        if combine is not None:
            partial: dict[Hashable, Any] = {}
            for key, value in records:
                partial[key] = combine(partial[key], value) if key in partial else value
            records = list(partial.items())
        for key, value in records:
            reduce_partitions[hash_partition(key, num_partitions)].append((key, value))
            sent += 1
    return reduce_partitions, sent


def reduce_by_key(
    map_partitions: list[list[tuple[Hashable, Any]]],
    num_partitions: int,
    func: Callable[[Any, Any], Any],
) -> list[dict[Hashable, Any]]:
    """RDD.reduceByKey: combine on the map side with `func`, shuffle, then fold each
    reduce partition's records per key with `func`. Return one dict per reduce
    partition, mapping each key that partition owns to its reduced value."""
    reduce_partitions, _ = shuffle(map_partitions, num_partitions, combine=func)
    out: list[dict[Hashable, Any]] = []
    for records in reduce_partitions:
        totals: dict[Hashable, Any] = {}
        for key, value in records:
            totals[key] = func(totals[key], value) if key in totals else value
        out.append(totals)
    return out
