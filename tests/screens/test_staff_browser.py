"""The staff board and a kiosk's display in headless Chromium: live, coloured, announced."""

import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from backend.persistence.models import Customer, Fulfilment
from backend.services import carts, walk_ins
from backend.services.customers import create_customer
from backend.services.orders import advance_order, place_order
from skill.screens.pair_links import PairLink, kiosk_screen_url
from tests.screens.conftest import SECRET_KEY, STAFF_TOKEN
from tests.support.chromium import headless_chromium

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screens"
SHOTS = ROOT / "docs" / "screenshots"
DESK = {"width": 1280, "height": 800}
DISPLAY = "counter-1-display"
HOUR = timedelta(hours=1)
# The staff stylesheet's colours (skill/static/style.css), as the browser computes them.
STATUS_COLOURS = {
    "placed": "rgb(37, 99, 235)",
    "accepted": "rgb(124, 58, 237)",
    "preparing": "rgb(217, 119, 6)",
    "ready": "rgb(22, 163, 74)",
    "out_for_delivery": "rgb(8, 145, 178)",
}


@pytest.fixture(scope="module")
def browser():
    with headless_chromium() as launched:
        yield launched


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESK, device_scale_factor=1)
    opened = context.new_page()
    yield opened
    context.close()


def sign_in(page: Page, server: str) -> None:
    page.goto(f"{server}/staff")
    page.fill("input[name=token]", STAFF_TOKEN)
    page.click("button[type=submit]")
    expect(page.locator("#live")).to_have_text("Live")


def order_for(shop, customer_id: int, sku: str, quantity: int = 1):
    carts.add_item(shop.uow(), customer_id, sku, quantity)
    return place_order(shop.uow(), customer_id)


def save(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if os.environ.get("VCOM_UPDATE_SCREENSHOTS") == "1":  # a test run never rewrites them
        SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, SHOTS / f"{name}.png")


def test_a_new_order_appears_on_the_staff_board_without_a_reload(page, server, sqlite_shop):
    sign_in(page, server)
    expect(page.locator(".order-card")).to_have_count(0)
    order = order_for(sqlite_shop, sqlite_shop.customer_id, "GRO-EGGS", 2)
    card = page.locator(f'.order-card[data-number="{order.number}"]')
    expect(card).to_be_visible(timeout=2000)
    expect(card.locator(".customer")).to_have_text("Demo Household")
    expect(card.locator(".lines")).to_contain_text("2 × eggs")


def test_a_status_change_elsewhere_recolours_the_card_and_its_buttons(page, server, sqlite_shop):
    order = order_for(sqlite_shop, sqlite_shop.customer_id, "GRO-EGGS")
    sign_in(page, server)
    card = page.locator(f'.order-card[data-number="{order.number}"]')
    badge = card.locator(".status")
    expect(badge).to_have_css("background-color", STATUS_COLOURS["placed"])
    advance_order(sqlite_shop.uow(), order.number, to=None)
    advance_order(sqlite_shop.uow(), order.number, to=None)
    expect(card).to_have_attribute("data-status", "preparing", timeout=2000)
    expect(badge).to_have_css("background-color", STATUS_COLOURS["preparing"])
    expect(card.locator("button")).to_have_text(["Ready for pickup"])


def test_each_status_has_its_own_colour_and_the_board_is_pictured(page, server, sqlite_shop):
    office = create_customer(
        sqlite_shop.uow(), "Office 3F", fulfilment=Fulfilment.DELIVERY,
        delivery_address="3F, 12 Main Street",
    )
    walk_in = walk_ins.start_walk_in(sqlite_shop.uow(), "counter-1")
    placed = order_for(sqlite_shop, walk_in.customer.id, "COF-LATTE", 2)
    accepted = order_for(sqlite_shop, sqlite_shop.customer_id, "GRO-EGGS")
    advance_order(sqlite_shop.uow(), accepted.number, to=None)
    preparing = order_for(sqlite_shop, sqlite_shop.customer_id, "GRO-BANANAS", 3)
    for _ in range(2):
        advance_order(sqlite_shop.uow(), preparing.number, to=None)
    ready = order_for(sqlite_shop, sqlite_shop.customer_id, "GRO-APPLES", 4)
    for _ in range(3):
        advance_order(sqlite_shop.uow(), ready.number, to=None)
    delivering = order_for(sqlite_shop, office.id, "GRO-OATMILK", 6)
    for _ in range(3):
        advance_order(sqlite_shop.uow(), delivering.number, to=None)
    sign_in(page, server)
    assert len(set(STATUS_COLOURS.values())) == len(STATUS_COLOURS)
    for status, colour in STATUS_COLOURS.items():
        badge = page.locator(f'.order-card[data-status="{status}"] .status')
        expect(badge).to_have_css("background-color", colour)
    expect(page.locator(f'.order-card[data-number="{placed.number}"] .customer')).to_have_text(
        f"Walk-in {walk_in.session_id} at counter-1"
    )
    save(page, "staff-board")


def test_a_kiosk_display_shows_the_ready_notice_and_follows_the_next_customer(
    page, server, sqlite_shop
):
    first = walk_ins.start_walk_in(sqlite_shop.uow(), "counter-1")
    page.set_viewport_size({"width": 1024, "height": 600})
    # Paired by a staff link, as a kiosk display is: its proof then follows the kiosk.
    page.goto(kiosk_screen_url(server, SECRET_KEY, PairLink(first.customer.id, DISPLAY, HOUR)))
    expect(page.locator("#live")).to_have_text("Live")
    order = order_for(sqlite_shop, first.customer.id, "COF-LATTE")
    for _ in range(3):
        advance_order(sqlite_shop.uow(), order.number, to=None)
    walk_ins.post_notice(
        sqlite_shop.uow(), "counter-1",
        {"text": f"Order {order.number} is ready for pickup", "order": order.number},
    )
    expect(page.locator("#notice")).to_have_text(
        f"Order {order.number} is ready for pickup", timeout=2000
    )
    save(page, "kiosk-ready-notice")
    carts.add_item(sqlite_shop.uow(), first.customer.id, "GRO-EGGS", 1)
    second = walk_ins.start_walk_in(sqlite_shop.uow(), "counter-1")
    expect(page.locator(".household")).to_have_text(
        f"Walk-in {second.session_id} at counter-1", timeout=3000
    )
    expect(page.locator("#cart-empty")).to_be_visible()
    expect(page.locator("#order-none")).to_be_visible()


def test_a_delivery_customer_is_never_offered_ready_for_pickup(page, server, sqlite_shop):
    with sqlite_shop.uow() as uow:
        uow.session.get(Customer, sqlite_shop.customer_id).fulfilment = Fulfilment.DELIVERY
        uow.commit()
    order = order_for(sqlite_shop, sqlite_shop.customer_id, "GRO-EGGS")
    for _ in range(2):
        advance_order(sqlite_shop.uow(), order.number, to=None)
    sign_in(page, server)
    buttons = page.locator(f'.order-card[data-number="{order.number}"] button')
    expect(buttons).to_have_text(["Out for delivery"])
