"""The metrics, from scripted conversations, equal the values worked out by hand (both stores)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from backend.analytics.metrics import (
    ConversationReport,
    DailyCounts,
    Funnel,
    IntentCompletion,
    Ratio,
    conversation_report,
)
from backend.analytics.recording import TurnFacts, record_turn
from backend.analytics.window import Window
from backend.clock import utcnow
from backend.persistence.models import TurnOutcome
from backend.runtime import Backend
from tests.analytics.conftest import Talk, logged_turns


def script(talk: Talk) -> None:
    """Four sessions of four households; the hand-computed results are in the tests below."""
    # 1: fills the cart, is not understood once, orders on the 6th turn.
    one = talk(user_id="amzn1.ask.account.ONE")
    for step in ("launch", "add_oat_milk_resolved", "fallback", "add_large_latte", "checkout"):
        one.say(step)
    one.say("checkout_confirmed")
    one.say("session_ended")  # not a turn
    # 2: adds, reads the cart, leaves: an abandoned cart.
    two = talk(user_id="amzn1.ask.account.TWO")
    for step in ("add_oat_milk_resolved", "read_cart", "stop"):
        two.say(step)
    # 3: never gets anywhere; one absurd quantity is "not understood" too.
    three = talk(user_id="amzn1.ask.account.THREE")
    three.say("launch")
    three.say("fallback")
    three.say("add_oat_milk_resolved", slot_values={"quantity": "123456789"})
    three.say("help")
    three.say("stop")
    # 4: adds, checks out, says yes: an order on the 3rd turn.
    four = talk(user_id="amzn1.ask.account.FOUR")
    for step in ("add_oat_milk_resolved", "checkout", "yes"):
        four.say(step)


@pytest.fixture
def report(talk_anywhere: Talk, any_backend: Backend) -> ConversationReport:
    script(talk_anywhere)
    now = utcnow()
    return conversation_report(any_backend.reader(), Window(now - timedelta(hours=1), now))


def test_sessions_and_turns_are_counted_without_session_end_requests(report):
    assert (report.sessions, report.turns) == (4, 17)


def test_conversion_rate_is_sessions_with_an_order_over_sessions(report):
    assert report.conversion == Ratio(2, 4)
    assert report.conversion.value == 0.5


def test_cart_abandonment_is_carts_filled_but_not_ordered(report):
    assert report.cart_abandonment == Ratio(1, 3)


def test_average_turns_to_an_order_counts_up_to_the_ordering_turn(report):
    assert report.average_turns_to_order == (6 + 3) / 2


def test_fallback_rate_counts_unknown_requests_and_unusable_slots(report):
    assert report.fallback == Ratio(3, 17)


def test_goal_completion_per_intent_leaves_out_fallbacks_and_errors(report):
    assert set(report.goal_completion) == {
        IntentCompletion("AddToCartIntent", Ratio(4, 5)),
        IntentCompletion("AMAZON.FallbackIntent", Ratio(0, 2)),
        IntentCompletion("CheckoutIntent", Ratio(3, 3)),
        IntentCompletion("LaunchRequest", Ratio(2, 2)),
        IntentCompletion("AMAZON.StopIntent", Ratio(2, 2)),
        IntentCompletion("ReadCartIntent", Ratio(1, 1)),
        IntentCompletion("AMAZON.HelpIntent", Ratio(1, 1)),
        IntentCompletion("AMAZON.YesIntent", Ratio(1, 1)),
    }
    assert report.goal_completion[0].intent == "AddToCartIntent"  # the busiest first


def test_average_response_time_is_the_mean_over_turns(report, any_backend):
    durations = [
        t.duration_ms for t in logged_turns(any_backend) if t.request_type != "SessionEndedRequest"
    ]
    assert report.average_response_ms == pytest.approx(sum(durations) / len(durations))


def test_the_funnel_narrows_from_sessions_to_orders(report):
    assert report.funnel == Funnel(sessions=4, cart=3, confirmation=2, order=2)


def test_the_daily_series_puts_todays_sessions_on_today(report):
    today = utcnow().date()
    assert DailyCounts(today, 4, 2) in report.daily


def test_an_empty_window_has_no_rates_rather_than_zero_rates(any_backend):
    now = utcnow()
    empty = conversation_report(any_backend.reader(), Window(now - timedelta(days=1), now))
    assert (empty.sessions, empty.conversion.value, empty.average_response_ms) == (0, None, None)


def turn_at(backend: Backend, at: datetime, session: str) -> None:
    record_turn(
        backend.uow(),
        TurnFacts(
            at=at,
            session_id=session,
            customer_id=None,
            device_id=None,
            request_type="LaunchRequest",
            intent=None,
            outcome=TurnOutcome.ANSWERED,
            duration_ms=10,
        ),
    )


def test_only_turns_inside_the_window_count_and_days_are_utc(any_backend):
    since = datetime(2026, 11, 1, tzinfo=UTC)
    turn_at(any_backend, since - timedelta(seconds=1), "before")
    turn_at(any_backend, since, "first-day")
    turn_at(any_backend, since + timedelta(hours=23, minutes=59), "first-day-late")
    turn_at(any_backend, since + timedelta(days=2, hours=12), "third-day")
    turn_at(any_backend, since + timedelta(days=3), "at-the-end")
    report = conversation_report(any_backend.reader(), Window(since, since + timedelta(days=3)))
    assert report.daily == (
        DailyCounts(date(2026, 11, 1), 2, 0),
        DailyCounts(date(2026, 11, 2), 0, 0),
        DailyCounts(date(2026, 11, 3), 1, 0),
    )
