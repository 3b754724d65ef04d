"""Fixtures for the companion screens and the staff view: the real app on a real port."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
import requests
from flask import Flask

from backend.clock import utcnow
from backend.runtime import Backend
from backend.services.pairing import ScreenPairing
from backend.unit_of_work import UnitOfWork
from skill.asgi import ServingApp
from skill.screens.pair_links import PairLink, kiosk_screen_url
from skill.screens.stream import StreamSettings
from skill.screens.views import STREAM_SETTINGS_KEY
from skill.staff.auth import STAFF_TOKEN_CONFIG
from skill.web import create_app
from tests.conftest import Shop
from tests.support.alexa_signing import envelope, intent_request, shared_signer
from tests.support.asgi_server import serve_asgi

STAFF_TOKEN = "staff-token-for-tests"
SECRET_KEY = "secret-key-for-tests"
# Short enough that a test sees streams end and heartbeats arrive within a second or two.
FAST_STREAMS = StreamSettings(poll_seconds=0.1, heartbeat_seconds=0.5, lifetime_seconds=3.0)


def make_app(backend: Backend, stream: StreamSettings = FAST_STREAMS) -> Flask:
    app = create_app(backend, verification=shared_signer().verification_settings())
    app.secret_key = SECRET_KEY
    app.config[STAFF_TOKEN_CONFIG] = STAFF_TOKEN
    app.config[STREAM_SETTINGS_KEY] = stream
    return app


@pytest.fixture(autouse=True)
def no_wrong_codes_yet() -> None:
    from backend.services.pairing import forget_wrong_codes

    forget_wrong_codes()


@pytest.fixture
def backend(sqlite_shop: Shop) -> Backend:
    return Backend(sqlite_shop.store, sqlite_shop.hub)


@pytest.fixture
def app(backend: Backend) -> Flask:
    return make_app(backend)


@pytest.fixture
def server(app: Flask) -> Iterator[str]:
    """The app as `vcom serve` runs it: streams on uvicorn's event loop, Flask in threads."""
    with serve_asgi(ServingApp(app, threads=4)) as base_url:
        yield base_url


def paired_browser(
    base_url: str, customer_id: int, device_id: str = "screen-1"
) -> requests.Session:
    """A browser that opened a staff pairing link for `device_id`: it holds the screen's proof
    cookie, as the screen itself would."""
    browser = requests.Session()
    link = kiosk_screen_url(
        base_url, SECRET_KEY, PairLink(customer_id, device_id, timedelta(hours=1))
    )
    reply = browser.get(link, timeout=5)
    assert reply.status_code == 200 and reply.url.endswith(f"/screens/{device_id}"), reply.text
    return browser


@pytest.fixture
def screen(server: str, sqlite_shop: Shop) -> requests.Session:
    """The demo household's paired screen-1, paired now."""
    return paired_browser(server, sqlite_shop.customer_id)


AlexaPost = Callable[..., dict[str, Any]]


def post_alexa(base_url: str, request: dict[str, Any], **options: Any) -> dict[str, Any]:
    """One signed request to POST /alexa, as Alexa sends it."""
    body = json.dumps(envelope(request, **options)).encode()
    reply = requests.post(
        f"{base_url}/alexa", data=body, headers=shared_signer().sign(body), timeout=10
    )
    assert reply.status_code == 200, reply.text
    result: dict[str, Any] = reply.json()
    return result


def say(base_url: str, intent: str, slots: dict[str, str] | None = None, **options: Any) -> str:
    reply = post_alexa(base_url, intent_request(intent, slots), **options)
    ssml: str = reply["response"]["outputSpeech"]["ssml"]
    return ssml.removeprefix("<speak>").removesuffix("</speak>")


def alexa_conversation(base_url: str, device_id: str = "kiosk-1") -> Any:
    """A signed conversation through POST /alexa from a device of the demo household."""
    from tests.skill.conftest import Conversation

    session = requests.Session()
    signer = shared_signer()

    def send(request_envelope: dict[str, Any]) -> dict[str, Any]:
        body = json.dumps(request_envelope).encode()
        reply = session.post(f"{base_url}/alexa", data=body, headers=signer.sign(body), timeout=10)
        assert reply.status_code == 200, reply.text
        result: dict[str, Any] = reply.json()
        return result

    return Conversation(send, device_id=device_id)


def order_by_voice(base_url: str, device_id: str = "kiosk-1") -> str:
    """Adds two oat milks and checks out through POST /alexa; returns what Alexa said last."""
    from tests.skill.conftest import speech

    chat = alexa_conversation(base_url, device_id)
    chat.say("add_oat_milk_resolved")
    chat.say("checkout")
    said: str = speech(chat.say("checkout_confirmed"))
    assert said.startswith("Done! Your order number is"), said
    return said


def fill_the_code_pool(uow: UnitOfWork) -> None:
    """Every one of the 10,000 pairing codes held by a screen nobody paired."""
    now = utcnow()
    with uow:
        uow.session.add_all(
            ScreenPairing(
                device_external_id=f"squatter-{n}",
                code=f"{n:04d}",
                expires_at=now + timedelta(minutes=10),
                created_at=now,
            )
            for n in range(10_000)
        )
        uow.commit()
