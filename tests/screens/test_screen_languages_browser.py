"""A Korean kiosk's display in headless Chromium: Korean labels, product names, money and times."""

import dataclasses
import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from backend.catalog_data import CatalogSpec, load_catalog
from backend.services import carts
from backend.services.carts import get_cart
from skill.screens.pair_links import PairLink, kiosk_screen_url
from skill.screens.screen_text import screen_text
from tests.screens.conftest import SECRET_KEY, order_by_voice
from tests.screens.test_browser import ECHO_SHOW, shoot
from tests.support.chromium import headless_chromium

pytestmark = pytest.mark.slow

SHOP = "Corner Shop"
HOUSEHOLD = "Demo Household"
ORDER_NUMBER = re.compile(r"\b[A-Z]{1,2}-\d+\b")


@pytest.fixture
def catalog() -> CatalogSpec:
    """A shop that sells in won, as a Korean shop does."""
    return dataclasses.replace(load_catalog(), currency="KRW")


@pytest.fixture(scope="module")
def browser():
    with headless_chromium() as launched:
        yield launched


@pytest.fixture
def korean_page(browser):
    """A display browser set to Korean: it sends Accept-Language: ko-KR."""
    context = browser.new_context(viewport=ECHO_SHOW, locale="ko-KR")
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def english_page(browser):
    context = browser.new_context(viewport=ECHO_SHOW, locale="en-US")
    opened = context.new_page()
    yield opened
    context.close()


def latin_words(text: str) -> list[str]:
    """Latin words left once the shop's and household's names and order numbers are out."""
    for name in (SHOP, HOUSEHOLD):
        text = text.replace(name, " ")
    return re.findall(r"[A-Za-z]+", ORDER_NUMBER.sub(" ", text))


def open_paired(page: Page, server: str, customer_id: int, query: str = "") -> None:
    """Open screen-1 as a display set up from a staff link (which leaves its proof cookie)."""
    link = PairLink(customer_id, "screen-1", timedelta(hours=1))
    page.goto(kiosk_screen_url(server, SECRET_KEY, link) + query)


def won(minor: int) -> str:
    return f"{minor:,}원"


def test_a_korean_display_shows_a_cart_change_in_korean(korean_page: Page, server, sqlite_shop):
    open_paired(korean_page, server, sqlite_shop.customer_id)
    expect(korean_page.locator("#live")).to_have_text("실시간")
    expect(korean_page.locator("#cart-empty")).to_be_visible()
    expect(korean_page.locator("#cart-total")).to_be_hidden()  # not "$0.00" in a won shop
    carts.add_item(sqlite_shop.uow(), sqlite_shop.customer_id, "GRO-OATMILK", 2)
    carts.add_item(sqlite_shop.uow(), sqlite_shop.customer_id, "COF-LATTE", 1, "large")
    cart = get_cart(sqlite_shop.uow(), sqlite_shop.customer_id)
    lines = korean_page.locator("#cart-lines li")
    expect(lines).to_have_count(2, timeout=2000)
    expect(lines.nth(0)).to_contain_text("2 × 귀리 우유")
    expect(lines.nth(0)).to_contain_text(won(cart.lines[0].total_minor))
    expect(lines.nth(1)).to_contain_text("1 × 라떼 라지")
    expect(korean_page.locator("#cart-total")).to_have_text(won(cart.total_minor))
    expect(korean_page.locator("#cart-title")).to_have_text("장바구니")
    shoot(korean_page, "korean-cart-1024x600")
    assert latin_words(korean_page.locator("body").inner_text()) == []


def test_a_korean_display_shows_an_order_with_korean_status_and_time(
    korean_page: Page, server, sqlite_shop
):
    open_paired(korean_page, server, sqlite_shop.customer_id)
    expect(korean_page.locator("#live")).to_have_text("실시간")
    order_by_voice(server)
    expect(korean_page.locator("#order-number")).to_have_text("주문 A-100", timeout=2000)
    expect(korean_page.locator("#order-status")).to_have_text("접수됨")
    expect(korean_page.locator("#order-lines")).to_contain_text("2 × 귀리 우유")
    # Korean clock times from the browser's Intl: "오후 3:20"; the ETA reads "… 쯤 준비".
    expect(korean_page.locator("#timeline li.current time")).to_have_text(re.compile("^오[전후] "))
    expect(korean_page.locator("#order-eta")).to_have_text(re.compile("^오[전후] .*쯤 준비$"))
    shoot(korean_page, "korean-order-1024x600")
    words = latin_words(korean_page.locator("body").inner_text())
    english = {w for label in vars(screen_text("en-US").labels).values() for w in label.split()}
    assert words == [], english & set(words)


def test_the_locale_parameter_shows_korean_in_an_english_browser(
    english_page: Page, server, sqlite_shop
):
    open_paired(english_page, server, sqlite_shop.customer_id, "&locale=ko-KR")
    expect(english_page.locator("#live")).to_have_text("실시간")
    expect(english_page.locator("#order-title")).to_have_text("주문")
    assert english_page.locator("html").get_attribute("lang") == "ko-KR"


def test_an_english_display_in_a_won_shop_stays_english(english_page: Page, server, sqlite_shop):
    open_paired(english_page, server, sqlite_shop.customer_id)
    expect(english_page.locator("#live")).to_have_text("Live")
    carts.add_item(sqlite_shop.uow(), sqlite_shop.customer_id, "COF-LATTE", 1, "large")
    expect(english_page.locator("#cart-lines li")).to_have_text(re.compile(r"1 × latte \(large\)"))
    expect(english_page.locator("#cart-title")).to_have_text("Cart")


def test_an_unpaired_korean_display_asks_for_its_code_in_korean(korean_page: Page, server):
    korean_page.goto(f"{server}/screens/hall-display")
    expect(korean_page.locator(".say")).to_have_text(re.compile(r"^“화면 코드 \d{4}”$"))
    shoot(korean_page, "korean-pairing-1024x600")
    shown = korean_page.locator("body").inner_text().replace("hall-display", " ")
    assert latin_words(shown) == []
