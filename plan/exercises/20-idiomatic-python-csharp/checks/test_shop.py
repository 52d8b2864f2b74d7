import dataclasses

import pytest
from shop import (
    Add,
    BulkDiscount,
    Cart,
    Checkout,
    Coupon,
    CouponRule,
    Money,
    PriceRule,
    Receipt,
    Remove,
    parse,
)


def eur(cents):
    return Money(cents, "EUR")


def catalogue():
    """Built when a check runs, so that an unfinished Money fails each check, not the import."""
    return {"tea": eur(450), "mug": eur(1299), "pen": eur(99)}


def test_money_validates_its_fields():
    for bad in (1.5, True, "100"):
        with pytest.raises(TypeError):
            Money(bad, "EUR")
    for bad in ("eur", "EURO", "E1R", "", "ÉUR"):
        with pytest.raises(ValueError):
            Money(100, bad)


def test_money_is_a_frozen_hashable_value_with_slots():
    m = eur(250)
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.cents = 1
    assert m == eur(250) and m != Money(250, "USD"), "equality by value, currency included"
    assert {eur(250): "x"}[eur(250)] == "x", "equal Money must hash alike"
    assert not hasattr(m, "__dict__"), "declare the dataclass with slots=True"


def test_money_arithmetic_formatting_and_rounding():
    assert eur(250) + eur(199) == eur(449)
    assert eur(100) - eur(250) == eur(-150)
    with pytest.raises(ValueError):
        eur(1) + Money(1, "USD")
    cases = {
        eur(1250): "12.50 EUR",
        eur(5): "0.05 EUR",
        eur(-5): "-0.05 EUR",
        eur(0): "0.00 EUR",
        eur(-1250): "-12.50 EUR",
    }
    for money, want in cases.items():
        assert str(money) == want, f"expected {want!r}, got {str(money)!r}"
    assert eur(999).percent(10) == eur(99), "10% of 9.99 rounds down to 0.99"
    assert eur(-999).percent(10) == eur(-100), "rounding is towards minus infinity"


def test_parse_reads_every_command_form():
    cases = {
        "add tea": Add("tea", 1),
        "add  Tea   3": Add("Tea", 3),
        "ADD mug 12": Add("mug", 12),
        "remove tea": Remove("tea"),
        "  coupon  summer10 ": Coupon("SUMMER10"),
        "Checkout": Checkout(),
    }
    for line, want in cases.items():
        got = parse(line)
        assert got == want, f"parse({line!r}): expected {want}, got {got}"


def test_parse_rejects_everything_else():
    for line in (
        "",
        "   ",
        "add",
        "add tea 0",
        "add tea -1",
        "add tea 1.5",
        "add tea 2 3",
        "add tea two",
        "remove",
        "coupon",
        "checkout now",
        "fly away",
    ):
        with pytest.raises(ValueError):
            parse(line)


def test_cart_executes_commands():
    cart = Cart(catalogue())
    assert cart.execute(Add("tea", 2)) is None
    cart.execute(Add("tea"))
    cart.execute(Add("pen", 4))
    assert cart.quantity("tea") == 3 and cart.quantity("mug") == 0
    cart.execute(Remove("pen"))
    assert cart.quantity("pen") == 0, "remove drops the whole line"
    assert cart.subtotal() == eur(1350)
    with pytest.raises(KeyError):
        cart.execute(Add("cake"))
    with pytest.raises(KeyError):
        cart.execute(Remove("mug"))
    with pytest.raises(TypeError):
        cart.execute("add tea")
    receipt = cart.execute(Checkout())
    assert receipt == Receipt(eur(1350), (), eur(1350)), f"no rules, no discounts: got {receipt}"
    assert Cart(catalogue()).execute(Checkout()).total == eur(0), "an empty cart costs nothing"


def test_rules_discount_in_order_and_the_total_never_goes_negative():
    rules = [BulkDiscount("tea", min_qty=3, percent=10), CouponRule("summer", eur(500))]
    cart = Cart(catalogue(), rules)
    for line in ("add tea 2", "coupon SUMMER", "add mug", "checkout"):
        receipt = cart.execute(parse(line))
    assert receipt.subtotal == eur(2199)
    assert receipt.discounts == (("coupon SUMMER", eur(500)),), (
        f"2 teas do not reach the bulk rule, so only the coupon applies; got {receipt.discounts}"
    )
    assert receipt.total == eur(1699)
    cart.execute(Add("tea"))
    receipt = cart.execute(Checkout())
    assert receipt.discounts == (("bulk tea", eur(135)), ("coupon SUMMER", eur(500))), receipt
    assert receipt.total == eur(2649 - 135 - 500)
    small = Cart(catalogue(), [CouponRule("BIG", eur(5000))])
    small.execute(Add("pen"))
    small.execute(Coupon("BIG"))
    assert small.receipt().total == eur(0), "a discount larger than the cart leaves 0, not less"


def test_any_class_with_the_right_shape_plugs_in_as_a_rule():
    class EveryThirdPenFree:  # no base class: structural typing
        name = "pens 3 for 2"

        def discount(self, cart):
            return Money(cart.quantity("pen") // 3 * 99, cart.currency)

    for rule in (EveryThirdPenFree(), BulkDiscount("tea", 1, 5), CouponRule("x", eur(1))):
        assert isinstance(rule, PriceRule), f"{type(rule).__name__} should satisfy PriceRule"
        assert PriceRule not in type(rule).__mro__, f"{type(rule).__name__} must not inherit it"
    assert not isinstance(object(), PriceRule)
    cart = Cart(catalogue(), [EveryThirdPenFree()])
    cart.execute(Add("pen", 7))
    assert cart.receipt().discounts == (("pens 3 for 2", eur(198)),)


def test_bad_rules_and_catalogues_are_refused():
    class Negative:
        name = "oops"

        def discount(self, cart):
            return eur(-1)

    class Dollars:
        name = "usd"

        def discount(self, cart):
            return Money(1, "USD")

    for rule in (Negative(), Dollars()):
        cart = Cart(catalogue(), [rule])
        cart.execute(Add("tea"))
        with pytest.raises(ValueError):
            cart.receipt()
    with pytest.raises(ValueError):
        Cart({"tea": eur(1), "cola": Money(1, "USD")})
    with pytest.raises(ValueError):
        Cart({})
    with pytest.raises(ValueError):
        BulkDiscount("tea", 0, 10)
    with pytest.raises(ValueError):
        BulkDiscount("tea", 2, 101)
    with pytest.raises(ValueError):
        CouponRule("free", eur(0))
