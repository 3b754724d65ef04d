"""What a customer may ask about the shop: prices, sizes, stock, what there is, what's popular.

Answers come from the catalog and from this shop's own orders; nothing here changes a cart.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backend.errors import ProductNotFound
from backend.persistence import catalog_rows
from backend.persistence.catalog_rows import ProductRow
from backend.persistence.models import Order, OrderLine, OrderStatus, Product
from backend.unit_of_work import UnitOfWork

# How many past orders "popular" and "goes well with" read: recent taste, bounded cost.
RECENT_ORDERS = 500


@dataclass(frozen=True)
class SizeInfo:
    code: str
    name: str
    price_minor: int
    available: bool


@dataclass(frozen=True)
class ProductInfo:
    sku: str
    name: str
    category: str
    currency: str
    available: bool
    unavailable_reason: str | None
    sizes: tuple[SizeInfo, ...]  # in menu order

    @property
    def sellable_sizes(self) -> tuple[SizeInfo, ...]:
        return tuple(size for size in self.sizes if size.available) if self.available else ()

    def size(self, code: str) -> SizeInfo | None:
        return next((size for size in self.sizes if size.code == code), None)


def _info(product: Product | ProductRow) -> ProductInfo:
    variants = (
        product.variants
        if isinstance(product, ProductRow)  # already in menu order
        else sorted(product.variants, key=lambda v: (v.position, v.id))
    )
    return ProductInfo(
        sku=product.sku,
        name=product.name,
        category=product.category,
        currency=product.currency,
        available=product.available,
        unavailable_reason=product.unavailable_reason,
        sizes=tuple(SizeInfo(v.code, v.name, v.price_minor, v.available) for v in variants),
    )


def product_info(uow: UnitOfWork, sku: str) -> ProductInfo:
    """One product and its sizes, in one Core statement (every "add" turn reads one)."""
    with uow:
        row = catalog_rows.product_by_sku(uow.connection, sku)
    if row is None:
        raise ProductNotFound(sku, [])
    return _info(row)


def category_products(uow: UnitOfWork, categories: tuple[str, ...]) -> tuple[ProductInfo, ...]:
    with uow:
        products = uow.session.scalars(
            select(Product)
            .where(Product.category.in_(categories))
            .order_by(Product.id)
            .options(selectinload(Product.variants))
        )
        return tuple(_info(product) for product in products)


def similar_available(uow: UnitOfWork, sku: str) -> ProductInfo | None:
    """Something on sale in place of `sku`: same category, sharing a word of its name if any
    ("almond milk" → "oat milk"), the most ordered first."""
    wanted = product_info(uow, sku)
    candidates = [
        p for p in category_products(uow, (wanted.category,)) if p.sku != sku and p.sellable_sizes
    ]
    if not candidates:
        return None
    words = set(wanted.name.split())
    counts = _order_counts(uow)
    return max(
        candidates,
        key=lambda p: (len(words & set(p.name.split())), counts.get(p.sku, 0), -len(p.name)),
    )


def popular(uow: UnitOfWork, limit: int = 3) -> tuple[ProductInfo, ...]:
    """The products this shop's recent orders contain most often, still on sale."""
    counts = _order_counts(uow)
    ranked = [sku for sku, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    return _on_sale(uow, ranked, limit)


def goes_well_with(uow: UnitOfWork, sku: str, limit: int = 2) -> tuple[ProductInfo, ...]:
    """What customers most often bought in the same order as `sku` (another category first:
    a pastry with a coffee, not a second coffee)."""
    wanted = product_info(uow, sku)
    together: Counter[str] = Counter()
    for basket in _recent_baskets(uow):
        if sku in basket:
            together.update(other for other in basket if other != sku)
    infos = _on_sale(uow, [s for s, _ in together.most_common()], limit * 4)
    ranked = sorted(
        infos, key=lambda p: (p.category == wanted.category, -together[p.sku], p.name)
    )
    return tuple(ranked[:limit])


def _on_sale(uow: UnitOfWork, skus: list[str], limit: int) -> tuple[ProductInfo, ...]:
    if not skus:
        return ()
    with uow:
        products = {
            p.sku: p
            for p in uow.session.scalars(
                select(Product)
                .where(Product.sku.in_(skus))
                .options(selectinload(Product.variants))
            )
        }
        found = [_info(products[s]) for s in skus if s in products]
    return tuple(p for p in found if p.sellable_sizes)[:limit]


def _recent_baskets(uow: UnitOfWork) -> list[frozenset[str]]:
    with uow:
        recent = (
            select(Order.id)
            .where(Order.status != OrderStatus.CANCELLED)
            .order_by(Order.placed_at.desc(), Order.id.desc())
            .limit(RECENT_ORDERS)
            .subquery()
        )
        rows = uow.connection.execute(
            select(OrderLine.order_id, OrderLine.sku).where(OrderLine.order_id.in_(select(recent)))
        )
        baskets: dict[int, set[str]] = {}
        for order_id, sku in rows:
            baskets.setdefault(order_id, set()).add(sku)
    return [frozenset(basket) for basket in baskets.values()]


def _order_counts(uow: UnitOfWork) -> dict[str, int]:
    """In how many recent orders each product appears."""
    counts: Counter[str] = Counter()
    for basket in _recent_baskets(uow):
        counts.update(basket)
    return dict(counts)
