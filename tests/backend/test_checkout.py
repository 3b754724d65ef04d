import re
import threading
from datetime import UTC

import pytest
from sqlalchemy import func, select

from backend.errors import CartChanged, EmptyCart
from backend.persistence.models import Order, OrderStatus
from backend.services import carts, orders


def fill(shop):
    carts.add_item(shop.uow(), shop.customer_id, "GRO-OATMILK", 2)
    carts.add_item(shop.uow(), shop.customer_id, "COF-LATTE", 1, "large")


def order_count(shop):
    with shop.uow() as uow:
        return uow.session.scalar(select(func.count(Order.id)))


def test_checkout_turns_the_cart_into_a_placed_order_and_empties_the_cart(shop):
    fill(shop)
    cart = carts.get_cart(shop.uow(), shop.customer_id)
    order = orders.place_order(shop.uow(), shop.customer_id, "key-1")
    assert order.status == OrderStatus.PLACED
    assert order.total_minor == cart.total_minor
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("GRO-OATMILK", 2),
        ("COF-LATTE", 1),
    ]
    assert carts.get_cart(shop.uow(), shop.customer_id).is_empty


def test_order_numbers_are_short_and_easy_to_say(shop):
    fill(shop)
    order = orders.place_order(shop.uow(), shop.customer_id, "key-1")
    assert re.fullmatch(r"[A-Z]-\d{3}", order.number)


def test_order_times_are_timezone_aware_utc(shop):
    fill(shop)
    order = orders.place_order(shop.uow(), shop.customer_id, "key-1")
    reloaded = orders.get_order(shop.uow(), order.number)
    assert reloaded.placed_at.tzinfo == UTC
    assert reloaded.eta is not None and reloaded.eta > reloaded.placed_at
    assert reloaded.timeline[0].at.tzinfo == UTC


def test_checkout_of_an_empty_cart_is_refused(shop):
    with pytest.raises(EmptyCart):
        orders.place_order(shop.uow(), shop.customer_id, "key-1")
    assert order_count(shop) == 0


def test_a_retried_checkout_returns_the_same_order(shop):
    fill(shop)
    first = orders.place_order(shop.uow(), shop.customer_id, "amzn1.echo-api.request.1")
    again = orders.place_order(shop.uow(), shop.customer_id, "amzn1.echo-api.request.1")
    assert again.number == first.number
    assert order_count(shop) == 1


def test_a_new_checkout_key_with_an_empty_cart_places_nothing(shop):
    fill(shop)
    orders.place_order(shop.uow(), shop.customer_id, "key-1")
    with pytest.raises(EmptyCart):
        orders.place_order(shop.uow(), shop.customer_id, "key-2")
    assert order_count(shop) == 1


def test_a_cart_changed_after_it_was_confirmed_is_not_ordered(shop):
    fill(shop)
    confirmed = carts.get_cart(shop.uow(), shop.customer_id).version
    carts.add_item(shop.uow(), shop.customer_id, "COF-MOCHA", 1)
    with pytest.raises(CartChanged):
        orders.place_order(shop.uow(), shop.customer_id, "key-1", cart_version=confirmed)
    assert order_count(shop) == 0
    assert len(carts.get_cart(shop.uow(), shop.customer_id).lines) == 3


def test_a_retry_after_the_confirmed_cart_was_ordered_returns_that_order(shop):
    fill(shop)
    confirmed = carts.get_cart(shop.uow(), shop.customer_id).version
    first = orders.place_order(shop.uow(), shop.customer_id, "key-1", cart_version=confirmed)
    carts.add_item(shop.uow(), shop.customer_id, "COF-MOCHA", 1)  # the cart moved on since
    again = orders.place_order(shop.uow(), shop.customer_id, "key-1", cart_version=confirmed)
    assert again.number == first.number
    assert order_count(shop) == 1


def test_a_reused_key_with_a_new_cart_returns_the_first_order_and_keeps_the_cart(shop):
    fill(shop)
    first = orders.place_order(shop.uow(), shop.customer_id, "key-1")
    carts.add_item(shop.uow(), shop.customer_id, "COF-MOCHA", 1)
    again = orders.place_order(shop.uow(), shop.customer_id, "key-1")
    assert again.number == first.number
    assert order_count(shop) == 1
    assert [line.sku for line in carts.get_cart(shop.uow(), shop.customer_id).lines] == [
        "COF-MOCHA"
    ]


def test_simultaneous_retries_of_one_checkout_create_one_order(shop):
    fill(shop)
    barrier = threading.Barrier(4)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def retry() -> None:
        try:
            barrier.wait()
            numbers.append(orders.place_order(shop.uow(), shop.customer_id, "same-key").number)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=retry) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(numbers)) == 1 and len(numbers) == 4
    assert order_count(shop) == 1


def test_placing_an_order_is_a_screen_event_with_the_order(shop):
    fill(shop)
    start = shop.hub.latest_id()
    order = orders.place_order(shop.uow(), shop.customer_id, "key-1")
    kinds = [(e.kind, e.payload.get("order", {}).get("number")) for e in shop.hub.read_since(start)]
    assert kinds == [("cart_updated", None), ("order_placed", order.number)]


def test_a_product_that_became_unavailable_blocks_checkout_and_keeps_the_cart(shop):
    from backend.errors import ProductUnavailable
    from backend.persistence.models import Product

    fill(shop)
    with shop.uow() as uow:
        uow.session.scalar(select(Product).where(Product.sku == "GRO-OATMILK")).available = False
        uow.commit()
    with pytest.raises(ProductUnavailable):
        orders.place_order(shop.uow(), shop.customer_id, "key-1")
    assert len(carts.get_cart(shop.uow(), shop.customer_id).lines) == 2
    assert order_count(shop) == 0


def _second_household(shop):
    from backend.persistence.models import DeviceKind
    from backend.services import customers

    return customers.create_customer(
        shop.uow(), "Neighbours", devices=[(DeviceKind.ALEXA_USER, "amzn1.ask.account.B")]
    ).id


def test_another_households_key_and_cart_version_never_read_back_their_order(shop):
    # Household B confirms with A's session id and cart version (the checkout key): B must not
    # hear A's order, and with an empty cart B orders nothing.
    fill(shop)
    confirmed = carts.get_cart(shop.uow(), shop.customer_id).version
    orders.place_order(shop.uow(), shop.customer_id, "session-A:1", cart_version=confirmed)
    neighbour = _second_household(shop)
    with pytest.raises((CartChanged, EmptyCart)):
        orders.place_order(shop.uow(), neighbour, "session-A:1", cart_version=confirmed)
    assert order_count(shop) == 1


def test_the_same_key_in_two_households_places_two_orders(shop):
    fill(shop)
    first = orders.place_order(shop.uow(), shop.customer_id, "shared-key")
    neighbour = _second_household(shop)
    carts.add_item(shop.uow(), neighbour, "COF-MOCHA", 1)
    second = orders.place_order(shop.uow(), neighbour, "shared-key")
    assert second.number != first.number
    assert second.customer_id == neighbour
    assert [line.sku for line in second.lines] == ["COF-MOCHA"]
