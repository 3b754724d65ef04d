"""Money and quantities are whole numbers in the store, whatever a caller hands it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from backend.persistence.migrate import upgrade
from backend.persistence.models import Cart, CartLine, Order, OrderLine, Variant
from backend.services import carts


def _cart_and_variant(shop) -> tuple[int, int]:
    with shop.uow() as uow:
        cart_id = uow.session.scalar(select(Cart.id).where(Cart.customer_id == shop.customer_id))
        variant_id = uow.session.scalar(select(Variant.id).order_by(Variant.id).limit(1))
    return cart_id, variant_id


@pytest.mark.parametrize("quantity", [2.5, 2.0, "2", True])
def test_a_quantity_that_is_not_an_int_is_refused_before_it_reaches_the_store(shop, quantity):
    cart_id, variant_id = _cart_and_variant(shop)
    with pytest.raises(StatementError, match="whole number"), shop.uow() as uow:
        uow.connection.execute(
            insert(CartLine).values(cart_id=cart_id, variant_id=variant_id, quantity=quantity)
        )
        uow.commit()
    assert carts.get_cart(shop.uow(), shop.customer_id).is_empty


def test_the_order_total_must_be_a_whole_number_of_minor_units(shop):
    with pytest.raises(StatementError, match="whole number"), shop.uow() as uow:
        uow.session.add(
            Order(
                customer_id=shop.customer_id,
                status="placed",
                fulfilment="pickup",
                total_minor=6736.5,
                currency="USD",
            )
        )
        uow.commit()


def test_the_database_itself_never_keeps_a_fractional_quantity(shop):
    # Past the application (plain SQL): SQLite refuses it by CHECK; PostgreSQL's integer column
    # cannot hold a fraction at all.
    cart_id, variant_id = _cart_and_variant(shop)
    statement = text(
        "INSERT INTO cart_lines (cart_id, variant_id, quantity) VALUES (:cart, :variant, 2.5)"
    )
    if shop.store.is_sqlite:
        with pytest.raises(IntegrityError, match="quantity_whole"), shop.uow() as uow:
            uow.connection.execute(statement, {"cart": cart_id, "variant": variant_id})
            uow.commit()
        return
    with shop.uow() as uow:
        uow.connection.execute(statement, {"cart": cart_id, "variant": variant_id})
        stored = uow.connection.execute(text("SELECT quantity FROM cart_lines")).scalar_one()
    assert isinstance(stored, int)


def test_order_lines_need_a_positive_whole_quantity_and_price(shop):
    variant_id = _cart_and_variant(shop)[1]
    for column, value in (("quantity", 0), ("unit_price_minor", -1)):
        with pytest.raises(IntegrityError), shop.uow() as uow:
            order_id = uow.connection.execute(
                insert(Order)
                .values(
                    customer_id=shop.customer_id,
                    status="placed",
                    fulfilment="pickup",
                    total_minor=100,
                    currency="USD",
                    placed_at=text("CURRENT_TIMESTAMP"),
                )
                .returning(Order.id)
            ).scalar_one()
            values = {"quantity": 1, "unit_price_minor": 100, column: value}
            uow.connection.execute(
                insert(OrderLine).values(
                    order_id=order_id,
                    variant_id=variant_id,
                    sku="X",
                    product_name="x",
                    variant_code="x",
                    variant_name="x",
                    **values,
                )
            )
            uow.commit()


def test_upgrading_sqlite_keeps_every_order_line_and_repairs_what_the_old_bug_stored(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    upgrade(f"sqlite:///{path}", "0004").dispose()
    raw = sqlite3.connect(path)
    raw.executescript(
        """
        INSERT INTO customers (id, name, fulfilment, failed_code_attempts, created_at)
            VALUES (1, 'A', 'pickup', 0, '2026-11-01 10:00:00');
        INSERT INTO carts (id, customer_id, version, updated_at)
            VALUES (1, 1, 3, '2026-11-01 10:00:00');
        INSERT INTO products (id, sku, name, category, currency, available)
            VALUES (1, 'GRO-OATMILK', 'oat milk', 'grocery', 'USD', 1);
        INSERT INTO variants (id, product_id, code, name, position, price_minor, available)
            VALUES (1, 1, 'each', 'each', 0, 499, 1);
        INSERT INTO cart_lines (id, cart_id, variant_id, quantity) VALUES (1, 1, 1, 13.5);
        INSERT INTO orders (id, number, customer_id, status, fulfilment, total_minor, currency,
                            idempotency_key, placed_at)
            VALUES (1, 'A-100', 1, 'placed', 'pickup', 998.0, 'USD', 'k', '2026-11-01 10:00:00');
        INSERT INTO order_lines (id, order_id, variant_id, sku, product_name, variant_code,
                                 variant_name, quantity, unit_price_minor)
            VALUES (1, 1, 1, 'GRO-OATMILK', 'oat milk', 'each', 'each', 2, 499);
        """
    )
    raw.commit()
    raw.close()

    upgrade(f"sqlite:///{path}").dispose()

    raw = sqlite3.connect(path)
    assert raw.execute("SELECT count(*) FROM order_lines").fetchone() == (1,)
    assert raw.execute("SELECT count(*) FROM cart_lines").fetchone() == (0,)
    assert raw.execute("SELECT total_minor, typeof(total_minor) FROM orders").fetchone() == (
        998,
        "integer",
    )
    assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    raw.close()
