"""What the shop says about itself: sizes and stock from the catalog, popularity from orders."""

from backend.services import carts, orders, shop_info
from backend.services.carts import LineQuantity


def order(shop, *items):
    for sku, quantity, size in items:
        carts.add_item(shop.uow(), shop.customer_id, sku, quantity, size)
    orders.place_order(shop.uow(), shop.customer_id)


def test_a_product_lists_its_sizes_in_menu_order_with_prices(shop):
    latte = shop_info.product_info(shop.uow(), "COF-LATTE")
    assert [(s.name, s.price_minor) for s in latte.sizes] == [
        ("small", 395), ("medium", 445), ("large", 495)
    ]


def test_a_sold_out_product_has_no_sellable_size_and_says_why(shop):
    almond = shop_info.product_info(shop.uow(), "GRO-ALMONDMILK")
    assert almond.sellable_sizes == ()
    assert almond.unavailable_reason == "out of stock until Friday"


def test_the_alternative_to_a_sold_out_product_shares_a_word_of_its_name(shop):
    other = shop_info.similar_available(shop.uow(), "GRO-ALMONDMILK")
    assert other is not None and other.name.endswith("milk") and other.sellable_sizes


def test_popular_means_in_the_most_orders_and_still_on_sale(shop):
    order(shop, ("BAK-CROISSANT", 1, None), ("COF-LATTE", 1, "small"))
    order(shop, ("BAK-CROISSANT", 2, None))
    order(shop, ("GRO-OATMILK", 1, None))
    assert shop_info.popular(shop.uow(), limit=2)[0].sku == "BAK-CROISSANT"


def test_goes_well_with_is_what_was_bought_together_from_another_category_first(shop):
    order(shop, ("COF-LATTE", 1, "small"), ("BAK-CROISSANT", 1, None), ("COF-MOCHA", 1, "small"))
    order(shop, ("COF-LATTE", 1, "large"), ("BAK-CROISSANT", 1, None))
    assert [p.sku for p in shop_info.goes_well_with(shop.uow(), "COF-LATTE")] == [
        "BAK-CROISSANT", "COF-MOCHA"
    ]


def test_with_no_orders_nothing_is_called_popular(shop):
    assert shop_info.popular(shop.uow()) == ()


def test_restoring_lines_puts_quantities_back_in_one_change(shop):
    carts.add_item(shop.uow(), shop.customer_id, "GRO-OATMILK", 1)
    carts.add_item(shop.uow(), shop.customer_id, "GRO-OATMILK", 2)
    carts.add_item(shop.uow(), shop.customer_id, "BAK-CROISSANT", 1)
    cart = carts.restore_lines(
        shop.uow(), shop.customer_id,
        (LineQuantity("GRO-OATMILK", "each", 1), LineQuantity("BAK-CROISSANT", "each", 0)),
    )
    assert [(line.sku, line.quantity) for line in cart.lines] == [("GRO-OATMILK", 1)]


def test_changing_a_lines_size_keeps_its_quantity(shop):
    carts.add_item(shop.uow(), shop.customer_id, "COF-LATTE", 2, "small")
    cart = carts.change_variant(shop.uow(), shop.customer_id, "COF-LATTE", "small", "large")
    assert [(line.variant_code, line.quantity) for line in cart.lines] == [("large", 2)]
