"""Every question the skill can ask is answered by a short reply, and the answer does what it
says: judged on the cart and the orders the store holds afterwards, not on wording."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from backend.persistence.models import Order
from backend.runtime import Backend
from backend.services import carts, customers
from backend.services.customers import find_by_first_device
from skill.builder import build_skill
from skill.dialog.state import Awaiting
from tests.conftest import Shop
from voice_local.conversation import LocalConversation
from voice_local.nlu.interaction_model import load_interaction_model
from voice_local.nlu.matcher import IntentMatcher
from voice_local.simulator.devices import DEFAULT_PRESET, simulated_device
from voice_local.simulator.session import SimulatorSession
from voice_local.simulator.turns import SimulatedTurn

REPO = Path(__file__).resolve().parents[2]
MODEL = load_interaction_model(REPO / "interaction_models" / "en-US.json")
MATCHER = IntentMatcher(MODEL)


@dataclass
class Shopper:
    session: SimulatorSession
    backend: Backend
    customer_id: int

    def say(self, text: str) -> SimulatedTurn:
        return self.session.say(text)

    def cart(self) -> dict[str, int]:
        view = carts.get_cart(self.backend.reader(), self.customer_id)
        return {
            f"{line.variant_name} {line.product_name}".removeprefix("each "): line.quantity
            for line in view.lines
        }

    def orders(self) -> int:
        with self.backend.reader() as uow:
            return int(uow.connection.execute(select(func.count(Order.id))).scalar_one())

    def awaiting(self) -> str | None:
        question = self.session_attributes().get("question")
        return question.get("awaiting") if isinstance(question, dict) else None

    def session_attributes(self) -> dict[str, Any]:
        return self.session._conversation.session.attributes


@pytest.fixture
def shopper(sqlite_shop: Shop) -> Iterator[Callable[[], Shopper]]:
    backend = Backend(sqlite_shop.store, sqlite_shop.hub)
    skill = build_skill(backend)
    device = simulated_device(DEFAULT_PRESET, "en-US")

    def start() -> Shopper:
        conversation = LocalConversation(skill, MODEL, device)
        session = SimulatorSession(conversation, MATCHER)
        session.say("open corner shop")
        customer = find_by_first_device(backend.reader(), (device.device_id, device.user_id))
        return Shopper(session, backend, customer.id)

    yield start


# Each question kind: what leads to it, the short reply, and the cart (and orders) it leaves.
QUESTIONS: dict[Awaiting, tuple[list[str], str, dict[str, int], int]] = {
    Awaiting.PRODUCT: (["large"], "latte", {"large latte": 1}, 0),
    Awaiting.PRODUCT_CHOICE: (["add oak milk"], "yes", {"oat milk": 1}, 0),
    Awaiting.SIZE: (["add a latte"], "medium", {"medium latte": 1}, 0),
    Awaiting.QUANTITY: (["add 500 croissants"], "two", {"croissant": 2}, 0),
    Awaiting.PURCHASE: (["add a croissant", "check out"], "yes", {}, 1),
    Awaiting.VOICE_CODE: (["add a croissant", "check out", "yes"], "4 7 1 9", {}, 1),
    Awaiting.CANCEL_ORDER: (
        ["add a croissant", "check out", "yes", "open corner shop", "cancel my order"],
        "yes", {}, 1,
    ),
    Awaiting.CLEAR_CART: (["add a croissant", "clear my cart"], "yes", {}, 0),
}


def test_every_kind_of_question_has_a_short_answer_here() -> None:
    assert set(QUESTIONS) == set(Awaiting), "a new question needs its short answer below"


@pytest.mark.parametrize("awaiting", list(QUESTIONS), ids=lambda a: a.value)
def test_each_question_is_answered_by_a_short_reply(
    shopper: Callable[[], Shopper], sqlite_shop: Shop, awaiting: Awaiting
) -> None:
    lead_in, reply, cart, orders = QUESTIONS[awaiting]
    person = shopper()
    if awaiting == Awaiting.VOICE_CODE:
        customers.set_voice_code(
            Backend(sqlite_shop.store, sqlite_shop.hub).uow(), person.customer_id, "4719"
        )
    for said in lead_in:
        person.say(said)
    assert person.awaiting() == awaiting.value
    person.say(reply)
    assert person.awaiting() is None
    assert person.cart() == cart
    assert person.orders() == orders


def test_a_new_request_drops_the_open_question(shopper: Callable[[], Shopper]) -> None:
    person = shopper()
    person.say("add a latte")
    assert person.awaiting() == "size"
    person.say("add a croissant instead")
    assert person.awaiting() is None
    assert person.cart() == {"croissant": 1}


def test_a_reply_that_is_not_understood_keeps_the_question_open(
    shopper: Callable[[], Shopper],
) -> None:
    person = shopper()
    person.say("add a latte")
    person.say("the weather is lovely today")
    assert person.awaiting() == "size"
    person.say("large")
    assert person.cart() == {"large latte": 1}


def test_no_to_a_reorder_leaves_the_cart_as_it_was(shopper: Callable[[], Shopper]) -> None:
    person = shopper()
    for said in ("add two oat milks", "check out", "yes", "open corner shop", "add a croissant"):
        person.say(said)
    person.say("order my usual")
    assert person.cart() == {"croissant": 1, "oat milk": 2}
    person.say("no")
    assert person.cart() == {"croissant": 1}
    assert person.orders() == 1


def test_yes_to_a_reorder_orders_it_once(shopper: Callable[[], Shopper]) -> None:
    person = shopper()
    for said in ("add two oat milks", "check out", "yes", "open corner shop", "order my usual",
                 "no", "order my usual", "yes"):
        person.say(said)
    assert person.orders() == 2
    assert person.cart() == {}


def test_yes_after_did_you_mean_for_a_removal_removes(shopper: Callable[[], Shopper]) -> None:
    person = shopper()
    person.say("add three oat milks")
    person.say("remove oak milk")
    assert person.awaiting() == "product_choice"
    person.say("yes")
    assert person.cart() == {}


@pytest.mark.parametrize(
    ("said", "cart"),
    [
        ("remove one oat milk", {"oat milk": 2}),
        ("remove an oat milk", {"oat milk": 2}),
        ("remove two oat milks", {"oat milk": 1}),
        ("remove the oat milk", {}),
        ("make it one oat milk", {"oat milk": 1}),
    ],
)
def test_removing_or_setting_a_quantity_changes_only_that_line(
    shopper: Callable[[], Shopper], said: str, cart: dict[str, int]
) -> None:
    person = shopper()
    person.say("add three oat milks")
    person.say(said)
    assert person.cart() == cart


def test_questions_about_the_shop_never_change_the_cart(shopper: Callable[[], Shopper]) -> None:
    person = shopper()
    person.say("add a croissant")
    for question in (
        "how much is a large latte", "is the london fog available", "what's the price of oat milk",
        "do you have almond milk", "what pastries do you have", "which teas",
        "what sizes does the mocha come in", "what do you recommend",
        "what goes well with a latte", "what did i order last time",
    ):
        person.say(question)
        assert person.cart() == {"croissant": 1}, question


def test_after_a_price_question_i_will_take_two_means_two_of_it(
    shopper: Callable[[], Shopper],
) -> None:
    person = shopper()
    person.say("how much is a large latte")
    person.say("i'll take two")
    assert person.cart() == {"large latte": 2}


def test_a_sold_out_product_says_why_and_offers_a_similar_one(
    shopper: Callable[[], Shopper],
) -> None:
    person = shopper()
    turn = person.say("add almond milk")
    assert "out of stock until Friday" in turn.reply.speech
    person.say("yes")
    assert len(person.cart()) == 1 and "almond milk" not in person.cart()


def test_several_items_in_one_sentence_are_all_added(shopper: Callable[[], Shopper]) -> None:
    person = shopper()
    person.say("add two oat milks and a large latte")
    assert person.cart() == {"oat milk": 2, "large latte": 1}


def test_an_item_that_needs_a_size_is_asked_after_the_others_are_added(
    shopper: Callable[[], Shopper],
) -> None:
    person = shopper()
    person.say("a latte and two croissants")
    assert person.cart() == {"croissant": 2}
    person.say("small")
    assert person.cart() == {"croissant": 2, "small latte": 1}


def test_one_more_repeats_the_last_item(shopper: Callable[[], Shopper]) -> None:
    person = shopper()
    person.say("add a large mocha")
    person.say("one more")
    assert person.cart() == {"large mocha": 2}


def test_that_is_all_reads_back_and_yes_orders(shopper: Callable[[], Shopper]) -> None:
    person = shopper()
    person.say("add a croissant")
    person.say("that's all")
    assert person.awaiting() == "purchase" and person.orders() == 0
    person.say("yes")
    assert person.orders() == 1


@pytest.mark.parametrize(
    ("first", "correction", "cart"),
    [
        ("add an oat milk", "no wait soy milk instead", {"soy milk": 1}),
        ("add two oat milks", "actually make that soy milk", {"soy milk": 2}),
        ("add a large latte", "sorry i meant a mocha", {"large mocha": 1}),
        ("add two croissants", "sorry i meant three", {"croissant": 3}),
    ],
)
def test_a_correction_right_after_an_item_replaces_that_item(
    shopper: Callable[[], Shopper], first: str, correction: str, cart: dict[str, int]
) -> None:
    person = shopper()
    person.say("add a brownie")
    person.say(first)
    person.say(correction)
    assert person.cart() == {"brownie": 1, **cart}
