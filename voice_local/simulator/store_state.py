"""What a dialog left in the store: the household's cart and the orders placed. Replay scripts
check these ("cart", "total", "orders", "order"), so a conversation is judged by its result."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from backend.errors import CustomerNotFound
from backend.persistence.models import Order
from backend.runtime import Backend
from backend.services.carts import get_cart
from backend.services.customers import find_by_first_device

Lines = Mapping[tuple[str, str], int]  # (product name, size name) → quantity


@dataclass(frozen=True)
class ExpectedLine:
    product: str
    variant: str | None  # None: the product has one size, or any size will do if only one
    quantity: int


@dataclass(frozen=True)
class StoreState:
    cart: Lines
    total_minor: int
    orders: int  # orders the household has placed
    latest_order: Lines


def read_store_state(backend: Backend, device_ids: Sequence[str]) -> StoreState:
    """The cart and the orders of the household the skill serves for these ids."""
    try:
        customer = find_by_first_device(backend.reader(), device_ids)
    except CustomerNotFound:  # not heard yet: the skill creates the household on first use
        return StoreState({}, 0, 0, {})
    view = get_cart(backend.reader(), customer.id)
    cart = {(line.product_name, line.variant_name): line.quantity for line in view.lines}
    mine = Order.customer_id == customer.id
    with backend.reader() as uow:
        count = uow.session.scalar(select(func.count(Order.id)).where(mine)) or 0
        latest = uow.session.scalars(
            select(Order).where(mine).order_by(Order.id.desc()).limit(1)
        ).first()
        placed = (
            {(line.product_name, line.variant_name): line.quantity for line in latest.lines}
            if latest is not None
            else {}
        )
    return StoreState(cart, view.total_minor, count, placed)


def lines_match(expected: Sequence[ExpectedLine], actual: Lines) -> bool:
    """Same lines and quantities; a line without a size matches the product's only line."""
    wanted: dict[tuple[str, str], int] = {}
    for line in expected:
        if line.variant is not None:
            key = (line.product, line.variant)
        else:
            sizes = [key for key in actual if key[0] == line.product]
            if len(sizes) != 1:
                return False
            key = sizes[0]
        wanted[key] = wanted.get(key, 0) + line.quantity
    return wanted == dict(actual)


def show_lines(lines: Lines) -> str:
    return "[" + ", ".join(f"{q} {p} ({v})" for (p, v), q in lines.items()) + "]"
