import gc
from decimal import Decimal

import pytest
from checkout import (
    PRICING,
    Checkout,
    EventBus,
    Order,
    PercentOff,
    Standard,
    make_pricing,
    register,
)

ORDER = Order("o-1", "gold", Decimal("19.99"))


def test_built_in_strategies_price_to_the_cent():
    got = make_pricing("standard").price(ORDER)
    assert got == Decimal("19.99"), f"standard: expected 19.99, got {got}"
    got = make_pricing("percent_off").price(ORDER)
    assert got == Decimal("17.99"), f"10% off 19.99 is 17.991, rounded to 17.99, got {got}"
    got = make_pricing("percent_off", percent=25).price(Order("o-2", "x", Decimal("10.10")))
    assert got == Decimal("7.58"), f"25% off 10.10 is 7.575, rounded half up to 7.58, got {got}"
    got = make_pricing("percent_off", percent=50).price(Order("o-3", "x", Decimal("10.05")))
    assert got == Decimal("5.03"), (
        f"half of 10.05 is 5.025, rounded half up (not half even) to 5.03, got {got}"
    )
    assert isinstance(make_pricing("standard"), Standard), "the factory builds the registered class"
    assert isinstance(make_pricing("percent_off", percent=5), PercentOff)
    for bad in (-1, 101):
        with pytest.raises(ValueError):
            make_pricing("percent_off", percent=bad)


def test_unknown_strategy_names_the_registered_ones():
    with pytest.raises(ValueError) as info:
        make_pricing("black_friday")
    message = str(info.value)
    assert "black_friday" in message and "standard" in message and "percent_off" in message, (
        f"the error should name the unknown strategy and the registered ones, got {message!r}"
    )


def test_a_new_strategy_registers_without_editing_the_factory():
    @register("flat_fee_check")
    class FlatFee:
        def __init__(self, fee="2.50"):
            self.fee = Decimal(fee)

        def price(self, order):
            return order.subtotal + self.fee

    assert PRICING.get("flat_fee_check") is FlatFee, "register files the factory under its name"
    assert FlatFee.__name__ == "FlatFee" and callable(FlatFee), (
        "the decorator returns the class itself"
    )
    got = make_pricing("flat_fee_check", fee="1.00").price(ORDER)
    assert got == Decimal("20.99"), f"expected 19.99 + 1.00 = 20.99, got {got}"

    @register("half_check")
    def half():
        class Half:
            def price(self, order):
                return order.subtotal / 2

        return Half()

    got = make_pricing("half_check").price(Order("o", "t", Decimal("8")))
    assert got == Decimal("4"), f"a plain factory function works too: expected 4, got {got}"
    with pytest.raises(ValueError):
        register("standard")(Standard)
    assert PRICING["standard"] is Standard, "a refused duplicate leaves the first entry in place"


def test_checkout_uses_the_injected_strategy_and_announces_the_order():
    class Fixed:
        def price(self, order):
            return Decimal("1.23")

    bus = EventBus()
    seen = []
    bus.subscribe("order_placed", seen.append)
    total = Checkout(Fixed(), bus).place(ORDER)
    assert total == Decimal("1.23"), f"the checkout must ask the injected strategy, got {total}"
    assert seen == [{"order": ORDER, "total": Decimal("1.23")}], (
        f"expected one order_placed event with the order and its total, got {seen}"
    )
    total = Checkout(make_pricing("percent_off", percent=50), bus).place(ORDER)
    assert total == Decimal("10.00"), (
        f"a strategy swapped in changes the price: expected 10.00, got {total}"
    )


def test_handlers_run_in_order_and_a_failing_one_is_isolated():
    bus = EventBus()
    calls = []
    bus.subscribe("e", lambda p: calls.append(("first", p)))

    def boom(p):
        raise RuntimeError("receipt printer on fire")

    bus.subscribe("e", boom)
    bus.subscribe("e", lambda p: calls.append(("third", p)))
    bus.subscribe("other", lambda p: calls.append(("other", p)))
    errors = bus.publish("e", 42)
    assert calls == [("first", 42), ("third", 42)], (
        f"every other handler runs, in order: got {calls}"
    )
    assert len(errors) == 1 and isinstance(errors[0], RuntimeError), (
        f"publish returns the handler's exception, got {errors!r}"
    )
    assert bus.publish("nobody", 1) == [], "an event without subscribers returns no errors"
    total = Checkout(Standard(), bus).place(ORDER)
    assert total == Decimal("19.99"), "a failing handler does not fail the checkout"


def test_unsubscribe_removes_exactly_one_subscription_and_is_idempotent():
    bus = EventBus()
    calls = []
    handler = calls.append
    first = bus.subscribe("e", handler)
    bus.subscribe("e", handler)
    bus.publish("e", "a")
    assert calls == ["a", "a"], f"two subscriptions of the same handler: two calls, got {calls}"
    first()
    first()
    bus.publish("e", "b")
    assert calls == ["a", "a", "b"], f"one unsubscribe removes one subscription, got {calls}"
    assert bus.count("e") == 1, f"expected 1 live subscription, got {bus.count('e')}"


def test_changes_during_a_publish_take_effect_from_the_next_one():
    bus = EventBus()
    calls = []
    unsubscribers = {}

    def one_shot(p):
        calls.append(("one_shot", p))
        unsubscribers["one_shot"]()
        bus.subscribe("e", lambda q: calls.append(("late", q)))

    unsubscribers["one_shot"] = bus.subscribe("e", one_shot)
    bus.subscribe("e", lambda p: calls.append(("steady", p)))
    bus.publish("e", 1)
    assert calls == [("one_shot", 1), ("steady", 1)], (
        f"unsubscribing itself must not skip the next handler, and a handler added "
        f"during the publish waits for the next one: got {calls}"
    )
    bus.publish("e", 2)
    assert calls[2:] == [("steady", 2), ("late", 2)], f"expected steady then late, got {calls[2:]}"


def test_a_garbage_collected_subscriber_is_dropped_silently():
    bus = EventBus()

    class Mailer:
        def __init__(self, log):
            self.log = log

        def on_order(self, payload):
            self.log.append(payload)

    log = []
    mailer = Mailer(log)
    bus.subscribe("e", mailer.on_order)
    bus.publish("e", 1)
    assert log == [1], f"the bound method is called while its object lives, got {log}"
    del mailer
    gc.collect()
    assert bus.count("e") == 0, f"the bus must not keep the mailer alive: {bus.count('e')} live"
    assert bus.publish("e", 2) == [], "a dead subscriber is skipped without an error"
    assert log == [1], f"nothing is delivered to a collected subscriber, got {log}"
    kept = []
    bus.subscribe("e", lambda p: kept.append(p))
    gc.collect()
    bus.publish("e", 3)
    assert kept == [3], "plain functions and lambdas are held strongly, so they stay subscribed"
