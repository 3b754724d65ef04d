"""GET /screens/<device>: the household's screen, or a pairing code for a screen nobody knows."""

import json
import re
import time
from datetime import timedelta

import pytest
import requests

from backend.rate_limits import SlidingWindow
from backend.services import carts, walk_ins
from backend.services.pairing import claim_code, household_of, pairing_code
from skill.screens.pair_links import PairLink, kiosk_screen_url
from skill.screens.views import NEW_CODES_LIMIT_KEY
from tests.screens.conftest import SECRET_KEY, fill_the_code_pool, paired_browser, say


def page_state(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="state">(.*?)</script>', html, re.S)
    assert found, html[:500]
    return json.loads(found.group(1))


def link(server, customer_id, screen_id, hours=1.0):
    return kiosk_screen_url(
        server, SECRET_KEY, PairLink(customer_id, screen_id, timedelta(hours=hours))
    )


def test_a_paired_screen_opens_on_its_households_cart_and_latest_order(server, sqlite_shop, screen):
    carts.add_item(sqlite_shop.uow(), sqlite_shop.customer_id, "GRO-EGGS", 2)
    reply = screen.get(f"{server}/screens/screen-1", timeout=5)
    state = page_state(reply.text)
    assert reply.status_code == 200
    assert state["household"] == "Demo Household"
    assert [(line["sku"], line["quantity"]) for line in state["cart"]["lines"]] == [("GRO-EGGS", 2)]
    assert state["order"] is None
    assert state["last_event_id"] == sqlite_shop.hub.latest_id(sqlite_shop.customer_id)


@pytest.mark.parametrize("device", ["screen-1", "kiosk-1"])
def test_a_screen_url_alone_shows_no_household(server, sqlite_shop, device):
    carts.add_item(sqlite_shop.uow(), sqlite_shop.customer_id, "GRO-EGGS", 2)
    reply = requests.get(f"{server}/screens/{device}", timeout=5)
    assert reply.status_code == 403
    assert "Demo Household" not in reply.text and "GRO-EGGS" not in reply.text
    assert 'id="state"' not in reply.text


def test_an_unknown_screen_shows_a_four_digit_pairing_code(server, sqlite_shop):
    reply = requests.get(f"{server}/screens/hall-display", timeout=5)
    shown = re.search(r'id="pair-code"[^>]*>(\d{4})<', reply.text)
    assert reply.status_code == 200
    assert shown and shown.group(1) == pairing_code(sqlite_shop.uow(), "hall-display").code
    assert "/screens/hall-display?pair=" in reply.text  # the kiosk link form


def test_saying_the_code_pairs_the_screen_that_showed_it(server, sqlite_shop):
    browser = requests.Session()
    browser.get(f"{server}/screens/hall-display", timeout=5)
    code = pairing_code(sqlite_shop.uow(), "hall-display").code
    spoken = say(server, "PairScreenIntent", {"code": code}, device_id="kiosk-1")
    assert spoken.startswith("Done! That screen now shows your cart")
    assert household_of(sqlite_shop.uow(), "hall-display") == sqlite_shop.customer_id
    assert page_state(browser.get(f"{server}/screens/hall-display", timeout=5).text)
    # It keeps working: the waiting ticket was exchanged for a lasting proof.
    assert page_state(browser.get(f"{server}/screens/hall-display", timeout=5).text)


def test_another_browser_on_a_code_paired_screens_url_sees_nothing(server, sqlite_shop):
    requests.get(f"{server}/screens/hall-display", timeout=5)
    code = pairing_code(sqlite_shop.uow(), "hall-display").code
    say(server, "PairScreenIntent", {"code": code}, device_id="kiosk-1")
    stranger = requests.get(f"{server}/screens/hall-display", timeout=5)
    assert stranger.status_code == 403 and "Demo Household" not in stranger.text


def test_a_wrong_code_is_read_back_and_pairs_nothing(server, sqlite_shop):
    requests.get(f"{server}/screens/hall-display", timeout=5)
    code = pairing_code(sqlite_shop.uow(), "hall-display").code
    wrong = f"{(int(code) + 1) % 10000:04d}"
    spoken = say(server, "PairScreenIntent", {"code": wrong}, device_id="kiosk-1")
    assert spoken.startswith(f"No screen is showing code {' '.join(wrong)}.")
    assert household_of(sqlite_shop.uow(), "hall-display") is None


def test_after_five_wrong_spoken_codes_even_the_right_one_is_refused_and_said_so(
    server, sqlite_shop
):
    carts.add_item(sqlite_shop.uow(), sqlite_shop.customer_id, "GRO-EGGS", 2)
    cart_before = carts.get_cart(sqlite_shop.uow(), sqlite_shop.customer_id)
    requests.get(f"{server}/screens/hall-display", timeout=5)
    code = pairing_code(sqlite_shop.uow(), "hall-display").code
    wrong = [f"{(int(code) + n) % 10000:04d}" for n in range(1, 6)]
    for guess in wrong:
        spoken = say(server, "PairScreenIntent", {"code": guess}, device_id="kiosk-1")
        assert spoken.startswith("No screen is showing code"), spoken
    spoken = say(server, "PairScreenIntent", {"code": code}, device_id="kiosk-1")
    assert spoken.startswith("Too many wrong screen codes were said"), spoken
    assert "Please try again after" in spoken
    assert household_of(sqlite_shop.uow(), "hall-display") is None
    assert carts.get_cart(sqlite_shop.uow(), sqlite_shop.customer_id) == cart_before


def test_a_kiosk_display_paired_by_a_link_follows_the_kiosks_next_walk_in(server, sqlite_shop):
    first = walk_ins.start_walk_in(sqlite_shop.uow(), "counter-1")
    display = requests.Session()
    display.get(link(server, first.customer.id, "counter-1-display"), timeout=5)
    second = walk_ins.start_walk_in(sqlite_shop.uow(), "counter-1")
    reply = display.get(f"{server}/screens/counter-1-display", timeout=5)
    assert reply.status_code == 200
    assert page_state(reply.text)["household"] == f"Walk-in {second.session_id} at counter-1"
    events = display.get(f"{server}/screens/counter-1-display/events", stream=True, timeout=5)
    with events:
        assert events.status_code == 200


def test_a_phone_paired_by_code_to_a_walk_in_stops_showing_the_kiosk_at_the_next_one(
    server, sqlite_shop
):
    first = walk_ins.start_walk_in(sqlite_shop.uow(), "counter-1")
    phone = requests.Session()
    phone.get(f"{server}/screens/phone-1", timeout=5)
    code = pairing_code(sqlite_shop.uow(), "phone-1").code
    claim_code(sqlite_shop.uow(), code, first.customer.id)
    assert phone.get(f"{server}/screens/phone-1", timeout=5).status_code == 200
    walk_ins.start_walk_in(sqlite_shop.uow(), "counter-1")
    stranger = phone.get(f"{server}/screens/phone-1", timeout=5)
    assert stranger.status_code == 403 and "Walk-in" not in stranger.text


def test_pair_screen_without_a_code_asks_for_it(server):
    spoken = say(server, "PairScreenIntent", device_id="kiosk-1")
    assert spoken.startswith("Please say the four digit code shown on the screen")


def test_a_kiosk_link_pairs_the_screen_and_redirects_to_it(server, sqlite_shop):
    browser = requests.Session()
    reply = browser.get(link(server, sqlite_shop.customer_id, "display-abc"), timeout=5)
    assert reply.history and reply.history[0].status_code == 303
    assert reply.url == f"{server}/screens/display-abc"
    assert page_state(reply.text)["household"] == "Demo Household"
    # The kiosk can now start on the plain URL.
    assert page_state(browser.get(f"{server}/screens/display-abc", timeout=5).text)


def test_a_tampered_kiosk_link_is_refused(server, sqlite_shop):
    url = kiosk_screen_url(
        server, "another key", PairLink(sqlite_shop.customer_id, "display-abc", timedelta(hours=1))
    )
    reply = requests.get(url, timeout=5)
    assert reply.status_code == 403
    assert household_of(sqlite_shop.uow(), "display-abc") is None


def test_an_expired_kiosk_link_is_refused(server, sqlite_shop):
    short = link(server, sqlite_shop.customer_id, "display-abc", hours=1 / 3600)  # one second
    time.sleep(2.1)
    reply = requests.get(short, timeout=5)
    assert reply.status_code == 403 and 'data-reason="expired"' in reply.text
    assert household_of(sqlite_shop.uow(), "display-abc") is None


def test_a_kiosk_link_pairs_only_the_screen_it_was_made_for(server, sqlite_shop):
    made_for = link(server, sqlite_shop.customer_id, "display-abc")
    moved = made_for.replace("/screens/display-abc?", "/screens/display-xyz?")
    reply = requests.get(moved, timeout=5)
    assert reply.status_code == 403 and 'data-reason="other_screen"' in reply.text
    assert household_of(sqlite_shop.uow(), "display-xyz") is None


def test_a_kiosk_link_never_moves_the_shops_kiosk_to_another_household(server, sqlite_shop):
    from backend.services.customers import create_customer

    neighbour = create_customer(sqlite_shop.uow(), "Neighbour")
    reply = requests.get(link(server, neighbour.id, "kiosk-1"), timeout=5)
    assert reply.status_code == 409
    assert household_of(sqlite_shop.uow(), "kiosk-1") == sqlite_shop.customer_id


def test_opening_screens_gives_a_new_screen_an_unguessable_id(server):
    reply = requests.get(f"{server}/screens/", timeout=5, allow_redirects=False)
    other = requests.get(f"{server}/screens/", timeout=5, allow_redirects=False)
    assert reply.status_code == 303
    assert re.fullmatch(r"/screens/screen-[A-Za-z0-9]{12}", reply.headers["Location"])
    assert reply.headers["Location"] != other.headers["Location"]


def test_a_device_id_with_odd_characters_is_not_found(server):
    assert requests.get(f"{server}/screens/a%20b", timeout=5).status_code == 404


def test_a_device_id_with_a_trailing_newline_is_not_found(server, sqlite_shop):
    assert requests.get(f"{server}/screens/kiosk-1%0a", timeout=5).status_code == 404
    assert requests.get(f"{server}/screens/screen-1%0A", timeout=5).status_code == 404


def test_one_client_gets_a_bounded_number_of_new_pairing_codes(app, server, sqlite_shop):
    app.config[NEW_CODES_LIMIT_KEY] = SlidingWindow(limit=3, seconds=600)
    for n in range(3):
        assert requests.get(f"{server}/screens/new-{n}", timeout=5).status_code == 200
    again = requests.get(f"{server}/screens/new-0", timeout=5)  # its own code: no new one
    assert again.status_code == 200
    refused = requests.get(f"{server}/screens/new-3", timeout=5)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert 'data-reason="client"' in refused.text


def test_a_full_pool_of_codes_is_a_clear_page_not_a_server_error(server, sqlite_shop):
    fill_the_code_pool(sqlite_shop.uow())
    reply = requests.get(f"{server}/screens/hall-display", timeout=10)
    assert reply.status_code == 503
    assert 'data-reason="pool"' in reply.text and "Retry-After" in reply.headers


def test_screen_pages_forbid_inline_scripts_and_framing(server, screen):
    headers = screen.get(f"{server}/screens/screen-1", timeout=5).headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_the_screen_cookie_is_http_only_and_scoped_to_its_screen(server, sqlite_shop):
    reply = requests.get(
        link(server, sqlite_shop.customer_id, "display-abc"), timeout=5, allow_redirects=False
    )
    cookie = reply.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "Path=/screens/display-abc" in cookie
    assert "SameSite=Lax" in cookie


def test_paired_browser_helper_pairs_screen_one(server, sqlite_shop):
    browser = paired_browser(server, sqlite_shop.customer_id)
    assert page_state(browser.get(f"{server}/screens/screen-1", timeout=5).text)
