"""Fill the cart from history: my last order, my usual, or the thing I bought last time."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backend.errors import InvalidQuantity, NothingToReorder
from backend.persistence.models import Order, OrderLine, OrderStatus, Product, Variant
from backend.services.carts import add_to_locked_cart, changed, lock_cart, view_of
from backend.services.views import CartView, LineView, line_view
from backend.unit_of_work import UnitOfWork


class ReorderSource(StrEnum):
    LAST = "last"
    USUAL = "usual"
    PRODUCT = "product"


@dataclass(frozen=True)
class ReorderResult:
    source: ReorderSource
    from_order: str
    added: tuple[LineView, ...]
    unavailable: tuple[str, ...]
    cart: CartView
    unavailable_skus: tuple[str, ...] = ()  # the same products as `unavailable`, in order

    @property
    def unavailable_items(self) -> tuple[tuple[str, str], ...]:
        """(sku, name) of each product that could not be added."""
        return tuple(zip(self.unavailable_skus, self.unavailable, strict=True))


def reorder(
    uow: UnitOfWork, customer_id: int, source: ReorderSource, sku: str | None = None
) -> ReorderResult:
    with uow:
        order, lines = _pick(_history(uow, customer_id), source, sku)
        cart = lock_cart(uow, customer_id)
        added: list[LineView] = []
        unavailable: list[str] = []
        unavailable_skus: list[str] = []
        for line in lines:
            variant = line.variant
            if not (variant.product.available and variant.available):
                unavailable.append(line.product_name)
                unavailable_skus.append(variant.product.sku)
                continue
            try:
                add_to_locked_cart(uow, cart, variant.product, variant, line.quantity)
            except InvalidQuantity:
                unavailable.append(line.product_name)
                unavailable_skus.append(variant.product.sku)
                continue
            added.append(
                LineView(
                    variant.product.sku,
                    variant.product.name,
                    variant.code,
                    variant.name,
                    line.quantity,
                    variant.price_minor,
                )
            )
        if added:
            view = changed(uow, cart, "reordered")
            uow.commit()
        else:
            # Nothing changed: leaving without a commit undoes the lock's version bump.
            view = view_of(customer_id, cart.version, cart.lines)
        assert order.number is not None
        return ReorderResult(
            source, order.number, tuple(added), tuple(unavailable), view, tuple(unavailable_skus)
        )


@dataclass(frozen=True)
class PastOrder:
    number: str
    lines: tuple[LineView, ...]
    total_minor: int
    currency: str


def past_order(
    uow: UnitOfWork, customer_id: int, source: ReorderSource, sku: str | None = None
) -> PastOrder:
    """What a reorder from `source` would bring back, read only ("what did I order last time")."""
    with uow:
        order, lines = _pick(_history(uow, customer_id), source, sku)
        assert order.number is not None
        seen = tuple(line_view(line) for line in lines)
        return PastOrder(
            order.number, seen, sum(line.total_minor for line in seen), order.currency
        )


def _history(uow: UnitOfWork, customer_id: int) -> list[Order]:
    return list(
        uow.session.scalars(
            select(Order)
            .where(Order.customer_id == customer_id, Order.status != OrderStatus.CANCELLED)
            .order_by(Order.placed_at.desc(), Order.id.desc())
            .options(
                selectinload(Order.lines)
                .selectinload(OrderLine.variant)
                .selectinload(Variant.product)
                .selectinload(Product.variants)
            )
        )
    )


def _pick(
    history: list[Order], source: ReorderSource, sku: str | None
) -> tuple[Order, list[OrderLine]]:
    if not history:
        raise NothingToReorder("previous order")
    if source == ReorderSource.LAST:
        return history[0], list(history[0].lines)
    if source == ReorderSource.USUAL:
        # The usual is the basket bought most often; ties go to the most recent one.
        baskets = Counter(_basket(order) for order in history)
        top = max(baskets.values())
        usual = next(order for order in history if baskets[_basket(order)] == top)
        return usual, list(usual.lines)
    for order in history:
        for line in order.lines:
            if line.sku == sku:
                return order, [line]
    raise NothingToReorder("earlier purchase of that product", sku)


def _basket(order: Order) -> frozenset[tuple[int, int]]:
    return frozenset((line.variant_id, line.quantity) for line in order.lines)
