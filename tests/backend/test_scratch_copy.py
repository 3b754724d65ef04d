"""A scratch copy of a store has the same rows, lives in its own SQLite file, and is separate."""

from sqlalchemy import func, select

from backend.persistence.models import Customer, Order, Product, Variant
from backend.persistence.scratch import scratch_copy
from backend.persistence.store import open_store
from backend.services import carts, orders
from backend.unit_of_work import UnitOfWork


def counts(store):
    with UnitOfWork(store) as uow:
        return [
            uow.session.scalar(select(func.count()).select_from(model))
            for model in (Product, Variant, Customer, Order)
        ]


def test_the_copy_has_the_stores_catalog_customers_and_orders(shop, tmp_path):
    carts.add_item(shop.uow(), shop.customer_id, "COF-LATTE", 1)
    placed = orders.place_order(shop.uow(), shop.customer_id)
    copy = open_store(scratch_copy(shop.store, tmp_path))
    try:
        assert counts(copy) == counts(shop.store)
        assert orders.get_order(UnitOfWork(copy), placed.number).lines == placed.lines
    finally:
        copy.dispose()


def test_orders_placed_in_the_copy_stay_there(shop, tmp_path):
    copy = open_store(scratch_copy(shop.store, tmp_path))
    try:
        carts.add_item(UnitOfWork(copy), shop.customer_id, "COF-LATTE", 1)
        placed = orders.place_order(UnitOfWork(copy), shop.customer_id)
        assert placed.number == "A-100"
        assert orders.list_orders(shop.uow()) == []
    finally:
        copy.dispose()
