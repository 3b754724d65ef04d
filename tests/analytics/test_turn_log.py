"""The turn log: one row per request, with how it ended, and nothing secret."""

from __future__ import annotations

import logging

from sqlalchemy import text

from backend.persistence.models import DeviceKind, TurnOutcome
from backend.runtime import Backend
from backend.services import customers
from tests.analytics.conftest import Talk, logged_turns
from tests.skill.conftest import speech

HOUSEHOLD_USER = "amzn1.ask.account.AGF7EXAMPLEHOUSEHOLD"  # the fixtures' Alexa account
VOICE_CODE = "4719"  # what tests/skill/fixtures/voice_code.json says


def household_id(backend: Backend) -> int:
    return customers.customer_for_device(backend.uow(), HOUSEHOLD_USER, DeviceKind.ALEXA_USER).id


def test_every_request_is_one_turn_with_its_kind_and_intent(talk: Talk, sqlite_backend):
    chat = talk()
    chat.say("launch")
    chat.say("read_cart")
    chat.say("session_ended")
    turns = logged_turns(sqlite_backend)
    assert [(t.request_type, t.intent) for t in turns] == [
        ("LaunchRequest", None),
        ("IntentRequest", "ReadCartIntent"),
        ("SessionEndedRequest", None),
    ]
    assert {t.session_id for t in turns} == {chat.session_id}


def test_a_turn_records_the_household_and_the_device(talk: Talk, sqlite_backend):
    talk().say("launch")
    (turn,) = logged_turns(sqlite_backend)
    assert turn.customer_id == household_id(sqlite_backend)
    assert turn.device_id == "amzn1.ask.device.AEXAMPLEECHODOT"


def test_turn_times_are_utc_and_durations_are_measured(talk: Talk, sqlite_backend):
    talk().say("add_oat_milk_resolved")
    (turn,) = logged_turns(sqlite_backend)
    assert turn.at.utcoffset() is not None and turn.at.utcoffset().total_seconds() == 0
    assert turn.duration_ms >= 1  # adding to the cart takes a database write


def test_an_addition_records_the_new_cart_item_count(talk: Talk, sqlite_backend):
    chat = talk()
    chat.say("add_oat_milk_resolved")  # two oat milks
    chat.say("read_cart")
    added, read = logged_turns(sqlite_backend)
    assert (added.cart_items, added.cart_added) == (2, True)
    assert (read.cart_items, read.cart_added) == (2, False)


def test_the_read_back_before_an_order_is_recorded_as_a_confirmation(talk: Talk, sqlite_backend):
    chat = talk()
    chat.say("add_oat_milk_resolved")
    chat.say("checkout")
    assert [t.confirmation_asked for t in logged_turns(sqlite_backend)] == [False, True]


def test_the_turn_that_places_an_order_says_so(talk: Talk, sqlite_backend):
    chat = talk()
    chat.say("add_oat_milk_resolved")
    chat.say("checkout")
    chat.say("checkout_confirmed")
    placing = logged_turns(sqlite_backend)[-1]
    assert (placing.outcome, placing.order_placed, placing.cart_items) == (
        TurnOutcome.ORDER_PLACED,
        True,
        0,
    )


def test_a_retried_confirmation_does_not_count_a_second_order(talk: Talk, sqlite_backend):
    chat = talk()
    chat.say("add_oat_milk_resolved")
    chat.say("checkout")
    attributes = chat.attributes
    chat.say("checkout_confirmed", request_id="amzn1.echo-api.request.retry-me")
    chat.attributes = attributes  # Alexa resends the identical request
    chat.say("checkout_confirmed", request_id="amzn1.echo-api.request.retry-me")
    assert [t.order_placed for t in logged_turns(sqlite_backend)[-2:]] == [True, False]


def test_not_understood_turns_are_fallbacks(talk: Talk, sqlite_backend):
    chat = talk()
    chat.say("fallback")
    chat.say("add_oat_milk_resolved", slot_values={"quantity": "123456789"})
    assert [t.outcome for t in logged_turns(sqlite_backend)] == [
        TurnOutcome.FALLBACK,
        TurnOutcome.FALLBACK,
    ]


def test_a_refusal_from_the_shop_is_recorded_as_refused(talk: Talk, sqlite_backend):
    customers.set_voice_code(sqlite_backend.uow(), household_id(sqlite_backend), VOICE_CODE)
    chat = talk()
    chat.say("add_oat_milk_resolved")
    chat.say("checkout")
    chat.say("checkout_confirmed")
    assert "tries" in speech(chat.say("voice_code", slot_values={"code": "1111"}))
    assert logged_turns(sqlite_backend)[-1].outcome == TurnOutcome.REFUSED


def test_a_store_failure_is_recorded_as_an_error(talk: Talk, sqlite_backend):
    chat = talk()
    chat.say("add_oat_milk_resolved")
    chat.say("checkout")
    with sqlite_backend.store.engine.begin() as connection:
        connection.execute(text("DROP TABLE order_lines"))  # placing the order now fails
    chat.say("checkout_confirmed")
    last = logged_turns(sqlite_backend)[-1]
    assert (last.intent, last.outcome, last.order_placed) == (
        "CheckoutIntent",
        TurnOutcome.ERROR,
        False,
    )


def test_leaving_ends_the_turn(talk: Talk, sqlite_backend):
    talk().say("stop")
    assert logged_turns(sqlite_backend)[0].outcome == TurnOutcome.ENDED


def test_the_voice_code_never_reaches_the_turn_log(talk: Talk, sqlite_backend):
    customers.set_voice_code(sqlite_backend.uow(), household_id(sqlite_backend), VOICE_CODE)
    chat = talk()
    chat.say("add_oat_milk_resolved")
    chat.say("checkout")
    chat.say("checkout_confirmed")
    assert speech(chat.say("voice_code")).startswith("Done!")
    with sqlite_backend.store.engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM conversation_turns")).all()
    assert any("VoiceCodeIntent" in map(str, row) for row in rows)
    assert not any(VOICE_CODE in str(value) for row in rows for value in row)


def test_a_failing_turn_log_leaves_the_answers_unchanged(talk: Talk, sqlite_backend, caplog):
    with sqlite_backend.store.engine.begin() as connection:
        connection.execute(text("DROP TABLE conversation_turns"))
    chat = talk()
    with caplog.at_level(logging.WARNING, logger="skill.turn_log"):
        assert speech(chat.say("add_oat_milk_resolved")).startswith("Added 2 oat milks.")
        chat.say("checkout")
        assert speech(chat.say("checkout_confirmed")).startswith("Done! Your order number is")
    assert "could not record the turn" in caplog.text
