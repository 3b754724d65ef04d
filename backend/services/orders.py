"""Checkout and what happens to an order after it is placed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from datetime import timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from backend.clock import utcnow
from backend.errors import (
    CartChanged,
    CustomerNotFound,
    EmptyCart,
    InvalidTransition,
    OrderNotFound,
    ProductUnavailable,
)
from backend.order_numbers import order_number, parse_order_number
from backend.persistence import cart_rows, order_rows
from backend.persistence.models import (
    Fulfilment,
    Order,
    OrderLine,
    OrderStatus,
    OrderStatusChange,
)
from backend.persistence.order_rows import NewOrder, NewOrderLine
from backend.services.carts import cart_currency, changed, lock_cart
from backend.services.views import (
    OPEN_STATUSES,
    LineView,
    OrderView,
    StatusChangeView,
    line_view,
    order_payload,
    order_view,
    promised_eta,
)
from backend.unit_of_work import UnitOfWork

S = OrderStatus
# Every move any order can make. A busy barista may start preparing a placed order without
# accepting it first; cancelling is possible only before preparation starts.
TRANSITIONS: dict[OrderStatus, tuple[OrderStatus, ...]] = {
    S.PLACED: (S.ACCEPTED, S.PREPARING, S.CANCELLED),
    S.ACCEPTED: (S.PREPARING, S.CANCELLED),
    S.PREPARING: (S.READY, S.OUT_FOR_DELIVERY),
    S.READY: (S.COMPLETED,),
    S.OUT_FOR_DELIVERY: (S.COMPLETED,),
    S.COMPLETED: (),
    S.CANCELLED: (),
}
# Statuses that belong to one kind of fulfilment only: a pickup order is never on its way.
ONLY_FOR: dict[OrderStatus, Fulfilment] = {
    S.READY: Fulfilment.PICKUP,
    S.OUT_FOR_DELIVERY: Fulfilment.DELIVERY,
}
DELIVERY_TIME = timedelta(minutes=45)


def allowed_transitions(
    status: OrderStatus, fulfilment: Fulfilment | str
) -> tuple[OrderStatus, ...]:
    """The statuses an order in `status` may move to, given how it reaches the customer."""
    kind = Fulfilment(fulfilment)
    return tuple(s for s in TRANSITIONS[status] if ONLY_FOR.get(s, kind) == kind)


def pickup_time(item_count: int) -> timedelta:
    return timedelta(minutes=max(5, 2 * item_count))


def place_order(
    uow: UnitOfWork,
    customer_id: int,
    idempotency_key: str | None = None,
    device_external_id: str | None = None,
    *,
    cart_version: int | None = None,
) -> OrderView:
    """The cart becomes an order in one transaction; the same key always yields the same order.

    `cart_version`: the version of the cart the customer confirmed. If the cart changed since,
    CartChanged is raised (checked under the cart's lock), unless the order was already placed
    under this key.
    """
    try:
        with uow:
            cart = lock_cart(uow, customer_id)
            moved_on = cart_version is not None and cart.version != cart_version
            if idempotency_key is not None and (moved_on or not cart.lines):
                # A retry after the order went through finds the cart emptied or changed. Any
                # other reuse of a key is caught by its unique constraint (below).
                existing = _by_key(uow, customer_id, idempotency_key)
                if existing is not None:
                    return order_view(existing)
            if moved_on:
                raise CartChanged()
            if not cart.lines:
                raise EmptyCart()
            for line in cart.lines:
                if not line.product_available:
                    raise ProductUnavailable(
                        line.product_name, line.unavailable_reason, sku=line.sku
                    )
                if not line.variant_available:
                    raise ProductUnavailable(
                        f"{line.variant_name} {line.product_name}",
                        None,
                        sku=line.sku,
                        variant=(line.variant_code, line.variant_name),
                    )
            fulfilment = order_rows.fulfilment_of(uow.connection, customer_id)
            if fulfilment is None:
                raise CustomerNotFound(str(customer_id))
            now = utcnow()
            items = sum(line.quantity for line in cart.lines)
            bought = tuple(line_view(line) for line in cart.lines)
            new = NewOrder(
                customer_id=customer_id,
                fulfilment=fulfilment,
                currency=cart_currency(cart.lines),
                total_minor=sum(line.total_minor for line in bought),
                idempotency_key=idempotency_key,
                device_external_id=device_external_id,
                placed_at=now,
                eta=now
                + (DELIVERY_TIME if fulfilment == Fulfilment.DELIVERY else pickup_time(items)),
            )
            number = order_rows.insert_order(
                uow.connection,
                new,
                [
                    NewOrderLine(line.variant_id, **asdict(view))
                    for line, view in zip(cart.lines, bought, strict=True)
                ],
                order_number,
            )
            cart_rows.clear(uow.connection, cart.id)
            cart.lines = []
            changed(uow, cart, "checked_out")
            view = OrderView(
                number=number,
                customer_id=customer_id,
                status=OrderStatus.PLACED,
                fulfilment=fulfilment.value,
                lines=bought,
                total_minor=new.total_minor,
                currency=new.currency,
                placed_at=now,
                eta=new.eta,
                timeline=(StatusChangeView(OrderStatus.PLACED, now, None),),
            )
            uow.emit(customer_id, "order_placed", {"order": order_payload(view)})
            uow.commit()
            return view
    except IntegrityError:
        # A concurrent retry with the same key won the race: its order is the answer.
        if idempotency_key is None:
            raise
        with uow:
            existing = _by_key(uow, customer_id, idempotency_key)
            if existing is None:
                raise
            return order_view(existing)


def _by_key(uow: UnitOfWork, customer_id: int, key: str) -> Order | None:
    """The household's order placed under `key`: keys are unique per customer, so another
    household's key (replayed, or guessed) never reads back someone else's order."""
    return uow.session.scalar(
        select(Order)
        .where(Order.customer_id == customer_id, Order.idempotency_key == key)
        .options(*_order_loads())
    )


def _order_loads() -> list:  # type: ignore[type-arg]
    return [selectinload(Order.lines), selectinload(Order.timeline)]


def _load(uow: UnitOfWork, number: str, *, lock: bool = False) -> Order:
    normalized = parse_order_number(number) or number.strip().upper()
    query = select(Order).where(Order.number == normalized).options(*_order_loads())
    if lock:
        query = query.with_for_update()
    order = uow.session.scalar(query)
    if order is None:
        raise OrderNotFound(normalized)
    return order


def get_order(uow: UnitOfWork, number: str, customer_id: int | None = None) -> OrderView:
    with uow:
        order = _load(uow, number)
        if customer_id is not None and order.customer_id != customer_id:
            raise OrderNotFound(order.number)  # someone else's order is as good as missing
        return order_view(order)


def latest_order(uow: UnitOfWork, customer_id: int, *, open_only: bool = True) -> OrderView:
    """The household's newest order (open ones only unless told): "where is my order?".

    Core statements built once: this answers a question asked on every order-status turn.
    """
    with uow:
        statement = _LATEST_OPEN if open_only else _LATEST
        row = uow.connection.execute(statement, {"customer_id": customer_id}).one_or_none()
        if row is None:
            raise OrderNotFound(None)
        order_id, number, status, fulfilment, total_minor, currency, placed_at, eta = row
        lines = uow.connection.execute(_LINES_OF_ORDER, {"order_id": order_id})
        changes = uow.connection.execute(_TIMELINE_OF_ORDER, {"order_id": order_id})
        return OrderView(
            number=number,
            customer_id=customer_id,
            status=status,
            fulfilment=fulfilment.value,
            lines=tuple(LineView(*line) for line in lines),
            total_minor=total_minor,
            currency=currency,
            placed_at=placed_at,
            eta=promised_eta(status, fulfilment.value, eta),
            timeline=tuple(StatusChangeView(*change) for change in changes),
        )


_o = Order.__table__.c
_LATEST = (
    select(
        _o.id,
        _o.number,
        _o.status,
        _o.fulfilment,
        _o.total_minor,
        _o.currency,
        _o.placed_at,
        _o.eta,
    )
    .where(_o.customer_id == bindparam("customer_id"))
    .order_by(_o.placed_at.desc(), _o.id.desc())
    .limit(1)
)
_LATEST_OPEN = _LATEST.where(_o.status.in_(sorted(OPEN_STATUSES)))
_l = OrderLine.__table__.c
_LINES_OF_ORDER = (
    select(
        _l.sku,
        _l.product_name,
        _l.variant_code,
        _l.variant_name,
        _l.quantity,
        _l.unit_price_minor,
    )
    .where(_l.order_id == bindparam("order_id"))
    .order_by(_l.id)
)
_c = OrderStatusChange.__table__.c
_TIMELINE_OF_ORDER = (
    select(_c.status, _c.at, _c.note).where(_c.order_id == bindparam("order_id")).order_by(_c.id)
)


def placed_at_device(uow: UnitOfWork, number: str) -> str | None:
    """The device the order was placed from (a kiosk's id, an Echo's), if known."""
    normalized = parse_order_number(number) or number.strip().upper()
    with uow:
        return uow.connection.execute(
            select(_o.device_external_id).where(_o.number == normalized)
        ).scalar_one_or_none()


def list_orders(
    uow: UnitOfWork,
    statuses: Iterable[OrderStatus] | None = None,
    customer_id: int | None = None,
    limit: int = 50,
) -> list[OrderView]:
    with uow:
        query = select(Order).options(*_order_loads())
        if statuses is not None:
            query = query.where(Order.status.in_(list(statuses)))
        if customer_id is not None:
            query = query.where(Order.customer_id == customer_id)
        query = query.order_by(Order.placed_at.desc(), Order.id.desc()).limit(limit)
        return [order_view(order) for order in uow.session.scalars(query)]


def next_status(order: Order) -> OrderStatus | None:
    """The usual next step: delivery orders go out, pickup orders become ready."""
    if order.status == OrderStatus.PREPARING:
        return (
            OrderStatus.OUT_FOR_DELIVERY
            if order.fulfilment == Fulfilment.DELIVERY
            else OrderStatus.READY
        )
    forward = [
        s
        for s in allowed_transitions(order.status, order.fulfilment)
        if s != OrderStatus.CANCELLED
    ]
    return forward[0] if forward else None


def advance_order(
    uow: UnitOfWork, number: str, to: OrderStatus | None = None, note: str | None = None
) -> OrderView:
    with uow:
        order = _load(uow, number, lock=True)
        target = to or next_status(order)
        allowed = allowed_transitions(order.status, order.fulfilment)
        if target is None or target not in allowed:
            raise InvalidTransition(
                order.number or number,
                order.status.value,
                (target or OrderStatus.COMPLETED).value,
                [s.value for s in allowed],
            )
        now = utcnow()
        order.status = target
        order.timeline.append(OrderStatusChange(status=target, at=now, note=note))
        if target == OrderStatus.READY:
            order.eta = now
        uow.session.flush()
        view = order_view(order)
        uow.emit(order.customer_id, "order_status", {"order": order_payload(view)})
        uow.commit()
        return view


def cancel_order(
    uow: UnitOfWork, number: str, customer_id: int | None = None, note: str | None = None
) -> OrderView:
    """Cancels before preparation starts; later, the kitchen has already begun."""
    if customer_id is not None:
        get_order(uow, number, customer_id)  # ownership check, raises OrderNotFound
    return advance_order(uow, number, OrderStatus.CANCELLED, note)
