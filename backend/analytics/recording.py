"""Writing one conversation turn to the log, in its own short transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Exists, ScalarSelect, func, insert, select

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


def _cart_items(customer_id: int) -> ScalarSelect[int]:
    """Items (quantities summed) in the household's cart; 0 when it has none."""
    return (
        select(func.coalesce(func.sum(CartLine.quantity), 0))
        .join(Cart, Cart.id == CartLine.cart_id)
        .where(Cart.customer_id == customer_id)
        .scalar_subquery()
    )


def _order_placed_since(facts: TurnFacts) -> Exists:
    ended = facts.at + timedelta(milliseconds=facts.duration_ms) + _CLOCK_SLACK
    query = select(Order.id).where(
        Order.customer_id == facts.customer_id,
        Order.placed_at >= facts.at,  # a retry that finds an earlier order placed nothing
        Order.placed_at <= ended,
    )
    if facts.device_id is not None:
        # Another device of the household ordering at the same moment is not this turn's order.
        query = query.where(Order.device_external_id == facts.device_id)
    return query.exists()


def _cart_items_before(customer_id: int) -> ScalarSelect[int | None]:
    """The count the household's previous logged turn left, 0 for its first.

    Every cart change comes through a turn, so this is the cart as the turn found it, without
    an extra read on the answer's path. (Two devices of one household talking in the same
    instant on PostgreSQL can blur which of them added; the counts stay right.)
    """
    return (
        select(ConversationTurn.cart_items)
        .where(ConversationTurn.customer_id == customer_id)
        .order_by(ConversationTurn.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def record_turn(uow: UnitOfWork, facts: TurnFacts) -> RecordedTurn:
    """Adds the turn with the cart's state after it and whether it placed an order.

    Two statements, one read and one insert, on every request: the facts about the household
    are read together, and the row is written without the ORM's unit of work.
    """
    with uow:
        cart_items = cart_before = 0
        order_placed = False
        if facts.customer_id is not None:
            columns: list[Any] = [
                _cart_items(facts.customer_id),
                _cart_items_before(facts.customer_id),
            ]
            if facts.may_place_order:
                columns.append(_order_placed_since(facts))
            row = uow.session.execute(select(*columns)).one()
            cart_items, cart_before = int(row[0] or 0), int(row[1] or 0)
            order_placed = bool(row[2]) if facts.may_place_order else False
        outcome = facts.outcome
        if order_placed and outcome in _SUCCESSFUL:
            outcome = TurnOutcome.ORDER_PLACED
        cart_added = cart_items > cart_before
        turn_id = uow.session.execute(
            insert(ConversationTurn)
            .values(
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
            .returning(ConversationTurn.id)
        ).scalar_one()
        recorded = RecordedTurn(turn_id, outcome, order_placed, cart_items, cart_added)
        uow.commit()
        return recorded
