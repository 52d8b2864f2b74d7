"""A tiny shop in idiomatic Python: a validated frozen value object, a command language
parsed with structural pattern matching, and price rules plugged in through a Protocol."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in whole cents and an ISO-style currency code.

    Validation: `cents` must be an int (a bool or a float is a TypeError) and `currency`
    three upper-case ASCII letters (ValueError). Instances are immutable, hashable and
    equal by value. `+` and `-` work between Money of the same currency (ValueError for
    different currencies). str(Money(1250, "EUR")) == "12.50 EUR"; negative amounts show a
    leading minus sign ("-0.05 EUR").
    """

    cents: int
    currency: str

    def __post_init__(self) -> None:
        """Validate the fields as the class docstring says."""
        raise NotImplementedError

    def __add__(self, other: "Money") -> "Money":
        """The sum; ValueError for another currency."""
        raise NotImplementedError

    def __sub__(self, other: "Money") -> "Money":
        """The difference; ValueError for another currency."""
        raise NotImplementedError

    def __str__(self) -> str:
        """Like "12.50 EUR" or "-0.05 EUR"."""
        raise NotImplementedError

    def percent(self, p: int) -> "Money":
        """p percent of this amount, rounded down to a whole cent (towards minus infinity)."""
        raise NotImplementedError


@dataclass(frozen=True)
class Add:
    sku: str
    qty: int = 1


@dataclass(frozen=True)
class Remove:
    sku: str


@dataclass(frozen=True)
class Coupon:
    code: str


@dataclass(frozen=True)
class Checkout:
    pass


Command = Add | Remove | Coupon | Checkout


def parse(line: str) -> Command:
    """Parse one line of the shop's command language:

        add SKU [QTY]    QTY a positive whole number, 1 when left out
        remove SKU
        coupon CODE      the code is stored upper-cased
        checkout

    Words are separated by any whitespace; the verb is case-insensitive, the SKU is kept
    as written. Anything else (an unknown verb, a missing or extra word, a quantity that
    is not a positive integer) is a ValueError naming the line.
    """
    raise NotImplementedError


@dataclass(frozen=True)
class Receipt:
    subtotal: Money
    discounts: tuple[tuple[str, Money], ...]
    total: Money


@runtime_checkable
class PriceRule(Protocol):
    """A price rule plugin: any object with a `name` and a `discount` method fits, with no
    base class to inherit."""

    name: str

    def discount(self, cart: "Cart") -> Money:
        """The amount this rule takes off the cart (zero when it does not apply)."""
        ...


class Cart:
    """A cart over a catalogue of unit prices, all in one currency."""

    def __init__(self, catalogue: Mapping[str, Money], rules: Sequence[PriceRule] = ()) -> None:
        """ValueError if the catalogue is empty or mixes currencies."""
        raise NotImplementedError

    def execute(self, command: Command) -> Receipt | None:
        """Carry out one command with a match over the command classes: Add adds to the
        SKU's quantity (KeyError for a SKU not in the catalogue), Remove drops the SKU
        entirely (KeyError if the cart has none), Coupon records the code, Checkout returns
        the Receipt (see `receipt`). Only Checkout returns something; anything that is not
        a command is a TypeError."""
        raise NotImplementedError

    def quantity(self, sku: str) -> int:
        """How many of `sku` are in the cart (0 if none)."""
        raise NotImplementedError

    def subtotal(self) -> Money:
        """Sum of unit price times quantity over the cart (zero for an empty cart)."""
        raise NotImplementedError

    def receipt(self) -> Receipt:
        """The subtotal, one (rule name, amount) entry for every rule whose discount is
        above zero, in rule order, and the total: subtotal minus all discounts, never below
        zero. ValueError if a rule returns a negative amount; Money's own errors if it
        returns another currency."""
        raise NotImplementedError


class BulkDiscount:
    """`percent` off the line of `sku` when the cart holds at least `min_qty` of it.
    Satisfies PriceRule without inheriting from it."""

    def __init__(self, sku: str, min_qty: int, percent: int) -> None:
        """ValueError unless min_qty >= 1 and 0 < percent <= 100."""
        raise NotImplementedError

    def discount(self, cart: "Cart") -> Money:
        """The discount on the qualifying line, rounded down to a cent; zero otherwise."""
        raise NotImplementedError


class CouponRule:
    """A fixed amount off when the cart holds the coupon `code` (compared upper-cased).
    Satisfies PriceRule without inheriting from it."""

    def __init__(self, code: str, off: Money) -> None:
        """Keep the code upper-cased; ValueError if `off` is not above zero."""
        raise NotImplementedError

    def discount(self, cart: "Cart") -> Money:
        """`off` if the cart has the coupon, else zero."""
        raise NotImplementedError
