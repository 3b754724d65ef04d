"""Text through the intent matcher into the same skill handlers, as the kiosk does it."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from backend.persistence.models import Order
from backend.runtime import Backend
from skill.builder import build_skill
from skill.envelopes import Device
from voice_local.conversation import LocalConversation
from voice_local.nlu.interaction_model import load_interaction_model
from voice_local.nlu.matcher import IntentMatcher

MODEL = Path(__file__).resolve().parents[2] / "interaction_models" / "en-US.json"


@pytest.fixture(scope="module")
def matcher():
    return IntentMatcher(load_interaction_model(MODEL))


@pytest.fixture
def kiosk(sqlite_shop, matcher):
    skill = build_skill(Backend(sqlite_shop.store, sqlite_shop.hub))
    conversation = LocalConversation(
        skill, matcher.model, Device(device_id="kiosk-1", user_id="local:kiosk-1")
    )

    def say(text: str):
        return conversation.hear(matcher.match(text))

    say.conversation = conversation  # type: ignore[attr-defined]
    return say


def orders_in(shop):
    with shop.uow() as uow:
        return uow.session.scalar(select(func.count(Order.id)))


def test_a_spoken_purchase_is_confirmed_by_voice_and_placed(kiosk, sqlite_shop):
    assert kiosk("put two oat milks in my basket").speech.startswith("Added 2 oat milks.")
    assert kiosk("add a large latte").speech.startswith("Added a large latte.")
    confirm = kiosk("check out")
    assert confirm.speech.endswith("Shall I place the order?")
    done = kiosk("yes")
    assert done.speech.startswith("Done! Your order number is A 1 0 0: 2 oat milks and a large")
    assert orders_in(sqlite_shop) == 1


def test_no_to_the_purchase_question_places_nothing(kiosk, sqlite_shop):
    kiosk("add two oat milks")
    kiosk("check out")
    assert kiosk("no").speech.startswith("OK, I won't place the order.")
    assert orders_in(sqlite_shop) == 0


def test_the_kiosk_uses_its_households_cart_and_a_screen(kiosk):
    reply = kiosk("add two oat milks")
    assert "Alexa.Presentation.APL.RenderDocument" in reply.directives
    assert reply.request["context"]["System"]["device"]["deviceId"] == "kiosk-1"


def test_the_session_carries_across_turns_and_restarts_after_an_order(kiosk):
    first = kiosk("add two oat milks").request["session"]
    second = kiosk("check out").request["session"]
    assert (first["new"], second["new"]) == (True, False)
    assert first["sessionId"] == second["sessionId"]
    kiosk("yes")
    after = kiosk("what's in my cart").request["session"]
    assert after["new"] is True and after["sessionId"] != first["sessionId"]


def test_gibberish_reaches_the_fallback_handler(kiosk):
    assert kiosk("purple elephants dance quietly").speech.startswith("Sorry, I didn't get that.")


def test_order_status_by_voice(kiosk):
    kiosk("add two oat milks")
    kiosk("check out")
    kiosk("yes")
    assert kiosk("where is my order").speech.startswith("Order A 1 0 0 has been placed")
