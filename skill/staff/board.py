"""The staff board's rows: each open order with its customer, items, total, times in the shop's
time zone, and only the moves that fit its fulfilment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from backend.money import format_money
from backend.persistence.models import OrderStatus
from backend.runtime import Backend
from backend.services.customers import customer_names
from backend.services.orders import allowed_transitions, list_orders
from backend.services.views import OPEN_STATUSES, OrderView

ACTION_LABELS = {
    OrderStatus.ACCEPTED: "Accept",
    OrderStatus.PREPARING: "Start preparing",
    OrderStatus.READY: "Ready for pickup",
    OrderStatus.OUT_FOR_DELIVERY: "Out for delivery",
    OrderStatus.COMPLETED: "Complete",
    OrderStatus.CANCELLED: "Cancel",
}
STATUS_LABELS = {
    OrderStatus.PLACED: "Placed",
    OrderStatus.ACCEPTED: "Accepted",
    OrderStatus.PREPARING: "Preparing",
    OrderStatus.READY: "Ready for pickup",
    OrderStatus.OUT_FOR_DELIVERY: "Out for delivery",
    OrderStatus.COMPLETED: "Completed",
    OrderStatus.CANCELLED: "Cancelled",
}
PLAIN_VARIANTS = ("each", "single", "regular")


@dataclass(frozen=True)
class BoardLine:
    quantity: int
    name: str
    total: str


@dataclass(frozen=True)
class BoardOrder:
    number: str
    status: str  # the status value, for colours and tests
    status_label: str
    fulfilment: str
    customer: str
    lines: tuple[BoardLine, ...]
    total: str
    placed_at: str  # "14:05", shop time
    eta: str  # "14:20", shop time; "" when there is none to promise
    actions: tuple[tuple[str, str], ...]  # (status value, button label)


def board(backend: Backend, timezone: ZoneInfo, limit: int = 200) -> list[BoardOrder]:
    """Open orders, oldest first: the queue staff work through."""
    open_orders = list_orders(backend.reader(), statuses=OPEN_STATUSES, limit=limit)
    open_orders.reverse()
    names = customer_names(backend.reader(), [o.customer_id for o in open_orders])
    return [_row(order, names.get(order.customer_id, "?"), timezone) for order in open_orders]


def _row(order: OrderView, customer: str, timezone: ZoneInfo) -> BoardOrder:
    promised = order.eta is not None and order.status not in (
        OrderStatus.READY,
        OrderStatus.COMPLETED,
        OrderStatus.CANCELLED,
    )
    return BoardOrder(
        number=order.number,
        status=order.status.value,
        status_label=STATUS_LABELS[order.status],
        fulfilment=order.fulfilment,
        customer=customer,
        lines=_lines(order),
        total=format_money(order.total_minor, order.currency),
        placed_at=_clock(order.placed_at, timezone),
        eta=_clock(order.eta, timezone) if promised and order.eta else "",
        actions=tuple(
            (s.value, ACTION_LABELS[s]) for s in allowed_transitions(order.status, order.fulfilment)
        ),
    )


def _lines(order: OrderView) -> tuple[BoardLine, ...]:
    return tuple(
        BoardLine(
            line.quantity,
            line.product_name
            if line.variant_name in PLAIN_VARIANTS
            else f"{line.product_name} ({line.variant_name})",
            format_money(line.total_minor, order.currency),
        )
        for line in order.lines
    )


def _clock(at: datetime, timezone: ZoneInfo) -> str:
    return at.astimezone(timezone).strftime("%H:%M")

