"""Writing one conversation turn to the log, in its own short transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from backend.persistence.models import Cart, CartLine, ConversationTurn, Order, TurnOutcome
from backend.unit_of_work import UnitOfWork

# Room after a turn's measured end for the order it placed (rounding, clock steps).
_CLOCK_SLACK = timedelta(seconds=1)
# Outcomes an order placed during the turn overrides: a refusal or a failure stays what it was.
_SUCCESSFUL = frozenset({TurnOutcome.ANSWERED, TurnOutcome.ENDED})


@dataclass(frozen=True)
class TurnFacts:
    """What the front door knows about a turn. Nothing here may be audio, a slot value or a token.

    `may_place_order`: the turn answered a pending purchase question, so the log looks for an
    order placed by this device during the turn.
    """

    at: datetime
    session_id: str
    customer_id: int | None
    device_id: str | None
    request_type: str
    intent: str | None
    outcome: TurnOutcome
    duration_ms: int
    confirmation_asked: bool = False
    may_place_order: bool = False


@dataclass(frozen=True)
class RecordedTurn:
    id: int
    outcome: TurnOutcome
    order_placed: bool
    cart_items: int
    cart_added: bool


def _cart_items(uow: UnitOfWork, customer_id: int) -> int:
    """Items (quantities summed) in the household's cart; 0 when it has none."""
    total = uow.session.scalar(
        select(func.coalesce(func.sum(CartLine.quantity), 0))
        .join(Cart, Cart.id == CartLine.cart_id)
        .where(Cart.customer_id == customer_id)
    )
    return int(total or 0)


def _order_placed_since(uow: UnitOfWork, facts: TurnFacts) -> bool:
    if facts.customer_id is None:
        return False
    ended = facts.at + timedelta(milliseconds=facts.duration_ms) + _CLOCK_SLACK
    query = select(Order.id).where(
        Order.customer_id == facts.customer_id,
        Order.placed_at >= facts.at,  # a retry that finds an earlier order placed nothing
        Order.placed_at <= ended,
    )
    if facts.device_id is not None:
        # Another device of the household ordering at the same moment is not this turn's order.
        query = query.where(Order.device_external_id == facts.device_id)
    return uow.session.scalar(query.limit(1)) is not None


def _cart_items_before(uow: UnitOfWork, customer_id: int) -> int:
    """The count the household's previous logged turn left, 0 for its first.

    Every cart change comes through a turn, so this is the cart as the turn found it, without
    an extra read on the answer's path. (Two devices of one household talking in the same
    instant on PostgreSQL can blur which of them added; the counts stay right.)
    """
    previous = uow.session.scalar(
        select(ConversationTurn.cart_items)
        .where(ConversationTurn.customer_id == customer_id)
        .order_by(ConversationTurn.id.desc())
        .limit(1)
    )
    return previous or 0


def record_turn(uow: UnitOfWork, facts: TurnFacts) -> RecordedTurn:
    """Adds the turn with the cart's state after it and whether it placed an order."""
    with uow:
        cart_items = cart_before = 0
        if facts.customer_id is not None:
            cart_items = _cart_items(uow, facts.customer_id)
            cart_before = _cart_items_before(uow, facts.customer_id)
        order_placed = facts.may_place_order and _order_placed_since(uow, facts)
        outcome = facts.outcome
        if order_placed and outcome in _SUCCESSFUL:
            outcome = TurnOutcome.ORDER_PLACED
        cart_added = cart_items > cart_before
        row = ConversationTurn(
            at=facts.at,
            session_id=facts.session_id[:300],
            customer_id=facts.customer_id,
            device_id=facts.device_id[:300] if facts.device_id else None,
            request_type=facts.request_type[:60],
            intent=facts.intent[:100] if facts.intent else None,
            outcome=outcome,
            duration_ms=max(0, facts.duration_ms),
            order_placed=order_placed,
            cart_items=cart_items,
            cart_added=cart_added,
            confirmation_asked=facts.confirmation_asked,
        )
        uow.session.add(row)
        uow.session.flush()
        recorded = RecordedTurn(row.id, outcome, order_placed, cart_items, cart_added)
        uow.commit()
        return recorded
