"""The staff board: customer, items, total, shop-time times, moves that fit, a live stream."""

import html
import re
import threading
import time
from itertools import islice
from zoneinfo import ZoneInfo

import pytest
import requests

from backend.persistence.models import Customer, Fulfilment
from backend.runtime import Backend
from backend.services import carts, walk_ins
from backend.services.orders import advance_order, place_order
from backend.services.pairing import household_of
from skill.asgi import ServingApp
from skill.settings import SkillSettings
from skill.staff.auth import STAFF_TOKEN_CONFIG
from skill.staff.board import board
from skill.web import create_app
from tests.screens.conftest import SECRET_KEY, STAFF_TOKEN, make_app
from tests.screens.sse import _messages
from tests.screens.test_staff_view import signed_in
from tests.support.asgi_server import serve_asgi
from tests.support.http_server import serve_wsgi

SEOUL = ZoneInfo("Asia/Seoul")


@pytest.fixture
def order(sqlite_shop):
    carts.add_item(sqlite_shop.uow(), sqlite_shop.customer_id, "GRO-EGGS", 2)
    return place_order(sqlite_shop.uow(), sqlite_shop.customer_id)


def test_each_order_shows_its_customer_items_and_total(sqlite_shop, order):
    [row] = board(Backend(sqlite_shop.store, sqlite_shop.hub), ZoneInfo("UTC"))
    assert row.customer == "Demo Household"
    assert [(line.quantity, line.name) for line in row.lines] == [(2, "eggs (dozen)")]
    assert row.total == f"${order.total_minor // 100}.{order.total_minor % 100:02d}"


def test_times_are_in_the_shops_time_zone(sqlite_shop, order):
    [row] = board(Backend(sqlite_shop.store, sqlite_shop.hub), SEOUL)
    assert row.placed_at == order.placed_at.astimezone(SEOUL).strftime("%H:%M")
    assert order.eta is not None and row.eta == order.eta.astimezone(SEOUL).strftime("%H:%M")


def test_a_pickup_order_being_prepared_is_offered_ready_never_out_for_delivery(
    sqlite_shop, order
):
    advance_order(sqlite_shop.uow(), order.number, to=None)
    advance_order(sqlite_shop.uow(), order.number, to=None)
    [row] = board(Backend(sqlite_shop.store, sqlite_shop.hub), SEOUL)
    assert row.status == "preparing"
    assert [value for value, _label in row.actions] == ["ready"]


def test_a_delivery_order_being_prepared_is_offered_out_for_delivery_only(sqlite_shop):
    with sqlite_shop.uow() as uow:
        uow.session.get(Customer, sqlite_shop.customer_id).fulfilment = Fulfilment.DELIVERY
        uow.commit()
    carts.add_item(sqlite_shop.uow(), sqlite_shop.customer_id, "GRO-EGGS", 1)
    placed = place_order(sqlite_shop.uow(), sqlite_shop.customer_id)
    advance_order(sqlite_shop.uow(), placed.number, to=None)
    advance_order(sqlite_shop.uow(), placed.number, to=None)
    [row] = board(Backend(sqlite_shop.store, sqlite_shop.hub), SEOUL)
    assert [value for value, _label in row.actions] == ["out_for_delivery"]


def test_the_page_refuses_out_for_delivery_for_a_pickup_order(server, sqlite_shop, order):
    advance_order(sqlite_shop.uow(), order.number, to=None)
    advance_order(sqlite_shop.uow(), order.number, to=None)
    browser, token = signed_in(server)
    reply = browser.post(
        f"{server}/staff/orders/{order.number}/status",
        data={"status": "out_for_delivery", "csrf_token": token},
        timeout=5,
    )
    assert reply.status_code == 409
    assert "cannot be marked out for delivery" in reply.text


def test_the_page_names_the_shops_time_zone(backend, sqlite_shop, order):
    seoul = create_app(backend, SkillSettings(timezone=SEOUL))
    seoul.secret_key = SECRET_KEY
    seoul.config[STAFF_TOKEN_CONFIG] = STAFF_TOKEN
    with serve_wsgi(seoul) as server:
        browser, _token = signed_in(server)
        page = browser.get(f"{server}/staff", timeout=5).text
    assert "Times are Asia/Seoul." in page
    assert order.placed_at.astimezone(SEOUL).strftime("%H:%M") in page


def test_the_event_stream_and_the_list_need_a_signed_in_staff_member(server):
    assert requests.get(f"{server}/staff/events", timeout=5).status_code == 403
    assert requests.get(f"{server}/staff/orders", timeout=5).status_code == 403


def test_the_staff_stream_carries_every_households_order_events(server, sqlite_shop):
    browser, _token = signed_in(server)
    walk_in = walk_ins.start_walk_in(sqlite_shop.uow(), "counter-1")
    after = sqlite_shop.hub.latest_id()

    def two_orders():
        for customer_id in (sqlite_shop.customer_id, walk_in.customer.id):
            carts.add_item(sqlite_shop.uow(), customer_id, "GRO-EGGS", 1)
            place_order(sqlite_shop.uow(), customer_id)

    timer = threading.Timer(0.3, two_orders)
    timer.start()
    with browser.get(f"{server}/staff/events?after={after}", stream=True, timeout=5) as stream:
        messages = islice(_messages(stream, []), 2)
        kinds = [(m.event, m.data["order"]["number"]) for m in messages]
    timer.join()
    assert kinds == [("order_placed", "A-100"), ("order_placed", "A-101")]


def test_the_staff_stream_catches_up_on_order_events_only_from_after(server, sqlite_shop):
    browser, _token = signed_in(server)
    after = sqlite_shop.hub.latest_id()
    carts.add_item(sqlite_shop.uow(), sqlite_shop.customer_id, "GRO-EGGS", 1)
    placed = place_order(sqlite_shop.uow(), sqlite_shop.customer_id)
    with browser.get(f"{server}/staff/events?after={after}", stream=True, timeout=5) as stream:
        [message] = islice(_messages(stream, []), 1)
    assert (message.event, message.data["order"]["number"]) == ("order_placed", placed.number)


def test_a_signed_out_session_cannot_open_the_staff_stream_even_with_a_copied_cookie(server):
    browser, token = signed_in(server)
    copied = requests.Session()
    copied.cookies.update(browser.cookies)
    browser.post(f"{server}/staff/logout", data={"csrf_token": token}, timeout=5)
    assert copied.get(f"{server}/staff/events", timeout=5).status_code == 403


def test_open_staff_streams_hold_no_request_thread(backend):
    app = make_app(backend)
    with serve_asgi(ServingApp(app, threads=1)) as base_url:
        browser, _token = signed_in(base_url)
        streams = [
            browser.get(f"{base_url}/staff/events", stream=True, timeout=5) for _ in range(4)
        ]
        try:
            assert all(stream.status_code == 200 for stream in streams)
            started = time.perf_counter()
            assert requests.get(f"{base_url}/healthz", timeout=5).status_code == 200
            assert time.perf_counter() - started < 1.0
        finally:
            for stream in streams:
                stream.close()


def test_a_kiosk_serving_walk_ins_gets_a_screen_link_that_follows_its_customers(
    server, sqlite_shop
):
    browser, token = signed_in(server)
    page = browser.post(
        f"{server}/staff/screen-link",
        data={"household_device": "counter-1", "csrf_token": token},
        timeout=5,
    ).text
    found = re.search(r'id="screen-link">([^<]+/screens/(display-\w{12})\?pair=[^<]+)<', page)
    assert found, "the link names a new random screen id, not a guessable one"
    shown = requests.get(html.unescape(found.group(1)), timeout=5)
    assert shown.status_code == 200 and " at counter-1" in shown.text
    walk_in = walk_ins.current_customer(sqlite_shop.uow(), "counter-1")
    assert household_of(sqlite_shop.uow(), found.group(2)) == walk_in
