"""How Kafka places records and shares partitions: the Java client's murmur2 key
partitioner, a sticky partitioner for records without a key, and consumer-group
assignment (range, round-robin, and a sticky rebalance)."""

TopicPartition = tuple[str, int]
Assignment = dict[str, list[TopicPartition]]

MASK32 = 0xFFFFFFFF


def murmur2(data: bytes) -> int:
    """Kafka's murmur2 hash of `data` (seed 0x9747b28c, m 0x5bd1e995, r 24), as the
    signed 32-bit int the Java client computes (Utils.murmur2)."""
    raise NotImplementedError


def partition_for(key: bytes, num_partitions: int) -> int:
    """The partition of a keyed record: murmur2(key) made non-negative by clearing its
    sign bit (Kafka's toPositive: & 0x7fffffff), modulo num_partitions. Raises
    ValueError when num_partitions is below 1."""
    raise NotImplementedError


class Partitioner:
    """A producer's partitioner for one topic of `num_partitions` partitions.

    Keyed records go to partition_for(key). Records without a key (None) are sticky:
    they all go to the current sticky partition, which starts at 0; after every
    `batch_size` keyless records the sticky partition moves on to the next one
    ((current + 1) % num_partitions). Keyed records do not count towards a batch.
    Raises ValueError when num_partitions or batch_size is below 1."""

    def __init__(self, num_partitions: int, batch_size: int = 16):
        raise NotImplementedError

    def partition(self, key: bytes | None) -> int:
        """The partition for the next record with this key."""
        raise NotImplementedError


def range_assign(members: list[str], partitions: dict[str, int]) -> Assignment:
    """Kafka's RangeAssignor, every member subscribed to every topic.

    For each topic separately, with the members sorted by id: each member takes a
    contiguous range of n // m partitions, and the first n % m members one more
    (n partitions, m members). Return every member's partitions sorted by
    (topic, partition); a member may get none. Raises ValueError for duplicate member
    ids."""
    raise NotImplementedError


def round_robin_assign(members: list[str], partitions: dict[str, int]) -> Assignment:
    """Kafka's RoundRobinAssignor, every member subscribed to every topic: deal all
    partitions, sorted by (topic, partition), one at a time to the members sorted by
    id, in turn. Same return value and errors as range_assign."""
    raise NotImplementedError


def sticky_rebalance(
    previous: Assignment, members: list[str], partitions: dict[str, int]
) -> Assignment:
    """Reassign after members join or leave, moving as few partitions as possible.

    `previous` is the last assignment: no partition appears under two members, but
    members who have left may appear in it, and it may name partitions that no longer
    exist. Return an assignment of every partition
    to exactly one of `members` in which the members' partition counts differ by at
    most one, and in which the number of partitions whose owner changed (a partition
    without a previous owner among `members` always changes) is the smallest any
    balanced assignment allows. Lists sorted by (topic, partition). Raises ValueError
    for duplicate member ids."""
    raise NotImplementedError
