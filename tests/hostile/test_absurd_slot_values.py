"""Slot values no person would say, in signed requests over real HTTP: the customer hears that
they were not understood, and nothing in the store changes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.conftest import Endpoint
from tests.support.http_server import serve_wsgi
from tests.support.load import Client, Household, Reply, SignedRequest

DIDNT_GET_THAT = "Sorry, I didn't get that. Could you say it again?"
NOT_UNDERSTOOD = (DIDNT_GET_THAT, "Sorry, we don't sell ", "You can add between 1 and 99")
SQL = (
    "'; DROP TABLE orders; --",
    "1; DELETE FROM cart_lines",
    "\" OR 1=1 --",
    "Robert'); UPDATE variants SET price_minor=1; --",
)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class Http:
    """The hostile module's app, served on a real port."""

    def __init__(self, endpoint: Endpoint, base_url: str) -> None:
        self.endpoint = endpoint
        self.client = Client(base_url)

    def add(self, slots: dict[str, str]) -> Reply:
        household = Household.numbered(7, run="absurd")
        return self.client.post(SignedRequest.of(household.add_spoken(slots)))


@pytest.fixture(scope="module")
def http(endpoint: Endpoint) -> Iterator[Http]:
    app = endpoint.client.application
    with serve_wsgi(app) as base_url:
        http = Http(endpoint, base_url)
        # Its first request creates the household; after that only a change would change rows.
        http.client.post(SignedRequest.of(Household.numbered(7, run="absurd").read_cart()))
        yield http


def assert_not_understood_and_unchanged(http: Http, slots: dict[str, str]) -> str:
    before = http.endpoint.state()
    reply = http.add(slots)
    assert reply.status == 200
    ssml = reply.json()["response"]["outputSpeech"]["ssml"]
    ElementTree.fromstring(ssml)  # whatever was said, the answer is well-formed SSML
    assert reply.speech.startswith(NOT_UNDERSTOOD), reply.speech
    assert http.endpoint.state() == before
    return reply.speech


@given(st.integers(min_value=1_000_000) | st.integers(max_value=-1))
@FUZZ
def test_an_impossible_quantity_is_not_understood(http: Http, number: int) -> None:
    speech = assert_not_understood_and_unchanged(
        http, {"product": "oat milk", "quantity": str(number)}
    )
    assert speech == DIDNT_GET_THAT


@given(st.text(min_size=101, max_size=12_000))
@FUZZ
def test_a_product_name_longer_than_anyone_says_is_not_understood(http: Http, name: str) -> None:
    if len(name.strip()) <= 100:
        name = "x" * 101 + name
    speech = assert_not_understood_and_unchanged(http, {"product": name, "quantity": "1"})
    assert speech == DIDNT_GET_THAT


@pytest.mark.parametrize(
    "slots",
    [
        {"product": "oat milk", "quantity": "1" * 400},
        {"product": "oat milk", "quantity": "1e9"},
        {"product": "oat milk", "quantity": "2.5"},
        {"product": "oat milk", "quantity": "0x10"},
        {"product": "oat milk", "quantity": "100"},
        {"product": "oat milk", "quantity": "0"},
        {"product": "oat milk", "quantity": "²"},
        {"product": "oat milk", "quantity": "٣"},
        {"product": "oat milk", "unit": "u" * 10_240},
        {"product": "🥛🥛🥛 🍪", "quantity": "2"},
        {"product": "\u202eklim tao", "quantity": "2"},
        {"product": "<audio src='https://evil.example/a.mp3'/>", "quantity": "1"},
        {"product": "oat & milk <break time='10s'/>", "quantity": "1"},
        *({"product": fragment, "quantity": "1"} for fragment in SQL),
    ],
    ids=lambda slots: re.sub(r"\W+", "-", json.dumps(slots, ensure_ascii=False))[:40],
)
def test_absurd_slot_values_are_not_understood_and_change_nothing(
    http: Http, slots: dict[str, str]
) -> None:
    assert_not_understood_and_unchanged(http, slots)
