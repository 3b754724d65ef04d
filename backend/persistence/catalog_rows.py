"""A product and its sizes read in one Core statement, for the add-to-cart path.

Every "add …" turn reads one product; reading it as plain rows keeps that turn free of the ORM
session (measured with bench/turn_cost.py). The rules (which size, is it on sale) live in
backend/services/catalog.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, select

from backend.persistence.models import Product, Variant

_products = Product.__table__
_variants = Variant.__table__


@dataclass(frozen=True)
class VariantRow:
    id: int
    code: str
    name: str
    price_minor: int
    available: bool


@dataclass(frozen=True)
class ProductRow:
    id: int
    sku: str
    name: str
    currency: str
    available: bool
    unavailable_reason: str | None
    category: str
    variants: tuple[VariantRow, ...]  # in menu order; the first is the default

    @property
    def default_variant(self) -> VariantRow:
        return self.variants[0]


_PRODUCT_WITH_VARIANTS = (
    select(
        _products.c.id,
        _products.c.sku,
        _products.c.name,
        _products.c.currency,
        _products.c.available,
        _products.c.unavailable_reason,
        _products.c.category,
        _variants.c.id,
        _variants.c.code,
        _variants.c.name,
        _variants.c.price_minor,
        _variants.c.available,
    )
    .join(_variants, _variants.c.product_id == _products.c.id)
    .where(_products.c.sku == bindparam("sku"))
    .order_by(_variants.c.position, _variants.c.id)
)


def product_by_sku(connection: Connection, sku: str) -> ProductRow | None:
    """The product with its variants; None if no product (or none with a variant) has `sku`."""
    rows = connection.execute(_PRODUCT_WITH_VARIANTS, {"sku": sku}).all()
    if not rows:
        return None
    variants = tuple(VariantRow(*row[7:]) for row in rows)
    return ProductRow(*rows[0][:7], variants=variants)
