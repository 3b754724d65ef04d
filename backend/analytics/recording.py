"""Writing one conversation turn to the log, in one statement of its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Insert, Integer, ScalarSelect, bindparam, func, insert, select

from backend.persistence.models import ConversationTurn, TurnOutcome
from backend.unit_of_work import UnitOfWork

# Outcomes an order placed during the turn overrides: a refusal or a failure stays what it was.
_SUCCESSFUL = frozenset({TurnOutcome.ANSWERED, TurnOutcome.ENDED})


@dataclass(frozen=True)
class TurnFacts:
    """What the front door knows about a turn. Nothing here may be audio, a slot value or a token.

    `cart_items`: the items in the cart after the turn changed it, None when it did not (the
    log then carries the household's previous count). `order_placed`: the turn placed a new
    order (a retry that found its order placed none).
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
    cart_items: int | None = None
    order_placed: bool = False


@dataclass(frozen=True)
class RecordedTurn:
    id: int
    outcome: TurnOutcome
    order_placed: bool
    cart_items: int
    cart_added: bool


def _cart_items_before() -> ScalarSelect[int]:
    """The count the household's previous logged turn left, 0 for its first.

    Every cart change comes through a turn, so this is the cart as the turn found it. (Two
    devices of one household talking in the same instant on PostgreSQL can blur which of them
    added; the counts stay right.)
    """
    return func.coalesce(
        select(ConversationTurn.cart_items)
        .where(ConversationTurn.customer_id == bindparam("customer_id"))
        .order_by(ConversationTurn.id.desc())
        .limit(1)
        .scalar_subquery(),
        0,
    )


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


def _insert_turn() -> Insert:
    """INSERT … SELECT of one turn; the cart count it does not know comes from the last turn."""
    t = ConversationTurn.__table__.c
    given = [bindparam(name, type_=t[name].type) for name in _COLUMNS[:10]]
    before = select(_cart_items_before().label("items")).subquery("before")
    after = func.coalesce(bindparam("cart_items", type_=Integer), before.c["items"])
    facts = select(*given, after, after > before.c["items"]).select_from(before)
    # The table, not the entity: the ORM would read the parameters as rows for a bulk insert.
    return insert(ConversationTurn.__table__).from_select(list(_COLUMNS), facts)


_INSERT_TURN = _insert_turn()
_t = ConversationTurn.__table__.c
_INSERT_TURN_RETURNING = _INSERT_TURN.returning(
    _t.id, _t.outcome, _t.order_placed, _t.cart_items, _t.cart_added
)


def _parameters(facts: TurnFacts) -> dict[str, object]:
    placed = facts.order_placed and facts.outcome in _SUCCESSFUL
    return {
        "at": facts.at,
        "session_id": facts.session_id[:300],
        "customer_id": facts.customer_id,
        "device_id": facts.device_id[:300] if facts.device_id else None,
        "request_type": facts.request_type[:60],
        "intent": facts.intent[:100] if facts.intent else None,
        "duration_ms": max(0, facts.duration_ms),
        "confirmation_asked": facts.confirmation_asked,
        "outcome": TurnOutcome.ORDER_PLACED if placed else facts.outcome,
        "order_placed": facts.order_placed,
        "cart_items": facts.cart_items,
    }


def record_turn(uow: UnitOfWork, facts: TurnFacts) -> RecordedTurn:
    """Adds the turn (give it `Backend.single_statement()`: it is one statement)."""
    with uow:
        row = uow.connection.execute(_INSERT_TURN_RETURNING, _parameters(facts)).one()
        uow.commit()
        return RecordedTurn(row[0], row[1], bool(row[2]), int(row[3]), bool(row[4]))
