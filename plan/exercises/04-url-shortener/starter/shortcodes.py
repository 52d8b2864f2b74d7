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
    raise NotImplementedError


def decode(code: str) -> int:
    """The number a base62 code stands for (leading "0"s allowed). Raises ValueError
    for an empty code or a character outside ALPHABET."""
    raise NotImplementedError


def code_length(count: int) -> int:
    """The fewest base62 characters (at least 1) that give `count` distinct codes:
    the smallest L >= 1 with 62**L >= count. Exact for any size of count."""
    raise NotImplementedError


def scramble(n: int, multiplier: int, modulus: int = 62**7) -> int:
    """(n * multiplier) % modulus: a bijection of range(modulus) when the multiplier
    shares no factor with the modulus. Raises ValueError when it does, or when n is
    outside range(modulus)."""
    raise NotImplementedError


def unscramble(s: int, multiplier: int, modulus: int = 62**7) -> int:
    """The n with scramble(n, multiplier, modulus) == s. Same errors as scramble."""
    raise NotImplementedError


class Snowflake:
    """A Snowflake ID generator: 41 bits of milliseconds since `epoch_ms`, then 10 bits
    of worker id, then 12 bits of sequence; the sign bit is 0.

    `clock()` returns the current time in whole milliseconds (Unix time). Raises
    ValueError for a worker id outside 0..1023."""

    def __init__(self, worker_id: int, clock: Callable[[], int], epoch_ms: int = TWITTER_EPOCH_MS):
        raise NotImplementedError

    def next_id(self) -> int:
        """A new ID, larger than every ID this generator made before.

        In a new millisecond the sequence starts at 0; within the same millisecond it
        counts up. When all 4,096 sequence numbers of a millisecond are used, keep
        calling clock() until it reads a later millisecond, and use that one. When the
        clock reads earlier than the last millisecond used, raise ClockBackwardsError
        and make no ID (the generator still works once the clock catches up). Raises
        ValueError when the time is before the epoch or needs more than 41 bits."""
        raise NotImplementedError


def parse(snowflake_id: int, epoch_ms: int = TWITTER_EPOCH_MS) -> tuple[int, int, int]:
    """Split an ID into (unix_time_ms, worker_id, sequence)."""
    raise NotImplementedError
