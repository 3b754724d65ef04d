"""The companion screen's language: Accept-Language picks it, ?locale= overrides it."""

import json
import re
import string
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from skill.screens.pair_links import PairLink, kiosk_screen_url
from skill.screens.screen_text import SCREEN_STRINGS_DIR, screen_locales, screen_text
from tests.conftest import Shop
from tests.screens.conftest import SECRET_KEY

KOREAN_BROWSER = {"Accept-Language": "ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7"}


def _labels(locale: str) -> dict[str, str]:
    """Every label of the screen and pairing pages, as "page.key"."""
    pages = json.loads((SCREEN_STRINGS_DIR / f"{locale}.json").read_text("utf-8"))
    return {f"{page}.{key}": text for page, labels in pages.items() for key, text in labels.items()}


def _fields(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def _config(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="config">(.*?)</script>', html, re.S)
    assert found, html[:500]
    return json.loads(found.group(1))


@pytest.fixture
def screen_client(app: Flask, sqlite_shop: Shop) -> FlaskClient:
    """A browser holding screen-1's proof of pairing (opened from a staff link)."""
    client = app.test_client()
    link = PairLink(sqlite_shop.customer_id, "screen-1", timedelta(hours=1))
    assert client.get(kiosk_screen_url("", SECRET_KEY, link)).status_code == 303
    return client


def _page(client: FlaskClient, query: str = "", **headers: str) -> tuple[str, dict]:
    reply = client.get(f"/screens/screen-1{query}", headers=headers)
    assert reply.status_code == 200
    assert "Accept-Language" in reply.headers.get("Vary", "")  # caches keep languages apart
    html = reply.get_data(as_text=True)
    return html, _config(html)


def test_the_screen_ships_in_english_and_korean_with_english_as_the_fallback():
    assert screen_locales() == ("en-US", "ko-KR")


def test_every_screen_locale_has_every_label_with_the_same_fields():
    english = _labels("en-US")
    for locale in screen_locales():
        labels = _labels(locale)
        assert set(labels) == set(english), locale
        assert {k: _fields(v) for k, v in labels.items()} == {
            k: _fields(v) for k, v in english.items()
        }, locale


def test_korean_labels_hold_no_latin_letters_but_the_staff_pages_button():
    shown = [re.sub(r"\{\w+\}", "", label) for label in _labels("ko-KR").values()]
    shown = [label.replace("“Link a kiosk screen”", "") for label in shown]  # as staff see it
    assert [label for label in shown if re.search("[A-Za-z]", label)] == []


def test_korean_names_come_from_the_korean_speech_data():
    text = screen_text("ko-KR")
    assert text.products["GRO-OATMILK"] == "귀리 우유"
    assert text.sizes["large"] == "라지"
    assert text.money["KRW"] == "{amount}원"


def test_a_korean_browser_gets_the_korean_screen(screen_client):
    html, config = _page(screen_client, **KOREAN_BROWSER)
    assert '<html lang="ko-KR">' in html
    assert '<h2 id="cart-title">장바구니</h2>' in html
    assert config["text"]["locale"] == "ko-KR"
    assert config["text"]["labels"]["status_ready"] == "준비 완료"


def test_a_browser_asking_for_plain_korean_gets_ko_kr(screen_client):
    _, config = _page(screen_client, **{"Accept-Language": "ko"})
    assert config["text"]["locale"] == "ko-KR"


def test_a_browser_without_a_shipped_language_gets_english(screen_client):
    html, config = _page(screen_client, **{"Accept-Language": "fr-FR,fr;q=0.9"})
    assert config["text"]["locale"] == "en-US"
    assert '<h2 id="cart-title">Cart</h2>' in html


def test_the_locale_parameter_overrides_the_browser(screen_client):
    _, config = _page(screen_client, "?locale=ko-KR", **{"Accept-Language": "en-US"})
    assert config["text"]["locale"] == "ko-KR"
    _, config = _page(screen_client, "?locale=en-US", **KOREAN_BROWSER)
    assert config["text"]["locale"] == "en-US"


@pytest.mark.parametrize("asked", ["fr-FR", "../en-US", ""])
def test_a_locale_parameter_the_screen_does_not_ship_falls_back_to_the_browser(
    screen_client, asked
):
    _, config = _page(screen_client, f"?locale={asked}", **KOREAN_BROWSER)
    assert config["text"]["locale"] == "ko-KR"


def test_an_unpaired_korean_screen_shows_its_code_in_korean(app):
    reply = app.test_client().get("/screens/hall-display", headers=KOREAN_BROWSER)
    html = reply.get_data(as_text=True)
    assert '<html lang="ko-KR">' in html
    said = re.search(r'<p class="say">(.*?)</p>', html, re.S)
    assert said and re.fullmatch(r"“화면 코드 <span id=\"pair-code\".*>\d{4}</span>”", said[1])
    assert "분쯤 쓸 수 있어요" in html
    assert "<code>/screens/hall-display?pair=&lt;링크 토큰&gt;</code> 주소를 여세요" in html


def test_an_unpaired_english_screen_reads_as_before(app):
    html = app.test_client().get("/screens/hall-display").get_data(as_text=True)
    assert "To show your cart and orders here, say to your Alexa or kiosk:" in html
    assert re.search(r"“pair screen <span id=\"pair-code\"[^>]*>\d{4}</span>”", html)
    assert "Open <code>/screens/hall-display?pair=&lt;link token&gt;</code> instead" in html
    assert "Screen id: <code>hall-display</code>" in html


def test_a_broken_pairing_link_is_explained_in_the_browsers_language(app):
    reply = app.test_client().get("/screens/hall-display?pair=forged", headers=KOREAN_BROWSER)
    assert reply.status_code == 403
    assert "<code>?pair=</code> 없이 이 화면을 열고" in reply.get_data(as_text=True)


def test_a_pairing_link_with_a_locale_keeps_it_after_pairing(app, sqlite_shop):
    url = kiosk_screen_url(
        "", SECRET_KEY, PairLink(sqlite_shop.customer_id, "hall-display", timedelta(hours=1))
    )
    reply = app.test_client().get(f"{url}&locale=ko-KR")
    assert reply.status_code == 303
    assert reply.headers["Location"].endswith("/screens/hall-display?locale=ko-KR")


def test_a_screen_paired_on_another_browser_says_so_in_the_browsers_language(
    app, screen_client
):
    reply = app.test_client().get("/screens/screen-1", headers=KOREAN_BROWSER)
    html = reply.get_data(as_text=True)
    assert reply.status_code == 403
    assert '<html lang="ko-KR">' in html
    assert "화면 <code>screen-1</code>은 다른 브라우저에서" in html
    assert '<a href="/screens/">새 화면</a>' in html
