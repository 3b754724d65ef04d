"""Writing a new order in Core SQL, built once: the checkout's hot path skips the ORM's flush."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, insert, select, update

from backend.persistence.models import (
    Customer,
    Fulfilment,
    Order,
    OrderLine,
    OrderStatus,
    OrderStatusChange,
)

_orders = Order.__table__
_FULFILMENT = select(Customer.__table__.c.fulfilment).where(
    Customer.__table__.c.id == bindparam("customer_id")
)
_INSERT_ORDER = insert(_orders).returning(_orders.c.id)
_SET_NUMBER = (
    update(_orders)
    .where(_orders.c.id == bindparam("order_id"))
    .values(number=bindparam("new_number"))
)
_INSERT_LINES = insert(OrderLine.__table__)
_INSERT_CHANGE = insert(OrderStatusChange.__table__)


@dataclass(frozen=True)
class NewOrder:
    customer_id: int
    fulfilment: Fulfilment
    currency: str
    total_minor: int
    idempotency_key: str | None
    device_external_id: str | None
    placed_at: datetime
    eta: datetime | None


@dataclass(frozen=True)
class NewOrderLine:
    """What was bought, copied at the price paid."""

    variant_id: int
    sku: str
    product_name: str
    variant_code: str
    variant_name: str
    quantity: int
    unit_price_minor: int


def fulfilment_of(connection: Connection, customer_id: int) -> Fulfilment | None:
    value: Fulfilment | None = connection.execute(
        _FULFILMENT, {"customer_id": customer_id}
    ).scalar_one_or_none()
    return value


def insert_order(
    connection: Connection,
    order: NewOrder,
    lines: Sequence[NewOrderLine],
    number_for: Callable[[int], str],
) -> str:
    """Inserts the order as placed, with its lines and first status; returns its number.

    The number derives from the id, so it is set once the insert has given one. A second order
    with the same idempotency key raises IntegrityError here.
    """
    order_id = connection.execute(
        _INSERT_ORDER, {**asdict(order), "status": OrderStatus.PLACED}
    ).scalar_one()
    number = number_for(order_id)
    connection.execute(_SET_NUMBER, {"order_id": order_id, "new_number": number})
    connection.execute(_INSERT_LINES, [{"order_id": order_id, **asdict(line)} for line in lines])
    connection.execute(
        _INSERT_CHANGE, {"order_id": order_id, "status": OrderStatus.PLACED, "at": order.placed_at}
    )
    return number
