from sqlalchemy import func, select

from backend.persistence.models import Customer, Product, Variant
from backend.seed import seed


def test_seeding_loads_the_whole_demo_catalog(shop):
    with shop.uow() as uow:
        assert uow.session.scalar(select(func.count(Product.id))) == len(shop.catalog.products)
        prices = uow.session.scalars(select(Variant.price_minor)).all()
    assert all(isinstance(p, int) and p > 0 for p in prices)


def test_seeding_again_changes_nothing(shop):
    report = seed(shop.uow(), shop.catalog)
    assert (report.products_added, report.products_updated, report.customer_created) == (
        0,
        0,
        False,
    )
    with shop.uow() as uow:
        assert uow.session.scalar(select(func.count(Customer.id))) == 1
