"""The skill over real HTTP with signature and timestamp verification on."""

import json

import pytest
import requests
from sqlalchemy import select

from backend.persistence.models import CartLine, Order, OrderStatus
from backend.runtime import Backend
from skill.web import create_app
from tests.skill.conftest import FIXTURES, Conversation, directive_types, load_envelope, speech
from tests.support.alexa_signing import shared_signer
from tests.support.http_server import serve_wsgi


@pytest.fixture
def endpoint(sqlite_shop):
    signer = shared_signer()
    app = create_app(
        Backend(sqlite_shop.store, sqlite_shop.hub),
        verification=signer.verification_settings(),
    )
    with serve_wsgi(app) as base_url:
        yield base_url


@pytest.fixture
def post(endpoint):
    signer = shared_signer()
    session = requests.Session()

    def send(envelope):
        body = json.dumps(envelope).encode()
        reply = session.post(f"{endpoint}/alexa", data=body, headers=signer.sign(body), timeout=10)
        assert reply.status_code == 200, reply.text
        return reply.json()

    return send


def test_a_whole_purchase_conversation_over_https_style_requests(post, sqlite_shop):
    chat = Conversation(post, apl=True)
    assert speech(chat.say("launch")).startswith("Welcome to Corner Shop.")
    assert speech(chat.say("add_oat_milk_resolved")).startswith("Added 2 oat milks.")
    added = chat.say("add_large_latte")
    assert "Alexa.Presentation.APL.RenderDocument" in directive_types(added)
    assert speech(chat.say("read_cart")).startswith("Your cart has 2 oat milks and a large latte.")
    confirm = chat.say("checkout")
    assert speech(confirm).endswith("Shall I place the order?")
    assert "Dialog.ConfirmIntent" in directive_types(confirm)
    with sqlite_shop.uow() as uow:
        assert uow.session.scalars(select(Order)).all() == []
    done = chat.say("checkout_confirmed")
    assert speech(done).startswith("Done! Your order number is A 1 0 0")
    apl = [d for d in done["response"]["directives"] if d["type"].endswith("RenderDocument")]
    assert apl[0]["datasources"]["payload"]["view"]["number"] == "A-100"
    status = Conversation(post).say("order_status")
    assert speech(status).startswith("Order A 1 0 0 has been placed")

    with sqlite_shop.uow() as uow:
        [order] = uow.session.scalars(select(Order)).all()
        assert order.status == OrderStatus.PLACED
        assert [(line.sku, line.quantity) for line in order.lines] == [
            ("GRO-OATMILK", 2),
            ("COF-LATTE", 1),
        ]
        assert uow.session.scalars(select(CartLine)).all() == []


def test_a_retried_checkout_request_over_http_yields_one_order(post, sqlite_shop):
    chat = Conversation(post)
    chat.say("add_oat_milk_resolved")
    chat.say("checkout")
    confirmed = load_envelope(
        "checkout_confirmed", attributes=chat.attributes, session_id=chat.session_id
    )
    first = post(confirmed)
    again = post(confirmed)  # Alexa resends the very same request
    assert speech(again) == speech(first)
    with sqlite_shop.uow() as uow:
        assert len(uow.session.scalars(select(Order)).all()) == 1


@pytest.mark.parametrize("fixture", sorted(p.stem for p in FIXTURES.glob("*.json")))
def test_every_request_fixture_gets_a_spoken_answer_or_a_clean_end(post, fixture):
    reply = post(load_envelope(fixture))
    if fixture == "session_ended":
        assert "outputSpeech" not in reply["response"]
    else:
        assert speech(reply)
        assert "Traceback" not in json.dumps(reply)
