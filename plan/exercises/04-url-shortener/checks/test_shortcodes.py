import random

import pytest
from shortcodes import (
    ALPHABET,
    TWITTER_EPOCH_MS,
    ClockBackwardsError,
    Snowflake,
    code_length,
    decode,
    encode,
    parse,
    scramble,
    unscramble,
)


class Clock:
    """A hand-driven millisecond clock. After hold(k), it reads the current value k
    more times and then one millisecond later for good."""

    def __init__(self, now: int):
        self.now = now
        self.calls = 0
        self._left: int | None = None

    def hold(self, k: int) -> None:
        self._left = k

    def __call__(self) -> int:
        self.calls += 1
        if self._left is not None:
            if self._left == 0:
                self.now += 1
                self._left = None
            else:
                self._left -= 1
        return self.now


T0 = TWITTER_EPOCH_MS + 1_000_000


def test_encode_and_decode_known_values():
    cases = {0: "0", 9: "9", 10: "A", 35: "Z", 36: "a", 61: "z", 62: "10", 3843: "zz", 3844: "100"}
    for n, code in cases.items():
        assert encode(n) == code, f"encode({n}): expected {code!r}, got {encode(n)!r}"
        assert decode(code) == n, f"decode({code!r}): expected {n}, got {decode(code)}"
    assert encode(61, width=4) == "000z", (
        f"width pads with '0': expected '000z', got {encode(61, 4)!r}"
    )
    assert encode(62**7, width=4) == "10000000", "width is a minimum, never a cut"
    assert decode("000z") == 61, "leading zeros decode to the same number"


def test_round_trip_over_random_64_bit_numbers_keeps_order_at_equal_width():
    rng = random.Random(42)
    numbers = [rng.getrandbits(64) for _ in range(2000)] + [0, 1, 2**64 - 1, 62**11 - 1]
    for n in numbers:
        code = encode(n)
        assert set(code) <= set(ALPHABET), f"{code!r} has characters outside the alphabet"
        assert decode(code) == n, f"decode(encode({n})) gave {decode(code)}"
    padded = sorted(encode(n, width=11) for n in numbers)
    assert [decode(c) for c in padded] == sorted(numbers), (
        "codes of equal width must sort as text in the order of their numbers"
    )


def test_invalid_input_is_refused():
    with pytest.raises(ValueError):
        encode(-1)
    for bad in ["", "ab-c", "a b", "é", "abc="]:
        with pytest.raises(ValueError):
            decode(bad)


def test_code_length_is_exact_at_powers_of_62():
    cases = {0: 1, 1: 1, 62: 1, 63: 2, 3844: 2, 3845: 3, 62**7: 7, 62**7 + 1: 8, 365_000_000_000: 7}
    for count, want in cases.items():
        got = code_length(count)
        assert got == want, f"code_length({count}): expected {want}, got {got}"
    got = code_length(62**40)
    assert got == 40, f"exact integer arithmetic at 62**40: expected 40, got {got}"
    got = code_length(62**40 + 1)
    assert got == 41, f"62**40 + 1 needs 41 characters, got {got}"


def test_scramble_is_a_bijection_and_unscramble_inverts_it():
    m = 62**3
    out = [scramble(n, 7, m) for n in range(m)]
    assert sorted(out) == list(range(m)), "scramble must permute range(modulus)"
    assert out[1] == 7 and out[m - 1] == (m - 1) * 7 % m, (
        f"expected n*7 % m, got {out[1]}, {out[-1]}"
    )
    rng = random.Random(5)
    mult = 1_580_030_173
    for _ in range(500):
        n = rng.randrange(62**7)
        s = scramble(n, mult)
        assert 0 <= s < 62**7 and unscramble(s, mult) == n, f"unscramble(scramble({n})) failed"
    for bad_multiplier in (62, 2, 31 * 5, 0):
        with pytest.raises(ValueError):
            scramble(1, bad_multiplier)
    for n in (-1, 62**7):
        with pytest.raises(ValueError):
            scramble(n, mult)


def test_snowflake_layout_and_parse():
    clock = Clock(T0)
    gen = Snowflake(513, clock)
    first = gen.next_id()
    want = (T0 - TWITTER_EPOCH_MS) << 22 | 513 << 12 | 0
    assert first == want, f"expected {want} (time << 22 | worker << 12 | sequence), got {first}"
    assert parse(first) == (T0, 513, 0), f"parse: expected {(T0, 513, 0)}, got {parse(first)}"
    second = gen.next_id()
    assert parse(second) == (T0, 513, 1), f"same millisecond: sequence 1, got {parse(second)}"
    clock.now += 5
    third = gen.next_id()
    assert parse(third) == (T0 + 5, 513, 0), (
        f"a new millisecond resets the sequence: {parse(third)}"
    )
    assert first < second < third, "IDs must increase"
    assert 0 < third < 2**63, "the sign bit stays 0"
    custom = Snowflake(0, Clock(1_000), epoch_ms=0).next_id()
    assert custom == 1_000 << 22, (
        f"a custom epoch of 0 at t=1000 ms: expected {1000 << 22}, got {custom}"
    )
    for worker in (-1, 1024):
        with pytest.raises(ValueError):
            Snowflake(worker, clock)


def test_sequence_overflow_waits_for_the_next_millisecond():
    clock = Clock(T0)
    gen = Snowflake(7, clock)
    ids = [gen.next_id() for _ in range(4096)]
    assert len(set(ids)) == 4096, "4,096 IDs in one millisecond must all differ"
    assert [parse(i)[2] for i in ids] == list(range(4096)), "sequences 0..4095 in one millisecond"
    assert {parse(i)[0] for i in ids} == {T0}, "all 4,096 fit in the same millisecond"
    clock.hold(3)
    nxt = gen.next_id()
    assert parse(nxt) == (T0 + 1, 7, 0), (
        f"the 4,097th ID waits for the clock to reach the next millisecond and starts its "
        f"sequence at 0: expected {(T0 + 1, 7, 0)}, got {parse(nxt)}"
    )
    assert nxt > ids[-1], "the ID after the wait is still larger"
    assert clock.now == T0 + 1, (
        "the generator must keep calling clock() until it reads the next millisecond, not "
        "stamp the ID with a millisecond the clock has not reached yet"
    )


def test_clock_going_backwards_is_refused_until_it_catches_up():
    clock = Clock(T0)
    gen = Snowflake(1, clock)
    a = gen.next_id()
    clock.now = T0 - 3
    with pytest.raises(ClockBackwardsError):
        gen.next_id()
    assert issubclass(ClockBackwardsError, RuntimeError), "ClockBackwardsError is a RuntimeError"
    clock.now = T0
    b = gen.next_id()
    assert b > a and parse(b) == (T0, 1, 1), (
        f"back at the last millisecond the sequence goes on: expected {(T0, 1, 1)}, got {parse(b)}"
    )


def test_time_outside_41_bits_is_refused_and_ids_are_10_or_11_characters():
    with pytest.raises(ValueError):
        Snowflake(0, Clock(TWITTER_EPOCH_MS - 1)).next_id()
    with pytest.raises(ValueError):
        Snowflake(0, Clock(TWITTER_EPOCH_MS + 2**41)).next_id()
    last = Snowflake(1023, Clock(TWITTER_EPOCH_MS + 2**41 - 1)).next_id()
    assert parse(last) == (TWITTER_EPOCH_MS + 2**41 - 1, 1023, 0), (
        f"the last millisecond fits: {parse(last)}"
    )
    year_2025 = 1_735_689_600_000
    code = encode(Snowflake(3, Clock(year_2025)).next_id())
    assert len(code) == 11, f"a 2025 Snowflake ID is 11 base62 characters, got {code!r}"
