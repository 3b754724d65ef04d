"""The kiosk's customer sessions and its confirmation of uncertain cart changes, in-process.

The clock is a plain number the test moves on, so "the customer walked away" takes no waiting.
"""

from pathlib import Path

import pytest

from backend.runtime import Backend
from backend.services import carts
from skill.builder import build_skill
from voice_local.change_confirmation import ChangeConfirmation, default_threshold
from voice_local.conversation import LocalConversation
from voice_local.customer_sessions import CustomerSessions, SessionChange
from voice_local.envelopes_device import kiosk_device
from voice_local.nlu.interaction_model import load_interaction_model
from voice_local.nlu.matcher import IntentMatcher
from voice_local.stt import Transcript, Word

MODEL = Path(__file__).resolve().parents[2] / "interaction_models" / "en-US.json"
IDLE = 60.0


@pytest.fixture(scope="module")
def matcher():
    return IntentMatcher(load_interaction_model(MODEL))


class Counter:
    def __init__(self) -> None:
        self.now = 1000.0
        self.changes: list[SessionChange] = []

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def counter(sqlite_shop, matcher):
    clock = Counter()
    backend = Backend(sqlite_shop.store, sqlite_shop.hub)
    conversation = LocalConversation(
        build_skill(backend), matcher.model, kiosk_device("counter-1", "en-US")
    )
    sessions = CustomerSessions(
        backend, conversation, kiosk_id="counter-1", idle_seconds=IDLE, clock=clock,
        on_change=clock.changes.append,
    )

    def say(text: str):
        customer = sessions.begin_turn()
        match = matcher.match(text)
        reply = conversation.hear(match)
        sessions.end_turn(match.intent)
        return customer, reply

    return clock, sessions, say


def test_a_customer_silent_for_the_idle_period_is_gone_and_their_cart_emptied(
    counter, sqlite_shop
):
    clock, sessions, say = counter
    first, _ = say("add two bananas")
    clock.now += IDLE + 1
    assert sessions.expire_idle()
    assert clock.changes[-1] == SessionChange("ended", first.id, True, "timeout", 2)
    assert carts.get_cart(sqlite_shop.uow(), first.id).is_empty
    second, reply = say("what is in my cart")
    assert second.id != first.id and reply.speech.startswith("Your cart is empty")


def test_a_customer_who_keeps_talking_stays_the_same_customer(counter):
    clock, sessions, say = counter
    first, _ = say("add two bananas")
    clock.now += IDLE - 5
    assert not sessions.expire_idle()
    again, reply = say("what is in my cart")
    clock.now += IDLE - 5
    later, _ = say("what is in my cart")
    assert first.id == again.id == later.id and "2 bananas" in reply.speech


def test_an_utterance_after_the_idle_period_starts_a_new_customer_even_unexpired(counter):
    clock, _sessions, say = counter
    first, _ = say("add two bananas")
    clock.now += IDLE + 1  # the follower thread has not run: the next words still start afresh
    second, reply = say("what is in my cart")
    assert second.id != first.id and reply.speech.startswith("Your cart is empty")
    assert [c.reason for c in clock.changes if c.event == "ended"] == ["timeout"]


def test_after_an_order_the_next_words_are_a_new_customers(counter):
    clock, _sessions, say = counter
    first, _ = say("add two bananas")
    say("check out")
    say("yes")
    assert clock.changes[-1] == SessionChange("ended", first.id, True, "ordered", 0)
    second, reply = say("yes")  # a stray "yes" confirms nothing for the next customer
    assert second.id != first.id and "nothing waiting" in reply.speech


def test_stop_ends_the_session(counter):
    clock, _sessions, say = counter
    first, _ = say("add a banana")
    say("stop")
    assert clock.changes[-1] == SessionChange("ended", first.id, True, "cancelled", 1)


def heard(text: str, confidence: float) -> Transcript:
    words = tuple(Word(w, confidence, 0.0, 0.1) for w in text.split())
    return Transcript(text=text, words=words, engine="test", elapsed_s=0.0)


@pytest.fixture
def confirmation():
    return ChangeConfirmation("en-US", threshold=0.9)


def test_a_confident_cart_change_goes_straight_through(confirmation, matcher):
    match = matcher.match("add two bananas")
    assert confirmation.decide(heard("add two bananas", 0.95), match).match == match


def test_an_uncertain_cart_change_is_asked_back_in_the_words_heard(confirmation, matcher):
    text = "add two oat milks"
    decision = confirmation.decide(heard(text, 0.8), matcher.match(text))
    assert decision.match is None and decision.asked
    assert decision.speech == "Did you say add two oat milks?"


def test_yes_sends_the_held_change_and_no_drops_it(confirmation, matcher):
    change = matcher.match("remove the bananas")
    confirmation.decide(heard("remove the bananas", 0.5), change)
    assert confirmation.decide(heard("yes", 1.0), matcher.match("yes")).match == change
    confirmation.decide(heard("remove the bananas", 0.5), change)
    dropped = confirmation.decide(heard("no", 1.0), matcher.match("no"))
    assert dropped.match is None and dropped.speech.startswith("OK, I left your cart")


def test_anything_else_drops_the_held_change_and_is_answered_as_itself(confirmation, matcher):
    confirmation.decide(heard("add two bananas", 0.5), matcher.match("add two bananas"))
    cart = matcher.match("what is in my cart")
    assert confirmation.decide(heard("what is in my cart", 1.0), cart).match == cart
    assert confirmation.held is None


def test_questions_are_never_asked_back_however_uncertain(confirmation, matcher):
    cart = matcher.match("what is in my cart")
    assert confirmation.decide(heard("what is in my cart", 0.1), cart).match == cart


def test_whisper_changes_are_asked_back_below_its_own_measured_threshold(matcher):
    # Whisper's confidences run lower than pocketsphinx's: at 0.9 nearly every add was asked.
    whisper = ChangeConfirmation("en-US", threshold=default_threshold("whisper"))
    sure = matcher.match("add two bananas")
    assert whisper.decide(heard("add two bananas", 0.6), sure).match == sure
    assert whisper.decide(heard("add two bananas", 0.4), sure).asked
    assert default_threshold("pocketsphinx") == 0.9
