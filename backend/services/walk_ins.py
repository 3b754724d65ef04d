"""Walk-in customers at a kiosk that serves one customer after another.

A kiosk that staff have not linked to a household serves walk-ins: each customer session is a
customer of its own, with an empty cart, so nobody orders what the previous person left behind.
A session ends when its customer orders, says they are done, or walks away. What happens to an
abandoned cart: it is emptied when its session ends, and the number of items left is kept on the
session row (the shop can count abandoned carts). The walk-in's customer row stays, with its
orders. The kiosk's screens follow the kiosk from one walk-in to the next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from backend.clock import utcnow
from backend.errors import CustomerNotFound, DomainError
from backend.persistence import cart_rows
from backend.persistence.models import (
    Device,
    DeviceKind,
    Fulfilment,
    Order,
    WalkInSession,
)
from backend.services.carts import changed, lock_cart
from backend.services.customers import CustomerView, _add_customer, _view, find_by_device
from backend.unit_of_work import UnitOfWork

WALK_IN_NAME = "Walk-in {number} at {kiosk}"
# Why a session ended.
ORDERED, CANCELLED, TIMEOUT, REPLACED = "ordered", "cancelled", "timeout", "replaced"
END_REASONS = frozenset({ORDERED, CANCELLED, TIMEOUT, REPLACED})
# Sent to a screen when it now belongs to the kiosk's next customer: it reloads.
SCREEN_MOVED = "screen_moved"
# A line for a kiosk's screen (e.g. an order that became ready), from the kiosk.
NOTICE = "notice"


class UnknownEndReason(DomainError):
    def __init__(self, reason: str) -> None:
        super().__init__(f"A walk-in session ends {', '.join(sorted(END_REASONS))}, not {reason}.")


@dataclass(frozen=True)
class WalkIn:
    session_id: int
    kiosk_id: str
    customer: CustomerView
    identity: str  # the device id the kiosk speaks as for this customer
    started_at: datetime


@dataclass(frozen=True)
class WalkInEnded:
    session_id: int
    reason: str
    abandoned_items: int  # items emptied from the cart (0 when the customer ordered)


def identity_of(kiosk_id: str, session_id: int) -> str:
    return f"walk-in:{kiosk_id}:{session_id}"


def linked_household(uow: UnitOfWork, kiosk_id: str) -> CustomerView | None:
    """The household staff linked this kiosk to, or None: the kiosk then serves walk-ins."""
    try:
        return find_by_device(uow, kiosk_id)
    except CustomerNotFound:
        return None


def start_walk_in(uow: UnitOfWork, kiosk_id: str, *, pickup_store: str | None = None) -> WalkIn:
    """A new customer at the kiosk, with an empty cart; an unfinished session there ends first.

    The kiosk's screens move to the new customer, and the old customer's screen is told so.
    """
    with uow:
        previous = uow.session.scalar(
            select(WalkInSession)
            .where(WalkInSession.kiosk_id == kiosk_id)
            .order_by(WalkInSession.id.desc())
            .limit(1)
            .with_for_update()
        )
        if previous is not None and previous.ended_at is None:
            _end(uow, previous, REPLACED)
        customer = _add_customer(uow, "Walk-in", Fulfilment.PICKUP, pickup_store, None)
        session = WalkInSession(kiosk_id=kiosk_id, customer_id=customer.id, started_at=utcnow())
        uow.session.add(session)
        uow.session.flush()
        customer.name = WALK_IN_NAME.format(number=session.id, kiosk=kiosk_id)
        identity = identity_of(kiosk_id, session.id)
        uow.session.add(
            Device(customer_id=customer.id, kind=DeviceKind.WALK_IN, external_id=identity)
        )
        if previous is not None:
            _move_screens(uow, previous.customer_id, customer.id)
        uow.session.flush()
        uow.commit()
        return WalkIn(session.id, kiosk_id, _view(customer), identity, session.started_at)


def _move_screens(uow: UnitOfWork, from_customer: int, to_customer: int) -> None:
    screens = uow.session.scalars(
        select(Device).where(
            Device.customer_id == from_customer, Device.kind == DeviceKind.SCREEN
        )
    ).all()
    for screen in screens:
        screen.customer_id = to_customer
    if screens:
        uow.emit(from_customer, SCREEN_MOVED, {"screens": [s.external_id for s in screens]})


def end_walk_in(uow: UnitOfWork, session_id: int, reason: str) -> WalkInEnded:
    """Ends the session (once: a second end reports the first); an abandoned cart is emptied."""
    if reason not in END_REASONS:
        raise UnknownEndReason(reason)
    with uow:
        session = uow.session.scalar(
            select(WalkInSession).where(WalkInSession.id == session_id).with_for_update()
        )
        if session is None:
            raise CustomerNotFound(f"walk-in session {session_id}")
        if session.ended_at is None:
            _end(uow, session, reason)
        uow.commit()
        return WalkInEnded(session.id, session.end_reason or reason, session.abandoned_items)


def _end(uow: UnitOfWork, session: WalkInSession, reason: str) -> None:
    cart = lock_cart(uow, session.customer_id)
    items = sum(line.quantity for line in cart.lines)
    if cart.lines:
        cart_rows.clear(uow.connection, cart.id)
        cart.lines = []
        changed(uow, cart, "abandoned")
    session.ended_at = utcnow()
    session.end_reason = reason
    session.abandoned_items = items


def has_ordered(uow: UnitOfWork, walk_in: WalkIn) -> bool:
    """Whether the walk-in has placed an order since their session started."""
    with uow:
        query = select(Order.id).where(
            Order.customer_id == walk_in.customer.id, Order.placed_at >= walk_in.started_at
        )
        return uow.connection.execute(query.limit(1)).first() is not None


def kiosk_of(uow: UnitOfWork, customer_id: int) -> str | None:
    """The kiosk a walk-in customer was served at; None for a household."""
    with uow:
        return uow.connection.execute(
            select(WalkInSession.kiosk_id).where(WalkInSession.customer_id == customer_id)
        ).scalar_one_or_none()


def current_customer(uow: UnitOfWork, kiosk_id: str) -> int | None:
    """Whose cart the kiosk's screen shows now: its household, or its latest walk-in."""
    household = linked_household(uow, kiosk_id)
    if household is not None:
        return household.id
    with uow:
        return uow.connection.execute(
            select(WalkInSession.customer_id)
            .where(WalkInSession.kiosk_id == kiosk_id)
            .order_by(WalkInSession.id.desc())
            .limit(1)
        ).scalar_one_or_none()


def screen_customer(uow: UnitOfWork, customer_id: int) -> int:
    """The customer a screen linked to `customer_id` should follow: for a walk-in, whoever is at
    that kiosk now (a kiosk display's start page may carry an old walk-in's link)."""
    kiosk = kiosk_of(uow, customer_id)
    if kiosk is None:
        return customer_id
    return current_customer(uow, kiosk) or customer_id


def post_notice(uow: UnitOfWork, kiosk_id: str, payload: dict[str, Any]) -> bool:
    """Shows a notice on the kiosk's screens (whoever they follow now); False if nobody's."""
    customer_id = current_customer(uow, kiosk_id)
    if customer_id is None:
        return False
    with uow:
        uow.emit(customer_id, NOTICE, payload)
        uow.commit()
    return True


def close_stale(uow: UnitOfWork, kiosk_id: str) -> int:
    """Ends every open session at the kiosk as timed out (a kiosk restarting); returns how many."""
    with uow:
        stale = uow.session.scalars(
            select(WalkInSession).where(
                WalkInSession.kiosk_id == kiosk_id, WalkInSession.ended_at.is_(None)
            )
        ).all()
        for session in stale:
            _end(uow, session, TIMEOUT)
        uow.commit()
        return len(stale)
