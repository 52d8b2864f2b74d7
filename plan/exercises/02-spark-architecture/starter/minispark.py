"""A tiny model of how Spark runs a query: stages cut at shuffles, a hash partitioner,
and a shuffle with an optional map-side combine."""

from collections.abc import Callable, Hashable
from typing import Any
from zlib import crc32

Plan = dict[str, list[tuple[str, str]]]


def hash_partition(key: Hashable, num_partitions: int) -> int:
    """The reduce partition of `key`: crc32 of the UTF-8 bytes of repr(key), modulo
    num_partitions. Raises ValueError when num_partitions is below 1."""
    raise NotImplementedError


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
    raise NotImplementedError


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
    raise NotImplementedError


def reduce_by_key(
    map_partitions: list[list[tuple[Hashable, Any]]],
    num_partitions: int,
    func: Callable[[Any, Any], Any],
) -> list[dict[Hashable, Any]]:
    """RDD.reduceByKey: combine on the map side with `func`, shuffle, then fold each
    reduce partition's records per key with `func`. Return one dict per reduce
    partition, mapping each key that partition owns to its reduced value."""
    raise NotImplementedError
