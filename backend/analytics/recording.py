"""Writing one conversation turn to the log, in one statement of its own."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    Boolean,
    Exists,
    ScalarSelect,
    and_,
    bindparam,
    case,
    func,
    insert,
    literal,
    select,
)
from sqlalchemy.sql.dml import ReturningInsert

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


def _cart_items() -> ScalarSelect[int]:
    """Items (quantities summed) in the household's cart; 0 when it has none."""
    return (
        select(func.coalesce(func.sum(CartLine.quantity), 0))
        .join(Cart, Cart.id == CartLine.cart_id)
        .where(Cart.customer_id == bindparam("customer_id"))
        .scalar_subquery()
    )


def _cart_items_before() -> ScalarSelect[int]:
    """The count the household's previous logged turn left, 0 for its first.

    Every cart change comes through a turn, so this is the cart as the turn found it, without
    an extra read on the answer's path. (Two devices of one household talking in the same
    instant on PostgreSQL can blur which of them added; the counts stay right.)
    """
    return func.coalesce(
        select(ConversationTurn.cart_items)
        .where(ConversationTurn.customer_id == bindparam("customer_id"))
        .order_by(ConversationTurn.id.desc())
        .limit(1)
        .scalar_subquery(),
        0,
    )


def _order_placed_during_turn(by_device: bool) -> Exists:
    query = select(Order.id).where(
        Order.customer_id == bindparam("customer_id"),
        Order.placed_at >= bindparam("at"),  # a retry that finds an earlier order placed nothing
        Order.placed_at <= bindparam("ended"),
    )
    if by_device:
        # Another device of the household ordering at the same moment is not this turn's order.
        query = query.where(Order.device_external_id == bindparam("device_id"))
    return query.exists()


_COLUMNS = (
    "at",
    "session_id",
    "customer_id",
    "device_id",
    "request_type",
    "intent",
    "duration_ms",
    "confirmation_asked",
    "outcome",
    "order_placed",
    "cart_items",
    "cart_added",
)


@functools.cache
def _insert_turn(known_customer: bool, may_place_order: bool, by_device: bool) -> ReturningInsert:
    """INSERT … SELECT of one turn: the household's facts are read by the statement itself.

    Built once per shape; the statement is the whole transaction, so on PostgreSQL it costs one
    round trip.
    """
    t = ConversationTurn.__table__.c
    given = [bindparam(name, type_=t[name].type) for name in _COLUMNS[:8]]
    outcome = bindparam("outcome", type_=t.outcome.type)
    if not known_customer:
        facts = select(
            *given,
            outcome,
            literal(False),
            literal(0),
            literal(False),
        )
    else:
        placed = (
            _order_placed_during_turn(by_device) if may_place_order else literal(False)
        ).label("placed")
        measured = select(
            placed, _cart_items().label("item_count"), _cart_items_before().label("before")
        ).subquery("measured")
        successful = bindparam("successful", type_=Boolean)
        order_outcome = literal(TurnOutcome.ORDER_PLACED, type_=t.outcome.type)
        facts = select(
            *given,
            case((and_(measured.c.placed, successful), order_outcome), else_=outcome),
            measured.c.placed,
            measured.c.item_count,
            measured.c.item_count > measured.c.before,
        ).select_from(measured)
    # The table, not the entity: the ORM would read the parameters as rows for a bulk insert.
    return (
        insert(ConversationTurn.__table__)
        .from_select(list(_COLUMNS), facts)
        .returning(t.id, t.outcome, t.order_placed, t.cart_items, t.cart_added)
    )


def record_turn(uow: UnitOfWork, facts: TurnFacts) -> RecordedTurn:
    """Adds the turn with the cart's state after it and whether it placed an order.

    One statement on every request (give it `Backend.single_statement()`).
    """
    statement = _insert_turn(
        facts.customer_id is not None, facts.may_place_order, facts.device_id is not None
    )
    ended = facts.at + timedelta(milliseconds=facts.duration_ms) + _CLOCK_SLACK
    with uow:
        row = uow.connection.execute(
            statement,
            {
                "at": facts.at,
                "session_id": facts.session_id[:300],
                "customer_id": facts.customer_id,
                "device_id": facts.device_id[:300] if facts.device_id else None,
                "request_type": facts.request_type[:60],
                "intent": facts.intent[:100] if facts.intent else None,
                "duration_ms": max(0, facts.duration_ms),
                "confirmation_asked": facts.confirmation_asked,
                "outcome": facts.outcome,
                "successful": facts.outcome in _SUCCESSFUL,
                "ended": ended,
            },
        ).one()
        uow.commit()
        return RecordedTurn(row[0], row[1], bool(row[2]), int(row[3]), bool(row[4]))
