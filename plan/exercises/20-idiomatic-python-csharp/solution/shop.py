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
        if isinstance(self.cents, bool) or not isinstance(self.cents, int):
            raise TypeError(f"cents must be an int, got {self.cents!r}")
        c = self.currency
        if not (isinstance(c, str) and len(c) == 3 and c.isascii() and c.isalpha() and c.isupper()):
            raise ValueError(f"currency must be three upper-case letters, got {c!r}")

    def __add__(self, other: "Money") -> "Money":
        """The sum; ValueError for another currency."""
        return Money(self.cents + self._same(other).cents, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        """The difference; ValueError for another currency."""
        return Money(self.cents - self._same(other).cents, self.currency)

    def __str__(self) -> str:
        """Like "12.50 EUR" or "-0.05 EUR"."""
        sign = "-" if self.cents < 0 else ""
        whole, frac = divmod(abs(self.cents), 100)
        return f"{sign}{whole}.{frac:02d} {self.currency}"

    def percent(self, p: int) -> "Money":
        """p percent of this amount, rounded down to a whole cent (towards minus infinity)."""
        return Money(self.cents * p // 100, self.currency)

    def _same(self, other: "Money") -> "Money":
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {other!r}")
        if other.currency != self.currency:
            raise ValueError(f"cannot combine {self.currency} with {other.currency}")
        return other


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
    words = line.split()
    match [words[0].lower(), *words[1:]] if words else []:
        case ["add", sku]:
            return Add(sku)
        case ["add", sku, qty] if qty.isdecimal() and int(qty) > 0:
            return Add(sku, int(qty))
        case ["remove", sku]:
            return Remove(sku)
        case ["coupon", code]:
            return Coupon(code.upper())
        case ["checkout"]:
            return Checkout()
        case _:
            raise ValueError(f"cannot parse command {line!r}")


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
        currencies = {price.currency for price in catalogue.values()}
        if len(currencies) != 1:
            raise ValueError(f"a catalogue needs exactly one currency, got {sorted(currencies)}")
        self.catalogue = dict(catalogue)
        self.currency = currencies.pop()
        self.rules = list(rules)
        self.quantities: dict[str, int] = {}
        self.coupons: set[str] = set()

    def execute(self, command: Command) -> Receipt | None:
        """Carry out one command with a match over the command classes: Add adds to the
        SKU's quantity (KeyError for a SKU not in the catalogue), Remove drops the SKU
        entirely (KeyError if the cart has none), Coupon records the code, Checkout returns
        the Receipt (see `receipt`). Only Checkout returns something; anything that is not
        a command is a TypeError."""
        match command:
            case Add(sku=sku, qty=qty):
                if sku not in self.catalogue:
                    raise KeyError(sku)
                self.quantities[sku] = self.quantities.get(sku, 0) + qty
            case Remove(sku=sku):
                del self.quantities[sku]
            case Coupon(code=code):
                self.coupons.add(code)
            case Checkout():
                return self.receipt()
            case _:
                raise TypeError(f"not a command: {command!r}")
        return None

    def quantity(self, sku: str) -> int:
        """How many of `sku` are in the cart (0 if none)."""
        return self.quantities.get(sku, 0)

    def subtotal(self) -> Money:
        """Sum of unit price times quantity over the cart (zero for an empty cart)."""
        total = Money(0, self.currency)
        for sku, qty in self.quantities.items():
            total += Money(self.catalogue[sku].cents * qty, self.currency)
        return total

    def receipt(self) -> Receipt:
        """The subtotal, one (rule name, amount) entry for every rule whose discount is
        above zero, in rule order, and the total: subtotal minus all discounts, never below
        zero. ValueError if a rule returns a negative amount; Money's own errors if it
        returns another currency."""
        subtotal = self.subtotal()
        lines = []
        total = subtotal
        for rule in self.rules:
            off = rule.discount(self)
            if off.cents < 0:
                raise ValueError(f"rule {rule.name!r} returned a negative discount {off}")
            total -= off
            if off.cents > 0:
                lines.append((rule.name, off))
        if total.cents < 0:
            total = Money(0, self.currency)
        return Receipt(subtotal, tuple(lines), total)


class BulkDiscount:
    """`percent` off the line of `sku` when the cart holds at least `min_qty` of it.
    Satisfies PriceRule without inheriting from it."""

    def __init__(self, sku: str, min_qty: int, percent: int) -> None:
        """ValueError unless min_qty >= 1 and 0 < percent <= 100."""
        if min_qty < 1 or not 0 < percent <= 100:
            raise ValueError("need min_qty >= 1 and 0 < percent <= 100")
        self.sku, self.min_qty, self.percent = sku, min_qty, percent
        self.name = f"bulk {sku}"

    def discount(self, cart: "Cart") -> Money:
        """The discount on the qualifying line, rounded down to a cent; zero otherwise."""
        qty = cart.quantity(self.sku)
        if qty < self.min_qty:
            return Money(0, cart.currency)
        return Money(cart.catalogue[self.sku].cents * qty, cart.currency).percent(self.percent)


class CouponRule:
    """A fixed amount off when the cart holds the coupon `code` (compared upper-cased).
    Satisfies PriceRule without inheriting from it."""

    def __init__(self, code: str, off: Money) -> None:
        """Keep the code upper-cased; ValueError if `off` is not above zero."""
        if off.cents <= 0:
            raise ValueError(f"a coupon must take something off, got {off}")
        self.code, self.off = code.upper(), off
        self.name = f"coupon {self.code}"

    def discount(self, cart: "Cart") -> Money:
        """`off` if the cart has the coupon, else zero."""
        return self.off if self.code in cart.coupons else Money(0, cart.currency)
