import pytest
from sqlalchemy import select

from backend.errors import NothingToReorder
from backend.persistence.models import Product
from backend.services import carts, orders
from backend.services.reorders import ReorderSource, reorder


def buy(shop, key, *items):
    for sku, quantity in items:
        carts.add_item(shop.uow(), shop.customer_id, sku, quantity)
    return orders.place_order(shop.uow(), shop.customer_id, key)


def in_cart(shop):
    view = carts.get_cart(shop.uow(), shop.customer_id)
    return {line.sku: line.quantity for line in view.lines}


def test_my_last_order_fills_the_cart_with_its_items(shop):
    buy(shop, "1", ("GRO-EGGS", 1))
    last = buy(shop, "2", ("HOU-PAPERTOWELS", 2), ("GRO-OATMILK", 1))
    result = reorder(shop.uow(), shop.customer_id, ReorderSource.LAST)
    assert result.from_order == last.number
    assert in_cart(shop) == {"HOU-PAPERTOWELS": 2, "GRO-OATMILK": 1}
    assert [line.sku for line in result.added] == ["HOU-PAPERTOWELS", "GRO-OATMILK"]


def test_my_usual_is_the_basket_bought_most_often(shop):
    buy(shop, "1", ("COF-LATTE", 1), ("BAK-CROISSANT", 1))
    buy(shop, "2", ("GRO-EGGS", 1))
    buy(shop, "3", ("COF-LATTE", 1), ("BAK-CROISSANT", 1))
    buy(shop, "4", ("GRO-BREAD", 1))
    reorder(shop.uow(), shop.customer_id, ReorderSource.USUAL)
    assert in_cart(shop) == {"COF-LATTE": 1, "BAK-CROISSANT": 1}


def test_the_product_i_bought_last_time_comes_back_in_the_same_quantity(shop):
    buy(shop, "1", ("GRO-OATMILK", 3), ("GRO-EGGS", 1))
    buy(shop, "2", ("GRO-BREAD", 1))
    result = reorder(shop.uow(), shop.customer_id, ReorderSource.PRODUCT, "GRO-OATMILK")
    assert in_cart(shop) == {"GRO-OATMILK": 3}
    assert result.cart.item_count == 3


def test_items_no_longer_available_are_reported_and_left_out(shop):
    buy(shop, "1", ("GRO-OATMILK", 1), ("GRO-EGGS", 2))
    with shop.uow() as uow:
        uow.session.scalar(select(Product).where(Product.sku == "GRO-EGGS")).available = False
        uow.commit()
    result = reorder(shop.uow(), shop.customer_id, ReorderSource.LAST)
    assert result.unavailable == ("eggs",)
    assert in_cart(shop) == {"GRO-OATMILK": 1}


def test_with_no_history_there_is_nothing_to_reorder(shop):
    with pytest.raises(NothingToReorder):
        reorder(shop.uow(), shop.customer_id, ReorderSource.LAST)


def test_a_product_never_bought_cannot_be_reordered(shop):
    buy(shop, "1", ("GRO-EGGS", 1))
    with pytest.raises(NothingToReorder):
        reorder(shop.uow(), shop.customer_id, ReorderSource.PRODUCT, "GRO-OATMILK")
    assert in_cart(shop) == {}


def test_cancelled_orders_are_not_reordered(shop):
    buy(shop, "1", ("GRO-EGGS", 1))
    cancelled = buy(shop, "2", ("GRO-BREAD", 1))
    orders.cancel_order(shop.uow(), cancelled.number)
    reorder(shop.uow(), shop.customer_id, ReorderSource.LAST)
    assert in_cart(shop) == {"GRO-EGGS": 1}
