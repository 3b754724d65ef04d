"""GET /screens/<device>: the household's screen, or a pairing code for a screen nobody knows."""

import json
import re

import requests

from backend.services.pairing import household_of, pairing_code
from skill.screens.pair_links import kiosk_screen_url
from tests.screens.conftest import SECRET_KEY, say


def page_state(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="state">(.*?)</script>', html, re.S)
    assert found, html[:500]
    return json.loads(found.group(1))


def test_a_paired_screen_opens_on_its_households_cart_and_latest_order(server, sqlite_shop):
    from backend.services import carts

    carts.add_item(sqlite_shop.uow(), sqlite_shop.customer_id, "GRO-EGGS", 2)
    reply = requests.get(f"{server}/screens/screen-1", timeout=5)
    state = page_state(reply.text)
    assert reply.status_code == 200
    assert state["household"] == "Demo Household"
    assert [(line["sku"], line["quantity"]) for line in state["cart"]["lines"]] == [("GRO-EGGS", 2)]
    assert state["order"] is None
    assert state["last_event_id"] == sqlite_shop.hub.latest_id(sqlite_shop.customer_id)


def test_an_unknown_screen_shows_a_four_digit_pairing_code(server, sqlite_shop):
    reply = requests.get(f"{server}/screens/hall-display", timeout=5)
    shown = re.search(r'id="pair-code"[^>]*>(\d{4})<', reply.text)
    assert reply.status_code == 200
    assert shown and shown.group(1) == pairing_code(sqlite_shop.uow(), "hall-display").code
    assert "/screens/hall-display?pair=" in reply.text  # the kiosk link form


def test_saying_pair_screen_with_the_code_pairs_the_screen(server, sqlite_shop):
    requests.get(f"{server}/screens/hall-display", timeout=5)
    code = pairing_code(sqlite_shop.uow(), "hall-display").code
    spoken = say(server, "PairScreenIntent", {"code": code}, device_id="kiosk-1")
    assert spoken.startswith("Done! That screen now shows your cart")
    assert household_of(sqlite_shop.uow(), "hall-display") == sqlite_shop.customer_id
    assert page_state(requests.get(f"{server}/screens/hall-display", timeout=5).text)


def test_a_wrong_code_is_read_back_and_pairs_nothing(server, sqlite_shop):
    requests.get(f"{server}/screens/hall-display", timeout=5)
    code = pairing_code(sqlite_shop.uow(), "hall-display").code
    wrong = f"{(int(code) + 1) % 10000:04d}"
    spoken = say(server, "PairScreenIntent", {"code": wrong}, device_id="kiosk-1")
    assert spoken.startswith(f"No screen is showing code {' '.join(wrong)}.")
    assert household_of(sqlite_shop.uow(), "hall-display") is None


def test_pair_screen_without_a_code_asks_for_it(server):
    spoken = say(server, "PairScreenIntent", device_id="kiosk-1")
    assert spoken.startswith("Please say the four digit code shown on the screen")


def test_a_kiosk_link_pairs_the_screen_and_redirects_to_it(server, sqlite_shop):
    url = kiosk_screen_url(server, SECRET_KEY, sqlite_shop.customer_id, "kiosk-1-display")
    reply = requests.get(url, timeout=5)
    assert reply.history and reply.history[0].status_code == 303
    assert reply.url == f"{server}/screens/kiosk-1-display"
    assert page_state(reply.text)["household"] == "Demo Household"


def test_a_tampered_kiosk_link_is_refused(server, sqlite_shop):
    url = kiosk_screen_url(server, "another key", sqlite_shop.customer_id, "kiosk-1-display")
    reply = requests.get(url, timeout=5)
    assert reply.status_code == 403
    assert household_of(sqlite_shop.uow(), "kiosk-1-display") is None


def test_opening_screens_gives_a_new_screen_an_unguessable_id(server):
    reply = requests.get(f"{server}/screens/", timeout=5, allow_redirects=False)
    other = requests.get(f"{server}/screens/", timeout=5, allow_redirects=False)
    assert reply.status_code == 303
    assert re.fullmatch(r"/screens/screen-[A-Za-z0-9]{12}", reply.headers["Location"])
    assert reply.headers["Location"] != other.headers["Location"]


def test_a_device_id_with_odd_characters_is_not_found(server):
    assert requests.get(f"{server}/screens/a%20b", timeout=5).status_code == 404


def test_screen_pages_forbid_inline_scripts_and_framing(server):
    headers = requests.get(f"{server}/screens/screen-1", timeout=5).headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
