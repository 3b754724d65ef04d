"""What services return: plain frozen values, detached from the database session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from backend.clock import utcnow
from backend.persistence.models import Order, OrderStatus

CANCELLABLE = frozenset({OrderStatus.PLACED, OrderStatus.ACCEPTED})
OPEN_STATUSES = frozenset(
    {
        OrderStatus.PLACED,
        OrderStatus.ACCEPTED,
        OrderStatus.PREPARING,
        OrderStatus.READY,
        OrderStatus.OUT_FOR_DELIVERY,
    }
)


# Statuses whose ETA is a promise still to keep (a ready order's ETA is when it became ready).
PROMISED_STATUSES = frozenset(
    {OrderStatus.PLACED, OrderStatus.ACCEPTED, OrderStatus.PREPARING, OrderStatus.OUT_FOR_DELIVERY}
)
# What is left of a late order, as a fresh estimate: a short wait at the counter, a longer drive.
LATE_ESTIMATE = {"pickup": timedelta(minutes=5), "delivery": timedelta(minutes=15)}


def promised_eta(
    status: OrderStatus, fulfilment: str, eta: datetime | None, now: datetime | None = None
) -> datetime | None:
    """The ETA to tell a customer: never a time already past for an order still on its way."""
    if eta is None or status not in PROMISED_STATUSES:
        return eta
    now = now or utcnow()
    if eta >= now:
        return eta
    return now + LATE_ESTIMATE.get(fulfilment, LATE_ESTIMATE["pickup"])


@dataclass(frozen=True)
class LineView:
    sku: str
    product_name: str
    variant_code: str
    variant_name: str
    quantity: int
    unit_price_minor: int

    @property
    def total_minor(self) -> int:
        return self.quantity * self.unit_price_minor


@dataclass(frozen=True)
class CartView:
    customer_id: int
    lines: tuple[LineView, ...]
    currency: str
    version: int
    # The line the change that produced this view touched, when it touched one.
    touched: LineView | None = None

    @property
    def total_minor(self) -> int:
        return sum(line.total_minor for line in self.lines)

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def is_empty(self) -> bool:
        return not self.lines


@dataclass(frozen=True)
class StatusChangeView:
    status: OrderStatus
    at: datetime
    note: str | None


@dataclass(frozen=True)
class OrderView:
    number: str
    customer_id: int
    status: OrderStatus
    fulfilment: str
    lines: tuple[LineView, ...]
    total_minor: int
    currency: str
    placed_at: datetime
    eta: datetime | None
    timeline: tuple[StatusChangeView, ...]

    @property
    def can_cancel(self) -> bool:
        return self.status in CANCELLABLE

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class LineFacts(Protocol):
    """What a cart line row and an order line both tell about one line."""

    @property
    def sku(self) -> str: ...
    @property
    def product_name(self) -> str: ...
    @property
    def variant_code(self) -> str: ...
    @property
    def variant_name(self) -> str: ...
    @property
    def quantity(self) -> int: ...
    @property
    def unit_price_minor(self) -> int: ...


def line_view(line: LineFacts) -> LineView:
    return LineView(
        line.sku,
        line.product_name,
        line.variant_code,
        line.variant_name,
        line.quantity,
        line.unit_price_minor,
    )


def order_view(order: Order) -> OrderView:
    assert order.number is not None
    return OrderView(
        number=order.number,
        customer_id=order.customer_id,
        status=order.status,
        fulfilment=order.fulfilment.value,
        lines=tuple(line_view(line) for line in order.lines),
        total_minor=order.total_minor,
        currency=order.currency,
        placed_at=order.placed_at,
        eta=promised_eta(order.status, order.fulfilment.value, order.eta),
        timeline=tuple(StatusChangeView(c.status, c.at, c.note) for c in order.timeline),
    )


def cart_payload(view: CartView) -> dict[str, object]:
    return {
        "version": view.version,
        "currency": view.currency,
        "total_minor": view.total_minor,
        "lines": [_line_payload(line) for line in view.lines],
    }


def order_payload(view: OrderView) -> dict[str, object]:
    return {
        "number": view.number,
        "status": view.status.value,
        "fulfilment": view.fulfilment,
        "currency": view.currency,
        "total_minor": view.total_minor,
        "placed_at": view.placed_at.isoformat(),
        "eta": view.eta.isoformat() if view.eta else None,
        "lines": [_line_payload(line) for line in view.lines],
        "timeline": [
            {"status": c.status.value, "at": c.at.isoformat(), "note": c.note}
            for c in view.timeline
        ],
    }


def _line_payload(line: LineView) -> dict[str, object]:
    return {
        "sku": line.sku,
        "name": line.product_name,
        "variant": line.variant_name,
        "variant_code": line.variant_code,
        "quantity": line.quantity,
        "unit_price_minor": line.unit_price_minor,
        "total_minor": line.total_minor,
    }
