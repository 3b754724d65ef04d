import threading

import pytest
from sqlalchemy import func, select

from backend.errors import InvalidQuantity, NotInCart, ProductUnavailable, UnknownVariant
from backend.persistence.models import CartLine
from backend.services import carts


def quantities(view):
    return {(line.sku, line.variant_code): line.quantity for line in view.lines}


def test_added_items_are_in_the_cart_with_prices_in_minor_units(shop):
    carts.add_item(shop.uow(), shop.customer_id, "GRO-OATMILK", 2)
    view = carts.get_cart(shop.uow(), shop.customer_id)
    assert quantities(view) == {("GRO-OATMILK", "each"): 2}
    assert isinstance(view.total_minor, int)
    assert view.total_minor == 2 * view.lines[0].unit_price_minor


def test_adding_the_same_product_again_adds_to_its_quantity(shop):
    carts.add_item(shop.uow(), shop.customer_id, "GRO-OATMILK", 2)
    view = carts.add_item(shop.uow(), shop.customer_id, "GRO-OATMILK", 3)
    assert quantities(view) == {("GRO-OATMILK", "each"): 5}


def test_a_variant_is_chosen_by_its_spoken_name(shop):
    view = carts.add_item(shop.uow(), shop.customer_id, "COF-LATTE", 1, "large")
    assert quantities(view) == {("COF-LATTE", "large"): 1}


def test_without_a_variant_the_default_one_is_used(shop):
    view = carts.add_item(shop.uow(), shop.customer_id, "COF-LATTE", 1)
    assert quantities(view) == {("COF-LATTE", "small"): 1}


def test_an_unknown_variant_lists_the_choices(shop):
    with pytest.raises(UnknownVariant) as raised:
        carts.add_item(shop.uow(), shop.customer_id, "COF-LATTE", 1, "gigantic")
    assert "small" in raised.value.message and "large" in raised.value.message


@pytest.mark.parametrize("quantity", [0, -3, 100, 1000])
def test_a_quantity_outside_1_to_99_is_refused_and_nothing_is_written(shop, quantity):
    with pytest.raises(InvalidQuantity) as raised:
        carts.add_item(shop.uow(), shop.customer_id, "GRO-OATMILK", quantity)
    assert str(quantity) in raised.value.message
    assert carts.get_cart(shop.uow(), shop.customer_id).is_empty


def test_a_line_cannot_grow_past_99(shop):
    carts.add_item(shop.uow(), shop.customer_id, "GRO-OATMILK", 60)
    with pytest.raises(InvalidQuantity):
        carts.add_item(shop.uow(), shop.customer_id, "GRO-OATMILK", 40)
    assert quantities(carts.get_cart(shop.uow(), shop.customer_id)) == {("GRO-OATMILK", "each"): 60}


def test_an_unavailable_product_is_refused_with_its_reason(shop):
    reason = shop.catalog.product("GRO-ALMONDMILK").unavailable_reason
    with pytest.raises(ProductUnavailable) as raised:
        carts.add_item(shop.uow(), shop.customer_id, "GRO-ALMONDMILK", 1)
    assert reason and reason in raised.value.message


def test_changing_the_quantity_replaces_it(shop):
    carts.add_item(shop.uow(), shop.customer_id, "GRO-EGGS", 1)
    view = carts.set_quantity(shop.uow(), shop.customer_id, "GRO-EGGS", 4)
    assert quantities(view) == {("GRO-EGGS", "dozen"): 4}


def test_removing_a_product_takes_every_size_of_it(shop):
    carts.add_item(shop.uow(), shop.customer_id, "COF-LATTE", 1, "small")
    carts.add_item(shop.uow(), shop.customer_id, "COF-LATTE", 1, "large")
    carts.add_item(shop.uow(), shop.customer_id, "GRO-EGGS", 1)
    view = carts.remove_item(shop.uow(), shop.customer_id, "COF-LATTE")
    assert quantities(view) == {("GRO-EGGS", "dozen"): 1}


def test_removing_what_is_not_in_the_cart_says_so(shop):
    with pytest.raises(NotInCart) as raised:
        carts.remove_item(shop.uow(), shop.customer_id, "GRO-EGGS")
    assert "eggs" in raised.value.message


def test_clearing_empties_the_cart(shop):
    carts.add_item(shop.uow(), shop.customer_id, "GRO-EGGS", 1)
    assert carts.clear_cart(shop.uow(), shop.customer_id).is_empty


def test_every_cart_change_is_a_screen_event_with_the_new_cart(shop):
    start = shop.hub.latest_id()
    carts.add_item(shop.uow(), shop.customer_id, "GRO-EGGS", 1)
    carts.set_quantity(shop.uow(), shop.customer_id, "GRO-EGGS", 2)
    carts.remove_item(shop.uow(), shop.customer_id, "GRO-EGGS")
    events = shop.hub.read_since(start, shop.customer_id)
    assert [e.payload["reason"] for e in events] == ["added", "quantity_changed", "removed"]
    assert [e.payload["cart"]["version"] for e in events] == [1, 2, 3]
    assert events[1].payload["cart"]["lines"][0]["quantity"] == 2


def test_a_failed_change_leaves_no_event(shop):
    start = shop.hub.latest_id()
    with pytest.raises(InvalidQuantity):
        carts.add_item(shop.uow(), shop.customer_id, "GRO-EGGS", 0)
    assert shop.hub.read_since(start) == []


def test_two_devices_adding_at_the_same_moment_lose_no_update(shop):
    rounds, devices = 15, 2
    barrier = threading.Barrier(devices)
    errors: list[BaseException] = []

    def device() -> None:
        try:
            barrier.wait()
            for _ in range(rounds):
                carts.add_item(shop.uow(), shop.customer_id, "GRO-OATMILK", 1)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=device) for _ in range(devices)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    view = carts.get_cart(shop.uow(), shop.customer_id)
    assert quantities(view) == {("GRO-OATMILK", "each"): rounds * devices}
    assert view.version == rounds * devices
    with shop.uow() as uow:
        assert uow.session.scalar(select(func.count(CartLine.id))) == 1


def test_the_cart_version_check_agrees_with_the_full_cart(shop):
    assert carts.cart_version(shop.uow(), shop.customer_id) == (
        carts.get_cart(shop.uow(), shop.customer_id).version,
        True,
    )
    added = carts.add_item(shop.uow(), shop.customer_id, "GRO-OATMILK", 2)
    assert carts.cart_version(shop.uow(), shop.customer_id) == (added.version, False)
    cleared = carts.clear_cart(shop.uow(), shop.customer_id)
    assert carts.cart_version(shop.uow(), shop.customer_id) == (cleared.version, True)
