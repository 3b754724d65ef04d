"""A walk through every answer the skill can give, for tests/skill/test_locales.py.

One scripted set of turns, the same in every locale, drives the real handlers in-process with
Alexa envelopes on a seeded store; between turns the store is changed the way staff and other
devices would (orders moved on, a voice code set, a product sold out).
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text

from backend.persistence.models import DeviceKind, OrderStatus
from backend.runtime import Backend
from backend.services import customers, orders, pairing
from skill.local import invoke
from tests.conftest import Shop
from tests.skill.conftest import APL_INTERFACE, FIXTURES

# Product and size words a customer of each locale says, with the ids Alexa resolves them to.
SPOKEN = {
    "en-US": {
        "GRO-OATMILK": "oat milk", "COF-LATTE": "latte", "GRO-BANANAS": "bananas",
        "COF-LONDONFOG": "london fog", "COF-CORTADO": "cortado", "GRO-EGGS": "eggs",
        "BAK-ALMONDCROISSANT": "almond croissant", "GRO-HONEY": "honey",
        "large": "large", "small": "small", "dozen": "dozen",
        "coffee": "coffee", "household": "household",
        "LAST": "last", "USUAL": "usual", "A": "A",
    },
    "ko-KR": {
        "GRO-OATMILK": "귀리 우유", "COF-LATTE": "라떼", "GRO-BANANAS": "바나나",
        "COF-LONDONFOG": "런던 포그", "COF-CORTADO": "코르타도", "GRO-EGGS": "계란",
        "BAK-ALMONDCROISSANT": "아몬드 크루아상", "GRO-HONEY": "꿀",
        "large": "라지", "small": "스몰", "dozen": "다스",
        "coffee": "커피", "household": "생활용품",
        "LAST": "지난번", "USUAL": "늘", "A": "에이",
    },
}


@dataclass(frozen=True)
class Answer:
    """What one turn gave the customer: speech, reprompt and everything shown."""

    speech: str
    reprompt: str
    shown: tuple[str, ...]
    heard: tuple[str, ...]  # the customer's own words in this turn (they may be echoed)


@dataclass
class Walk:
    send: Callable[[dict[str, Any]], dict[str, Any]]
    locale: str
    user_id: str = field(default_factory=lambda: f"amzn1.ask.account.{uuid.uuid4().hex}")
    answers: list[Answer] = field(default_factory=list)
    session_id: str = field(default_factory=lambda: f"amzn1.echo-api.session.{uuid.uuid4()}")
    attributes: dict[str, Any] = field(default_factory=dict)

    def new_session(self) -> None:
        self.session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
        self.attributes = {}

    def launch(self) -> Answer:
        return self._send({"type": "LaunchRequest"}, ())

    def say(self, intent: str, confirmation: str = "NONE", **slots: str | int) -> Answer:
        """An intent with slots: an id the locale knows is sent with its spoken word and the
        resolution Alexa would give; anything else as a value Alexa could not resolve."""
        words = SPOKEN[self.locale]
        built: dict[str, Any] = {}
        for name, given in slots.items():
            value = str(given)
            slot: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
            if value in words:
                slot["value"] = words[value]
                slot["resolutions"] = {"resolutionsPerAuthority": [{
                    "authority": f"amzn1.er-authority.echo-sdk.test.{name}",
                    "status": {"code": "ER_SUCCESS_MATCH"},
                    "values": [{"value": {"name": words[value], "id": value}}],
                }]}
            else:
                slot["value"] = value
            built[name] = slot
        heard = tuple(str(s["value"]) for s in built.values())
        request = {
            "type": "IntentRequest",
            "intent": {"name": intent, "confirmationStatus": confirmation, "slots": built},
        }
        return self._send(request, heard)

    def _send(self, request: dict[str, Any], heard: tuple[str, ...]) -> Answer:
        envelope = copy.deepcopy(json.loads((FIXTURES / "help.json").read_text()))
        envelope["request"] = {
            **request,
            "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
            "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "locale": self.locale,
        }
        envelope["session"]["sessionId"] = self.session_id
        envelope["session"]["attributes"] = self.attributes
        envelope["session"]["user"]["userId"] = self.user_id
        system = envelope["context"]["System"]
        system["user"]["userId"] = self.user_id
        system["device"]["supportedInterfaces"].update(APL_INTERFACE)
        reply = self.send(envelope)
        self.attributes = reply.get("sessionAttributes") or {}
        response = reply["response"]
        answer = Answer(
            speech=_ssml(response.get("outputSpeech")),
            reprompt=_ssml((response.get("reprompt") or {}).get("outputSpeech")),
            shown=tuple(_shown(response)),
            heard=heard,
        )
        if response.get("shouldEndSession"):
            self.new_session()
        self.answers.append(answer)
        return answer


def _ssml(speech: dict[str, Any] | None) -> str:
    if not speech:
        return ""
    return str(speech.get("ssml", "")).removeprefix("<speak>").removesuffix("</speak>")


def _shown(response: dict[str, Any]) -> list[str]:
    """Every text a screen or the Alexa app shows: the card and the APL datasource's strings."""
    texts: list[str] = []
    card = response.get("card") or {}
    texts += [str(card.get("title", "")), str(card.get("content", ""))]
    for directive in response.get("directives") or []:
        texts += _strings(directive.get("datasources") or {})
    return [t for t in texts if t]


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _sql(shop: Shop, statement: str, **values: object) -> None:
    with shop.store.engine.begin() as connection:
        connection.execute(text(statement), values)


def _customer_id(shop: Shop, walk: Walk) -> int:
    return customers.customer_for_device(shop.uow(), walk.user_id, DeviceKind.ALEXA_USER).id


def _latest_number(shop: Shop, customer_id: int) -> str:
    return orders.latest_order(shop.uow(), customer_id, open_only=False).number


def walk_every_answer(
    shop: Shop, backend: Backend, send: Callable[[dict[str, Any]], dict[str, Any]], locale: str
) -> list[Answer]:
    """Every handler and every branch that says something, in one locale."""
    w = Walk(send, locale)
    # Opening, help, not understood; an empty cart.
    w.launch()
    w.say("AMAZON.HelpIntent")
    w.say("AMAZON.FallbackIntent")
    w.say("AMAZON.NavigateHomeIntent")
    w.say("ReadCartIntent")
    w.say("CheckoutIntent")
    w.say("ClearCartIntent")
    w.say("VoiceCodeIntent", code="1234")
    w.say("AMAZON.YesIntent")
    w.say("OneMoreIntent")
    w.say("SetQuantityIntent", quantity=2)
    w.say("OrderStatusIntent")
    w.say("ReorderIntent", which="LAST")
    w.say("RecommendIntent")
    # Adding: a size asked, a size not understood, a question abandoned.
    w.say("AddToCartIntent", product="GRO-OATMILK", quantity=2)
    w.say("AddToCartIntent", product="COF-LATTE")
    w.say("AMAZON.FallbackIntent")
    w.say("AMAZON.NoIntent")
    w.say("AddToCartIntent", product="COF-LATTE")
    w.say("AnswerIntent", unit="large")
    w.say("OneMoreIntent")
    w.say("AddToCartIntent", product="GRO-BANANAS", quantity=3)
    w.launch()  # welcome back, with a cart
    w.say("ReadCartIntent")
    # Names not clear, not sold, not given; sold out; too many.
    w.say("AddToCartIntent", product="oak milk")
    w.say("AMAZON.NoIntent")
    w.say("AddToCartIntent", product="zzzqx")
    w.say("AddToCartIntent", product="banan split")
    w.say("AMAZON.NoIntent")
    w.say("AddToCartIntent", product="COF-LONDONFOG", unit="small")
    w.say("AMAZON.NoIntent")
    w.say("AddToCartIntent", product="GRO-OATMILK", quantity=150)
    w.say("AMAZON.NoIntent")
    w.say("AddToCartIntent", product="GRO-OATMILK", quantity=60)
    w.say("AddToCartIntent", product="GRO-OATMILK", quantity=60)
    w.say("AddToCartIntent", product="GRO-OATMILK", quantity=99_999_999_999)
    w.say("AnswerIntent", product="GRO-HONEY")
    w.say("AMAZON.NoIntent")
    # Taking out and changing.
    w.say("RemoveFromCartIntent")
    w.say("AMAZON.NoIntent")
    w.say("RemoveFromCartIntent", product="GRO-EGGS")
    w.say("RemoveFromCartIntent", product="GRO-OATMILK", quantity=1)
    w.say("SetQuantityIntent", product="COF-LATTE", quantity=3)
    w.say("SetQuantityIntent", product="COF-LATTE", unit="gigantic")
    w.say("SetQuantityIntent", product="COF-LATTE", quantity=500)
    w.say("AMAZON.NoIntent")
    # Questions about the shop.
    w.say("PriceIntent")
    w.say("PriceIntent", product="COF-LATTE")
    w.say("PriceIntent", product="COF-LATTE", unit="large")
    w.say("PriceIntent", product="COF-LONDONFOG")
    w.say("AvailabilityIntent", product="GRO-BANANAS")
    w.say("AvailabilityIntent", product="BAK-ALMONDCROISSANT")
    w.say("ProductOptionsIntent", product="COF-CORTADO")
    w.say("ProductOptionsIntent", product="COF-LATTE")
    w.say("ProductOptionsIntent", product="COF-LONDONFOG")
    w.say("CategoryIntent")
    w.say("CategoryIntent", category="coffee")
    # Emptying the cart, refused then done; one item left.
    w.say("ClearCartIntent")
    w.say("AMAZON.NoIntent")
    w.say("ClearCartIntent")
    w.say("AMAZON.YesIntent")
    w.say("AddToCartIntent", product="GRO-BANANAS", quantity=1)
    w.say("ClearCartIntent")
    w.say("AMAZON.YesIntent")
    w.say("AddToCartIntent", product="GRO-BANANAS", quantity=1)
    w.say("RemoveFromCartIntent", product="GRO-BANANAS")
    # Checking out: declined, then placed; its status as staff move it on.
    w.say("AddToCartIntent", product="GRO-OATMILK", quantity=2)
    w.say("AddToCartIntent", product="COF-LATTE", unit="large")
    w.say("AddToCartIntent", product="GRO-EGGS", unit="dozen")
    w.say("CheckoutIntent")
    w.say("AMAZON.NoIntent")
    w.say("AMAZON.NoIntent")  # "no" to the implied "anything else?": read back, offer to order
    w.say("AMAZON.YesIntent")
    customer_id = _customer_id(shop, w)
    number = _latest_number(shop, customer_id)
    digits = number.split("-")[1]
    w.new_session()
    w.say("OrderStatusIntent")
    w.say("OrderStatusIntent", orderLetter="A", orderNumber=digits)
    w.say("OrderStatusIntent", orderLetter="A", orderNumber="999")
    w.say("LastOrderIntent")
    w.say("RecommendIntent")
    w.say("RecommendIntent", product="GRO-OATMILK")
    w.say("CancelOrderIntent")
    w.say("AMAZON.NoIntent")
    for status in (OrderStatus.ACCEPTED, OrderStatus.PREPARING):
        orders.advance_order(shop.uow(), number, status)
        w.say("OrderStatusIntent")
    w.say("CancelOrderIntent")
    orders.advance_order(shop.uow(), number, OrderStatus.READY)
    w.say("OrderStatusIntent")
    orders.advance_order(shop.uow(), number, OrderStatus.COMPLETED)
    w.say("OrderStatusIntent", orderLetter="A", orderNumber=digits)
    # Reorders: the last order, the usual, one product; declined and put back.
    w.say("ReorderIntent", which="LAST")
    w.say("AMAZON.NoIntent")
    w.say("AddToCartIntent", product="GRO-BANANAS", quantity=1)
    w.say("ReorderIntent", which="USUAL")
    w.say("AMAZON.NoIntent")
    w.say("ReorderIntent", product="GRO-OATMILK")
    w.say("AMAZON.YesIntent")
    w.say("ReorderIntent", product="GRO-HONEY")
    number = _latest_number(shop, customer_id)
    w.say("CancelOrderIntent")
    w.say("AMAZON.YesIntent")
    w.say("OrderStatusIntent", orderLetter="A", orderNumber=number.split("-")[1])
    # Things sold out since: a reorder missing one item, then missing all of them.
    _sql(shop, "UPDATE products SET available = false WHERE sku = 'COF-LATTE'")
    w.say("ReorderIntent", which="LAST")
    w.say("AMAZON.NoIntent")
    _sql(shop, "UPDATE products SET available = false WHERE sku = 'GRO-EGGS'")
    w.say("ReorderIntent", which="LAST")
    w.say("AMAZON.NoIntent")
    w.say("AddToCartIntent", product="GRO-BANANAS", quantity=2)
    _sql(shop, "UPDATE products SET available = false WHERE sku = 'GRO-OATMILK'")
    w.say("ReorderIntent", which="LAST")
    _sql(shop, "UPDATE products SET available = false, unavailable_reason = NULL "
               "WHERE category = 'household'")
    w.say("CategoryIntent", category="household")
    _sql(shop, "UPDATE products SET available = true WHERE sku = 'GRO-EGGS'")
    w.say("AddToCartIntent", product="GRO-EGGS", unit="dozen")
    _sql(shop, "UPDATE products SET available = false WHERE sku = 'GRO-EGGS'")
    w.say("CheckoutIntent")
    w.say("AMAZON.YesIntent")
    _sql(shop, "UPDATE products SET available = true WHERE sku = 'GRO-EGGS'")
    _sql(shop, "UPDATE variants SET available = false WHERE code = 'half-dozen' AND product_id = "
               "(SELECT id FROM products WHERE sku = 'GRO-EGGS')")
    w.say("AddToCartIntent", product="GRO-EGGS", unit="half dozen")
    # A voice code: wrong twice, then locked; a cart that changed before the "yes".
    customers.set_voice_code(shop.uow(), customer_id, "4719")
    w.say("AddToCartIntent", product="GRO-BANANAS", quantity=1)
    w.say("CheckoutIntent")
    w.say("AMAZON.YesIntent")
    w.say("AMAZON.YesIntent")
    w.say("VoiceCodeIntent", code="0000")
    w.say("VoiceCodeIntent", code="1111")
    w.say("VoiceCodeIntent", code="2222")
    _sql(shop, "UPDATE customers SET purchases_locked_until = NULL, failed_code_attempts = 0 "
               "WHERE id = :id", id=customer_id)
    w.say("CheckoutIntent")
    w.say("AddToCartIntent", product="GRO-BANANAS", quantity=1)
    w.say("CheckoutIntent")
    _sql(shop, "UPDATE cart_lines SET quantity = 5 WHERE cart_id = "
               "(SELECT id FROM carts WHERE customer_id = :id)", id=customer_id)
    _sql(shop, "UPDATE carts SET version = version + 1 WHERE customer_id = :id", id=customer_id)
    w.say("AMAZON.YesIntent")
    w.say("AMAZON.NoIntent")
    customers.set_voice_code(shop.uow(), customer_id, None)
    # Delivery: placed, then on its way.
    _sql(shop, "UPDATE customers SET fulfilment = 'delivery' WHERE id = :id", id=customer_id)
    w.say("CheckoutIntent")
    w.say("AMAZON.YesIntent")
    w.say("OrderStatusIntent")
    delivery = _latest_number(shop, customer_id)
    for status in (OrderStatus.PREPARING, OrderStatus.OUT_FOR_DELIVERY):
        orders.advance_order(shop.uow(), delivery, status)
    w.say("OrderStatusIntent")
    # Screens: no code, a wrong one, the one a screen shows.
    pairing.forget_wrong_codes()
    w.say("PairScreenIntent")
    w.say("PairScreenIntent", code="0000")
    code = pairing.pairing_code(shop.uow(), f"screen-{uuid.uuid4().hex[:6]}").code
    w.say("PairScreenIntent", code=" ".join(code))
    # Too many wrong codes: the next one is not even checked.
    for _ in range(pairing.WRONG_CODES_PER_HOUSEHOLD.limit):
        w.say("PairScreenIntent", code="0000")
    pairing.forget_wrong_codes()  # the counts are per process: the next walk starts from none
    # A customer who never ordered asks for a product again; then leaves.
    fresh = Walk(send, locale)
    fresh.say("ReorderIntent", product="GRO-HONEY")
    fresh.say("LastOrderIntent")
    fresh.say("AMAZON.StopIntent")
    return w.answers + fresh.answers


def broken_answers(shop: Shop, send: Callable[[dict[str, Any]], dict[str, Any]],
                   locale: str) -> list[Answer]:
    """A request no handler knows, a handler that fails unexpectedly, and the store gone (a
    moved SQLite file)."""
    import os

    from skill.handlers.session import HelpIntentHandler

    w = Walk(send, locale)
    w.say("UnknownIntentFromTheFuture")
    original = HelpIntentHandler.handle

    def fails(self: HelpIntentHandler, handler_input: Any) -> Any:
        raise RuntimeError("a bug")

    HelpIntentHandler.handle = fails  # type: ignore[method-assign]
    try:
        w.say("AMAZON.HelpIntent")
    finally:
        HelpIntentHandler.handle = original  # type: ignore[method-assign]
    shop.store.engine.dispose()
    path = shop.store.url.removeprefix("sqlite:///")
    os.replace(path, path + ".moved")
    try:
        w.say("ReadCartIntent")
    finally:
        os.replace(path + ".moved", path)
    return w.answers


def invoke_with(skill: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda envelope: invoke(skill, envelope)
