"""Short codes for a URL shortener: base62, a reversible scramble of the ID space, and
Snowflake-style 64-bit IDs built from a clock, a worker id and a sequence."""

import math
from collections.abc import Callable

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
TWITTER_EPOCH_MS = 1288834974657
TIME_BITS, WORKER_BITS, SEQUENCE_BITS = 41, 10, 12


class ClockBackwardsError(RuntimeError):
    """The clock reads earlier than the last millisecond an ID was made in."""


def encode(n: int, width: int = 0) -> str:
    """n in base62 over ALPHABET, most significant digit first, left-padded with "0"
    to at least `width` characters. encode(0) is "0". Raises ValueError for n < 0."""
    if n < 0:
        raise ValueError(f"cannot encode a negative number: {n}")
    digits = []
    while True:
        n, r = divmod(n, 62)
        digits.append(ALPHABET[r])
        if n == 0:
            break
    return "".join(reversed(digits)).rjust(width, "0")


def decode(code: str) -> int:
    """The number a base62 code stands for (leading "0"s allowed). Raises ValueError
    for an empty code or a character outside ALPHABET."""
    if not code:
        raise ValueError("empty code")
    n = 0
    for ch in code:
        i = ALPHABET.find(ch)
        if i < 0:
            raise ValueError(f"{ch!r} is not a base62 character")
        n = n * 62 + i
    return n


def code_length(count: int) -> int:
    """The fewest base62 characters (at least 1) that give `count` distinct codes:
    the smallest L >= 1 with 62**L >= count. Exact for any size of count."""
    length, capacity = 1, 62
    while capacity < count:
        length += 1
        capacity *= 62
    return length


def scramble(n: int, multiplier: int, modulus: int = 62**7) -> int:
    """(n * multiplier) % modulus: a bijection of range(modulus) when the multiplier
    shares no factor with the modulus. Raises ValueError when it does, or when n is
    outside range(modulus)."""
    if math.gcd(multiplier, modulus) != 1:
        raise ValueError(f"{multiplier} shares a factor with {modulus}: not a bijection")
    if not 0 <= n < modulus:
        raise ValueError(f"{n} is outside range({modulus})")
    return n * multiplier % modulus


def unscramble(s: int, multiplier: int, modulus: int = 62**7) -> int:
    """The n with scramble(n, multiplier, modulus) == s. Same errors as scramble."""
    if not 0 <= s < modulus:
        raise ValueError(f"{s} is outside range({modulus})")
    inverse = pow(multiplier, -1, modulus)  # ValueError when no inverse exists
    return s * inverse % modulus


class Snowflake:
    """A Snowflake ID generator: 41 bits of milliseconds since `epoch_ms`, then 10 bits
    of worker id, then 12 bits of sequence; the sign bit is 0.

    `clock()` returns the current time in whole milliseconds (Unix time). Raises
    ValueError for a worker id outside 0..1023."""

    def __init__(self, worker_id: int, clock: Callable[[], int], epoch_ms: int = TWITTER_EPOCH_MS):
        if not 0 <= worker_id < 1 << WORKER_BITS:
            raise ValueError(f"worker id {worker_id} is outside 0..1023")
        self.worker_id = worker_id
        self.clock = clock
        self.epoch_ms = epoch_ms
        self._last_ms = -1
        self._sequence = 0

    def next_id(self) -> int:
        """A new ID, larger than every ID this generator made before.

        In a new millisecond the sequence starts at 0; within the same millisecond it
        counts up. When all 4,096 sequence numbers of a millisecond are used, keep
        calling clock() until it reads a later millisecond, and use that one. When the
        clock reads earlier than the last millisecond used, raise ClockBackwardsError
        and make no ID (the generator still works once the clock catches up). Raises
        ValueError when the time is before the epoch or needs more than 41 bits."""
        now = self.clock()
        if now < self._last_ms:
            raise ClockBackwardsError(
                f"clock reads {now}, {self._last_ms - now} ms before the last ID's time"
            )
        sequence = 0
        if now == self._last_ms:
            sequence = self._sequence + 1
            if sequence == 1 << SEQUENCE_BITS:
                while now <= self._last_ms:
                    now = self.clock()
                sequence = 0
        elapsed = now - self.epoch_ms
        if not 0 <= elapsed < 1 << TIME_BITS:
            raise ValueError(f"time {now} does not fit 41 bits after the epoch {self.epoch_ms}")
        self._last_ms, self._sequence = now, sequence
        return elapsed << (WORKER_BITS + SEQUENCE_BITS) | self.worker_id << SEQUENCE_BITS | sequence


def parse(snowflake_id: int, epoch_ms: int = TWITTER_EPOCH_MS) -> tuple[int, int, int]:
    """Split an ID into (unix_time_ms, worker_id, sequence)."""
    sequence = snowflake_id & ((1 << SEQUENCE_BITS) - 1)
    worker = (snowflake_id >> SEQUENCE_BITS) & ((1 << WORKER_BITS) - 1)
    elapsed = snowflake_id >> (WORKER_BITS + SEQUENCE_BITS)
    return elapsed + epoch_ms, worker, sequence
