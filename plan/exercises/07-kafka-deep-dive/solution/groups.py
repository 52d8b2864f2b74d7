"""How Kafka places records and shares partitions: the Java client's murmur2 key
partitioner, a sticky partitioner for records without a key, and consumer-group
assignment (range, round-robin, and a sticky rebalance)."""

TopicPartition = tuple[str, int]
Assignment = dict[str, list[TopicPartition]]

MASK32 = 0xFFFFFFFF


def murmur2(data: bytes) -> int:
    """Kafka's murmur2 hash of `data` (seed 0x9747b28c, m 0x5bd1e995, r 24), as the
    signed 32-bit int the Java client computes (Utils.murmur2)."""
    m, r = 0x5BD1E995, 24
    length = len(data)
    h = (0x9747B28C ^ length) & MASK32
    for i in range(0, length - length % 4, 4):
        k = data[i] | data[i + 1] << 8 | data[i + 2] << 16 | data[i + 3] << 24
        k = k * m & MASK32
        k ^= k >> r
        k = k * m & MASK32
        h = h * m & MASK32
        h ^= k
    tail = length - length % 4
    rest = length % 4
    if rest == 3:
        h ^= data[tail + 2] << 16
    if rest >= 2:
        h ^= data[tail + 1] << 8
    if rest >= 1:
        h ^= data[tail]
        h = h * m & MASK32
    h ^= h >> 13
    h = h * m & MASK32
    h ^= h >> 15
    return h - (1 << 32) if h & 0x80000000 else h


def partition_for(key: bytes, num_partitions: int) -> int:
    """The partition of a keyed record: murmur2(key) made non-negative by clearing its
    sign bit (Kafka's toPositive: & 0x7fffffff), modulo num_partitions. Raises
    ValueError when num_partitions is below 1."""
    if num_partitions < 1:
        raise ValueError(f"num_partitions must be at least 1, got {num_partitions}")
    return (murmur2(key) & 0x7FFFFFFF) % num_partitions


class Partitioner:
    """A producer's partitioner for one topic of `num_partitions` partitions.

    Keyed records go to partition_for(key). Records without a key (None) are sticky:
    they all go to the current sticky partition, which starts at 0; after every
    `batch_size` keyless records the sticky partition moves on to the next one
    ((current + 1) % num_partitions). Keyed records do not count towards a batch.
    Raises ValueError when num_partitions or batch_size is below 1."""

    def __init__(self, num_partitions: int, batch_size: int = 16):
        if num_partitions < 1 or batch_size < 1:
            raise ValueError("num_partitions and batch_size must be at least 1")
        self.num_partitions = num_partitions
        self.batch_size = batch_size
        self._sticky = 0
        self._in_batch = 0

    def partition(self, key: bytes | None) -> int:
        """The partition for the next record with this key."""
        if key is not None:
            return partition_for(key, self.num_partitions)
        chosen = self._sticky
        self._in_batch += 1
        if self._in_batch == self.batch_size:
            self._in_batch = 0
            self._sticky = (self._sticky + 1) % self.num_partitions
        return chosen


def _all_partitions(partitions: dict[str, int]) -> list[TopicPartition]:
    return sorted((t, p) for t, n in partitions.items() for p in range(n))


def _check_members(members: list[str]) -> list[str]:
    if len(set(members)) != len(members):
        raise ValueError(f"duplicate member ids in {members}")
    return sorted(members)


def range_assign(members: list[str], partitions: dict[str, int]) -> Assignment:
    """Kafka's RangeAssignor, every member subscribed to every topic.

    For each topic separately, with the members sorted by id: each member takes a
    contiguous range of n // m partitions, and the first n % m members one more
    (n partitions, m members). Return every member's partitions sorted by
    (topic, partition); a member may get none. Raises ValueError for duplicate member
    ids."""
    ordered = _check_members(members)
    out: Assignment = {mbr: [] for mbr in ordered}
    if not ordered:
        return out
    for topic in sorted(partitions):
        n, m = partitions[topic], len(ordered)
        start = 0
        for i, mbr in enumerate(ordered):
            count = n // m + (1 if i < n % m else 0)
            out[mbr] += [(topic, p) for p in range(start, start + count)]
            start += count
    return {mbr: sorted(tps) for mbr, tps in out.items()}


def round_robin_assign(members: list[str], partitions: dict[str, int]) -> Assignment:
    """Kafka's RoundRobinAssignor, every member subscribed to every topic: deal all
    partitions, sorted by (topic, partition), one at a time to the members sorted by
    id, in turn. Same return value and errors as range_assign."""
    ordered = _check_members(members)
    out: Assignment = {mbr: [] for mbr in ordered}
    if not ordered:
        return out
    for i, tp in enumerate(_all_partitions(partitions)):
        out[ordered[i % len(ordered)]].append(tp)
    return out


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
    ordered = _check_members(members)
    if not ordered:
        return {}
    everything = _all_partitions(partitions)
    exists = set(everything)
    base, extra = divmod(len(everything), len(ordered))

    kept: dict[str, list[TopicPartition]] = {}
    claimed: set[TopicPartition] = set()
    for mbr in ordered:
        own = []
        for tp in sorted(previous.get(mbr, [])):
            if tp in exists and tp not in claimed:
                own.append(tp)
                claimed.add(tp)
        kept[mbr] = own
    # the members holding the most keep the extra slots, so the fewest partitions move
    by_holding = sorted(ordered, key=lambda mbr: (-len(kept[mbr]), mbr))
    cap = {mbr: base + (1 if i < extra else 0) for i, mbr in enumerate(by_holding)}

    out: Assignment = {mbr: kept[mbr][: cap[mbr]] for mbr in ordered}
    owned = {tp for tps in out.values() for tp in tps}
    for tp in everything:
        if tp in owned:
            continue
        room = [mbr for mbr in ordered if len(out[mbr]) < cap[mbr]]
        target = min(room, key=lambda mbr: (len(out[mbr]), mbr))
        out[target].append(tp)
    return {mbr: sorted(tps) for mbr, tps in out.items()}
