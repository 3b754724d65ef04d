"""The companion screen in headless Chromium (Debian's), driven by playwright."""

import os
import shutil
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect

from backend.services.orders import advance_order, latest_order
from tests.screens.conftest import order_by_voice
from tests.screens.test_staff_view import signed_in
from tests.support.chromium import headless_chromium

pytestmark = pytest.mark.slow

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"
README_SHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "companion-screen.png"
ECHO_SHOW = {"width": 1024, "height": 600}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser():
    with headless_chromium() as launched:
        yield launched


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=ECHO_SHOW)
    opened = context.new_page()
    yield opened
    context.close()


def open_screen(page: Page, server: str, device: str = "screen-1") -> None:
    """Pairs the page's browser with a staff link (once per browser), then opens the screen."""
    from datetime import timedelta

    from skill.screens.pair_links import PairLink, kiosk_screen_url
    from tests.screens.conftest import SECRET_KEY

    page.goto(kiosk_screen_url(server, SECRET_KEY, PairLink(1, device, timedelta(hours=1))))
    page.goto(f"{server}/screens/{device}")
    expect(page.locator("#live")).to_have_text("Live")


def shoot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def test_an_order_placed_through_alexa_appears_within_a_second(page, server):
    open_screen(page, server)
    order_by_voice(server)
    expect(page.locator("#order-number")).to_have_text("Order A-100", timeout=1000)
    expect(page.locator("#order-lines")).to_contain_text("2 × oat milk", ignore_case=True)
    expect(page.locator("#timeline li.current")).to_have_attribute("data-status", "placed")
    expect(page.locator("#cart-empty")).to_be_visible()


def test_a_staff_status_change_moves_the_timeline_on(page, server):
    order_by_voice(server)
    open_screen(page, server)
    staff, token = signed_in(server)
    for status in ("accepted", "preparing", "ready"):
        staff.post(
            f"{server}/staff/orders/A-100/status",
            data={"status": status, "csrf_token": token},
            timeout=5,
        )
    current = page.locator("#timeline li.current")
    expect(current).to_have_attribute("data-status", "ready", timeout=1000)
    expect(page.locator("#timeline li.done")).to_have_count(3)
    expect(page.locator("#order-status")).to_have_text("Ready for pickup")


def test_a_dropped_connection_catches_up_on_what_it_missed(page, server, sqlite_shop):
    order_by_voice(server)
    open_screen(page, server)
    page.evaluate("window.vcomScreen.disconnect()")
    advance_order(sqlite_shop.uow(), "A-100")
    advance_order(sqlite_shop.uow(), "A-100")
    page.wait_for_timeout(300)
    expect(page.locator("#order-status")).to_have_text("Placed")  # really disconnected
    page.evaluate("window.vcomScreen.connect()")
    expect(page.locator("#order-status")).to_have_text("Preparing", timeout=1000)
    kinds = page.evaluate("window.vcomScreen.received.map(e => e.kind)")
    assert kinds[-2:] == ["order_status", "order_status"]
    ids = page.evaluate("window.vcomScreen.received.map(e => e.id)")
    assert ids == sorted(set(ids))


def test_a_restarted_server_is_caught_up_with(page, backend, sqlite_shop):
    """The stream dies with the server; the page reconnects by itself and gets what it missed."""
    from skill.asgi import ServingApp
    from tests.screens.conftest import make_app
    from tests.support.asgi_server import serve_asgi

    app = make_app(backend)
    with serve_asgi(ServingApp(app)) as first:
        order_by_voice(first)
        open_screen(page, first)
    # Open streams are ended at shutdown (after a second's grace here).
    expect(page.locator("#live")).to_have_text("Reconnecting…", timeout=6000)
    advance_order(sqlite_shop.uow(), "A-100")
    port = int(first.rsplit(":", 1)[1])
    with serve_asgi(ServingApp(app), port):
        expect(page.locator("#order-status")).to_have_text("Accepted", timeout=5000)
        expect(page.locator("#live")).to_have_text("Live")


def test_screenshots_on_an_echo_show_and_a_phone(browser, server, sqlite_shop):
    order_by_voice(server)
    advance_order(sqlite_shop.uow(), "A-100")
    advance_order(sqlite_shop.uow(), "A-100")
    from backend.services import carts

    carts.add_item(sqlite_shop.uow(), sqlite_shop.customer_id, "COF-LATTE", 1, "large")
    carts.add_item(sqlite_shop.uow(), sqlite_shop.customer_id, "GRO-EGGS", 1)
    assert latest_order(sqlite_shop.uow(), sqlite_shop.customer_id).status.value == "preparing"
    for name, viewport in (("echo-show-1024x600", ECHO_SHOW), ("phone-390x844", PHONE)):
        context = browser.new_context(viewport=viewport, device_scale_factor=1)
        page = context.new_page()
        open_screen(page, server)
        expect(page.locator("#cart-lines li")).to_have_count(2)
        # Nothing is cut off sideways; on the Echo Show nothing needs scrolling either.
        width, height = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
        )
        assert width <= viewport["width"]
        if viewport is ECHO_SHOW:
            assert height <= viewport["height"]
        path = shoot(page, name)
        if viewport is ECHO_SHOW and os.environ.get("VCOM_UPDATE_SCREENSHOTS") == "1":
            # Only on request: a test run should not rewrite a tracked file.
            README_SHOT.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, README_SHOT)
        context.close()


def test_a_new_screen_shows_its_code_and_opens_the_household_once_paired(page, server):
    from tests.screens.conftest import say

    page.goto(f"{server}/screens/hall-display")
    code = page.locator("#pair-code").inner_text()
    shoot(page, "pairing-1024x600")
    assert requests.get(f"{server}/healthz", timeout=5).ok
    say(server, "PairScreenIntent", {"code": code}, device_id="kiosk-1")
    expect(page.locator(".household")).to_have_text("Demo Household", timeout=3000)
