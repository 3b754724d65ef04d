"""The numbers shops judge voice commerce by, computed from the turn log over a time window.

Definitions (every count is over turns whose `at` falls in the window):

- A *turn* is one request from a customer and the skill's answer. Alexa's SessionEndedRequest is
  logged but is not a turn: nobody said anything and nobody waits for its answer.
- A *session* is a session id with at least one turn. Alexa starts a new session each time the
  skill is opened; the kiosk starts one per conversation.
- *Conversion rate*: sessions in which an order was placed / sessions.
- *Cart abandonment*: sessions with a cart addition (a turn after which the household's cart held
  more items than before it) and no order placed / sessions with a cart addition.
- *Goal completion per intent*: for each intent (or request type, e.g. LaunchRequest), the share
  of its turns whose outcome was neither `fallback` (not understood) nor `error`.
- *Average turns to a completed order*: over sessions that placed an order, the mean number of
  turns from the session's first turn up to and including the turn that placed the first order.
- *Average response time*: the mean time the skill took to answer a turn, in milliseconds,
  measured inside the skill from the first request interceptor to the last response interceptor.
- *Fallback rate*: turns with outcome `fallback` / turns.
- *Funnel*: sessions → sessions whose cart held items after some turn → sessions in which the
  order was read back and confirmation asked → sessions that placed an order. Each stage also
  counts sessions that reached a later one, so the funnel never widens (an order from a cart
  filled in an earlier session still passed through a cart).
- *Daily series*: each session is counted on the UTC day of its first turn in the window.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, case, func, select

from backend.analytics.window import Window
from backend.persistence.models import ConversationTurn, TurnOutcome
from backend.unit_of_work import UnitOfWork

SESSION_ENDED = "SessionEndedRequest"
_T = ConversationTurn


@dataclass(frozen=True)
class Ratio:
    """A share with its counts, so a report can say "5 of 12" as well as 41.7 %."""

    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        """None when there is nothing to divide by: 0 of 0 is no information, not 0 %."""
        return self.numerator / self.denominator if self.denominator else None


@dataclass(frozen=True)
class Funnel:
    sessions: int
    cart: int
    confirmation: int
    order: int


@dataclass(frozen=True)
class IntentCompletion:
    intent: str
    completed: Ratio


@dataclass(frozen=True)
class DailyCounts:
    day: date
    sessions: int
    orders: int


@dataclass(frozen=True)
class ConversationReport:
    window: Window
    sessions: int
    turns: int
    conversion: Ratio
    cart_abandonment: Ratio
    goal_completion: tuple[IntentCompletion, ...]
    average_turns_to_order: float | None
    average_response_ms: float | None
    fallback: Ratio
    funnel: Funnel
    daily: tuple[DailyCounts, ...]


@dataclass(frozen=True)
class _Session:
    first_day: date
    had_cart: bool
    added: bool
    confirmed: bool
    ordered: bool


def _in(window: Window) -> ColumnElement[bool]:
    return and_(_T.at >= window.since, _T.at < window.until)


def _is_turn() -> ColumnElement[bool]:
    return _T.request_type != SESSION_ENDED


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    # MAX over 0/1: PostgreSQL has no MAX(boolean).
    return func.max(case((condition, 1), else_=0))


def _sessions(uow: UnitOfWork, window: Window) -> list[_Session]:
    rows = uow.session.execute(
        select(
            func.min(_T.at),
            _flag(_T.cart_items > 0),
            _flag(_T.cart_added),
            _flag(_T.confirmation_asked),
            _flag(_T.order_placed),
        )
        .where(_in(window))
        .group_by(_T.session_id)
        .having(func.sum(case((_is_turn(), 1), else_=0)) > 0)
    ).all()
    return [
        _Session(first.date(), bool(cart), bool(added), bool(confirmed), bool(ordered))
        for first, cart, added, confirmed, ordered in rows
    ]


def _turns_to_first_order(uow: UnitOfWork, window: Window) -> list[int]:
    first_order = (
        select(_T.session_id, func.min(_T.id).label("first_id"))
        .where(_in(window), _T.order_placed)
        .group_by(_T.session_id)
        .subquery()
    )
    counts = uow.session.scalars(
        select(func.count(_T.id))
        .join(first_order, first_order.c.session_id == _T.session_id)
        .where(_in(window), _is_turn(), _T.id <= first_order.c.first_id)
        .group_by(_T.session_id)
    ).all()
    return [int(n) for n in counts]


@dataclass(frozen=True)
class _IntentRow:
    intent: str
    turns: int
    completed: int
    fallbacks: int
    duration_ms: int


def _by_intent(uow: UnitOfWork, window: Window) -> list[_IntentRow]:
    goal = func.coalesce(_T.intent, _T.request_type)
    failed = _T.outcome.in_([TurnOutcome.FALLBACK, TurnOutcome.ERROR])
    rows = uow.session.execute(
        select(
            goal,
            func.count(_T.id),
            func.sum(case((failed, 0), else_=1)),
            func.sum(case((_T.outcome == TurnOutcome.FALLBACK, 1), else_=0)),
            func.sum(_T.duration_ms),
        )
        .where(_in(window), _is_turn())
        .group_by(goal)
    ).all()
    return [_IntentRow(str(g), int(n), int(ok), int(fb), int(ms)) for g, n, ok, fb, ms in rows]


def conversation_report(uow: UnitOfWork, window: Window) -> ConversationReport:
    """Every metric of the module docstring for one window, read in one transaction."""
    with uow:
        sessions = _sessions(uow, window)
        to_order = _turns_to_first_order(uow, window)
        intents = _by_intent(uow, window)

    ordered = sum(s.ordered for s in sessions)
    added = [s for s in sessions if s.added]
    turns = sum(row.turns for row in intents)
    per_day_sessions = Counter(s.first_day for s in sessions)
    per_day_orders = Counter(s.first_day for s in sessions if s.ordered)
    return ConversationReport(
        window=window,
        sessions=len(sessions),
        turns=turns,
        conversion=Ratio(ordered, len(sessions)),
        cart_abandonment=Ratio(sum(not s.ordered for s in added), len(added)),
        goal_completion=tuple(
            IntentCompletion(row.intent, Ratio(row.completed, row.turns))
            for row in sorted(intents, key=lambda r: (-r.turns, r.intent))
        ),
        average_turns_to_order=sum(to_order) / len(to_order) if to_order else None,
        average_response_ms=sum(r.duration_ms for r in intents) / turns if turns else None,
        fallback=Ratio(sum(row.fallbacks for row in intents), turns),
        funnel=Funnel(
            sessions=len(sessions),
            cart=sum(s.had_cart or s.confirmed or s.ordered for s in sessions),
            confirmation=sum(s.confirmed or s.ordered for s in sessions),
            order=ordered,
        ),
        daily=tuple(
            DailyCounts(day, per_day_sessions[day], per_day_orders[day]) for day in window.days
        ),
    )
