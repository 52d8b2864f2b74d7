"""A checkout that is open for extension: pricing strategies built by name from a
registry (Strategy + Factory), and side effects hung on an event bus (Observer)."""

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Order:
    order_id: str
    tier: str
    subtotal: Decimal


class PricingStrategy(Protocol):
    """Anything with a price(order) method is a pricing strategy."""

    def price(self, order: Order) -> Decimal:
        """The total to charge for `order`, in whole cents."""
        ...


def register(
    name: str,
) -> Callable[[Callable[..., PricingStrategy]], Callable[..., PricingStrategy]]:
    """A decorator that files a strategy factory (a class, or any callable returning an
    object with price(order)) in PRICING under `name`, and returns the factory
    unchanged. Raises ValueError when `name` is already taken."""
    raise NotImplementedError


def make_pricing(name: str, **options: Any) -> PricingStrategy:
    """Build the strategy registered under `name`, passing `options` to its factory.
    Raises ValueError naming the registered strategies when `name` is unknown."""
    raise NotImplementedError


class Standard:
    """The subtotal, unchanged."""

    def price(self, order: Order) -> Decimal:
        raise NotImplementedError


class PercentOff:
    """`percent` off the subtotal (10 unless given), rounded half up to the cent.
    Raises ValueError for a percent outside 0..100."""

    def __init__(self, percent: int | str | Decimal = 10):
        raise NotImplementedError

    def price(self, order: Order) -> Decimal:
        raise NotImplementedError


#: The registry the factory reads: name -> strategy factory. The built-in strategies are
#: filed here; new ones arrive through @register without this file changing.
PRICING: dict[str, Callable[..., PricingStrategy]] = {
    "standard": Standard,
    "percent_off": PercentOff,
}


class EventBus:
    """Handlers subscribe to an event name and are called with the payload on publish."""

    def __init__(self) -> None:
        raise NotImplementedError

    def subscribe(self, event: str, handler: Callable[[Any], Any]) -> Callable[[], None]:
        """Subscribe `handler` to `event` and return a function that undoes exactly this
        subscription (calling it again does nothing). Bound methods are held weakly: a
        subscriber object that is garbage-collected is dropped silently. Other
        callables are held strongly. Subscribing the same handler twice gives two
        subscriptions, and publish calls it twice."""
        raise NotImplementedError

    def publish(self, event: str, payload: Any) -> list[Exception]:
        """Call every live handler of `event` with `payload`, in subscription order, and
        return the exceptions they raised (an empty list when none did). A failing
        handler never stops the others. Handlers subscribed or unsubscribed while a
        publish runs take effect from the next publish."""
        raise NotImplementedError

    def count(self, event: str) -> int:
        """How many live subscriptions `event` has."""
        raise NotImplementedError


class Checkout:
    """Prices orders with an injected strategy and announces them on an injected bus."""

    def __init__(self, pricing: PricingStrategy, bus: EventBus):
        raise NotImplementedError

    def place(self, order: Order) -> Decimal:
        """Price `order` with the strategy, publish "order_placed" with the payload
        {"order": order, "total": total}, and return the total. A handler that fails
        does not fail the checkout."""
        raise NotImplementedError
