"""Every product × every way its sizes and packs are said: the cart line and price that result.

"A dozen eggs" is one dozen-pack, not twelve of them; "half a dozen" the half-dozen pack; "a
couple of" two. Spoken through the kiosk's matcher into the skill, judged on the store's cart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from backend.catalog_data import CatalogSpec, ProductSpec
from backend.runtime import Backend
from backend.services import carts
from backend.services.customers import find_by_first_device
from backend.services.views import CartView
from skill.builder import build_skill
from tests.conftest import Shop
from voice_local.conversation import LocalConversation
from voice_local.nlu.interaction_model import load_interaction_model
from voice_local.nlu.matcher import IntentMatcher
from voice_local.simulator.devices import DEFAULT_PRESET, simulated_device
from voice_local.simulator.session import SimulatorSession

REPO = Path(__file__).resolve().parents[2]
MODEL = load_interaction_model(REPO / "interaction_models" / "en-US.json")
MATCHER = IntentMatcher(MODEL)

# How people say one of each size or pack; "{p}" is the product's name.
SIZE_PHRASES = {
    "small": "add a small {p}",
    "medium": "add a medium {p}",
    "large": "add a large {p}",
    "single": "add a single {p}",
    "double": "add a double {p}",
    "dozen": "add a dozen {p}",
    "half-dozen": "add half a dozen {p}",
    "bunch": "add a bunch of {p}",
    "bag": "add a bag of {p}",
    "gallon": "add a gallon of {p}",
    "half-gallon": "add half a gallon of {p}",
    "pound": "add a pound of {p}",
    "each": "add one {p}",
}
COUNT_PHRASES = {"add two {p}": 2, "add a couple of {p}": 2, "add a pair of {p}": 2}


def cases(catalog: CatalogSpec) -> Iterator[tuple[str, ProductSpec, str, int]]:
    for product in catalog.products:
        if not product.available:
            continue
        for variant in product.variants:
            if not variant.available:
                continue
            yield SIZE_PHRASES[variant.code].format(p=product.name), product, variant.code, 1
        if len(product.variants) == 1:
            for phrase, count in COUNT_PHRASES.items():
                yield phrase.format(p=product.name), product, product.variants[0].code, count


SayOnEmptyCart = Callable[..., CartView]  # one or more turns, from an empty cart


@pytest.fixture
def say_on_empty_cart(sqlite_shop: Shop) -> SayOnEmptyCart:
    backend = Backend(sqlite_shop.store, sqlite_shop.hub)
    device = simulated_device(DEFAULT_PRESET, "en-US")
    session = SimulatorSession(LocalConversation(build_skill(backend), MODEL, device), MATCHER)
    session.say("open corner shop")
    customer = find_by_first_device(backend.reader(), (device.device_id, device.user_id))

    def say(*texts: str) -> CartView:
        carts.clear_cart(backend.uow(), customer.id)
        for text in texts:
            session.say(text)
        return carts.get_cart(backend.reader(), customer.id)

    return say


def test_every_product_size_and_pack_said_aloud_gives_that_line_and_price(
    say_on_empty_cart: SayOnEmptyCart, catalog: CatalogSpec
) -> None:
    wrong = []
    for phrase, product, code, count in cases(catalog):
        cart = say_on_empty_cart(phrase)
        got = [(line.sku, line.variant_code, line.quantity) for line in cart.lines]
        price = next(v.price_minor for v in product.variants if v.code == code)
        if got != [(product.sku, code, count)] or cart.total_minor != count * price:
            wrong.append((phrase, got, cart.total_minor))
    assert wrong == []


@pytest.mark.parametrize(
    ("phrase", "sku", "code", "count"),
    [
        ("add twelve eggs", "GRO-EGGS", "dozen", 1),
        ("add two dozen eggs", "GRO-EGGS", "dozen", 2),
        ("add a dozen bagels", "BAK-BAGEL", "each", 12),
        ("add three bananas", "GRO-BANANAS", "single", 3),
        ("add a banana", "GRO-BANANAS", "single", 1),
    ],
)
def test_counts_become_packs_and_packs_counts_where_the_catalog_says_so(
    say_on_empty_cart: SayOnEmptyCart, phrase: str, sku: str, code: str, count: int
) -> None:
    cart = say_on_empty_cart(phrase)
    assert [(line.sku, line.variant_code, line.quantity) for line in cart.lines] == [
        (sku, code, count)
    ]


@pytest.mark.parametrize(
    ("first", "change", "code", "count"),
    [
        ("add a dozen eggs", "can i make that two dozen eggs instead", "dozen", 2),
        ("add a dozen eggs", "make it 36 eggs", "dozen", 3),
        ("add a dozen eggs", "make it three", "dozen", 3),
    ],
)
def test_setting_a_pack_line_by_count_keeps_the_pack(
    say_on_empty_cart: SayOnEmptyCart, first: str, change: str, code: str, count: int
) -> None:
    cart = say_on_empty_cart(first, change)
    assert [(line.sku, line.variant_code, line.quantity) for line in cart.lines] == [
        ("GRO-EGGS", code, count)
    ]
