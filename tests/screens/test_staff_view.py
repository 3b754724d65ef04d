"""GET /staff: open orders behind a staff token, CSRF-checked buttons that move them on."""

import re
import threading

import pytest
import requests

from backend.persistence.models import OrderStatus
from backend.services import carts
from backend.services.orders import get_order, place_order
from skill.staff.auth import STAFF_TOKEN_CONFIG
from tests.screens.conftest import STAFF_TOKEN
from tests.screens.sse import read_events


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def signed_in(server: str) -> tuple[requests.Session, str]:
    browser = requests.Session()
    login = browser.get(f"{server}/staff", timeout=5)
    reply = browser.post(
        f"{server}/staff/login",
        data={"token": STAFF_TOKEN, "csrf_token": csrf(login.text)},
        timeout=5,
    )
    assert reply.status_code == 200 and "open orders" in reply.text
    return browser, csrf(reply.text)


@pytest.fixture
def order(sqlite_shop):
    carts.add_item(sqlite_shop.uow(), sqlite_shop.customer_id, "GRO-EGGS", 1)
    return place_order(sqlite_shop.uow(), sqlite_shop.customer_id)


def status_of(sqlite_shop, number):
    return get_order(sqlite_shop.uow(), number).status


def test_without_a_configured_token_staff_is_told_how_to_set_one(app, server):
    app.config[STAFF_TOKEN_CONFIG] = None
    reply = requests.get(f"{server}/staff", timeout=5)
    assert reply.status_code == 503
    assert "VCOM_STAFF_TOKEN" in reply.text


def test_without_signing_in_staff_see_the_login_page_not_orders(server, order):
    reply = requests.get(f"{server}/staff", timeout=5)
    assert reply.status_code == 200
    assert 'name="token"' in reply.text
    assert order.number not in reply.text


def test_a_wrong_token_is_refused(server, order):
    browser = requests.Session()
    login = browser.get(f"{server}/staff", timeout=5)
    reply = browser.post(
        f"{server}/staff/login", data={"token": "guess", "csrf_token": csrf(login.text)}, timeout=5
    )
    assert reply.status_code == 403
    assert order.number not in browser.get(f"{server}/staff", timeout=5).text


def test_signed_in_staff_see_open_orders_with_their_next_steps(server, order):
    browser, _token = signed_in(server)
    page = browser.get(f"{server}/staff", timeout=5).text
    assert order.number in page
    assert 'data-status="accepted"' in page and 'data-status="cancelled"' in page


def test_moving_an_order_on_changes_its_status(server, sqlite_shop, order):
    browser, token = signed_in(server)
    reply = browser.post(
        f"{server}/staff/orders/{order.number}/status",
        data={"status": "accepted", "csrf_token": token},
        timeout=5,
    )
    assert reply.status_code == 200  # after the 303 back to the list
    assert status_of(sqlite_shop, order.number) == OrderStatus.ACCEPTED


@pytest.mark.parametrize("sent", [None, "not-the-token"])
def test_a_post_without_the_right_csrf_token_is_refused_and_changes_nothing(
    server, sqlite_shop, order, sent
):
    browser, _token = signed_in(server)
    data = {"status": "accepted"} | ({"csrf_token": sent} if sent else {})
    reply = browser.post(f"{server}/staff/orders/{order.number}/status", data=data, timeout=5)
    assert reply.status_code == 400
    assert status_of(sqlite_shop, order.number) == OrderStatus.PLACED


def test_a_login_post_without_csrf_token_is_refused(server):
    reply = requests.post(f"{server}/staff/login", data={"token": STAFF_TOKEN}, timeout=5)
    assert reply.status_code == 400


def test_a_move_that_skips_steps_is_refused_with_the_reason(server, sqlite_shop, order):
    browser, token = signed_in(server)
    reply = browser.post(
        f"{server}/staff/orders/{order.number}/status",
        data={"status": "completed", "csrf_token": token},
        timeout=5,
    )
    assert reply.status_code == 409
    assert "cannot be marked completed" in reply.text
    assert status_of(sqlite_shop, order.number) == OrderStatus.PLACED


def test_signing_out_ends_the_staff_session(server, order):
    browser, token = signed_in(server)
    browser.post(f"{server}/staff/logout", data={"csrf_token": token}, timeout=5)
    assert order.number not in browser.get(f"{server}/staff", timeout=5).text


def test_advancing_an_order_reaches_the_customers_screen(server, sqlite_shop, order, screen):
    browser, token = signed_in(server)
    after = sqlite_shop.hub.latest_id(sqlite_shop.customer_id)

    def press_accept():
        browser.post(
            f"{server}/staff/orders/{order.number}/status",
            data={"status": "accepted", "csrf_token": token},
            timeout=5,
        )

    timer = threading.Timer(0.3, press_accept)
    timer.start()
    read = read_events(f"{server}/screens/screen-1/events?after={after}", count=1, browser=screen)
    timer.join()
    assert [(m.event, m.data["order"]["status"]) for m in read.messages] == [
        ("order_status", "accepted")
    ]


def test_staff_make_a_kiosk_screen_link_that_pairs_a_display(server, sqlite_shop):
    browser, token = signed_in(server)
    page = browser.post(
        f"{server}/staff/screen-link",
        data={"household_device": "kiosk-1", "screen_id": "kiosk-1-display", "csrf_token": token},
        timeout=5,
    ).text
    link = re.search(r'id="screen-link">([^<]+)<', page).group(1).replace("&amp;", "&")
    assert link.startswith(f"{server}/screens/kiosk-1-display?pair=")
    opened = requests.get(link, timeout=5)
    assert opened.url == f"{server}/screens/kiosk-1-display"
    assert "Demo Household" in opened.text


def test_a_kiosk_link_without_a_screen_id_gets_an_unguessable_one(server, sqlite_shop):
    browser, token = signed_in(server)
    links = []
    for _ in range(2):
        page = browser.post(
            f"{server}/staff/screen-link",
            data={"household_device": "kiosk-1", "csrf_token": token},
            timeout=5,
        ).text
        links.append(re.search(r'id="screen-link">([^<]+)<', page).group(1))
    ids = [re.search(r"/screens/([^?]+)\?", link).group(1) for link in links]
    assert all(re.fullmatch(r"display-[A-Za-z0-9]{12}", i) for i in ids)
    assert ids[0] != ids[1]
    assert "kiosk-1-display" not in "".join(links)
