"""The dashboard in headless Chromium (Debian's) with playwright: sign in, read, screenshot."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from backend.clock import utcnow
from backend.persistence.models import ConversationTurn, TurnOutcome
from backend.runtime import Backend
from tests.analytics.conftest import Talk
from tests.analytics.test_dashboard import have_conversations
from tests.screens.conftest import STAFF_TOKEN, make_app
from tests.support.chromium import headless_chromium
from tests.support.http_server import serve_wsgi

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ARTIFACT = ROOT / "test-artifacts" / "dashboard.png"
README_SHOT = ROOT / "docs" / "screenshots" / "dashboard.png"
HISTORY_DAYS = 6
# Per earlier day: (sessions, with a cart, asked to confirm, ordered); each stage within the last.
HISTORY = [(5 + d % 3, 4 + d % 2, 3, 2 + d % 2) for d in range(1, HISTORY_DAYS + 1)]


def history_session(n: int, carts: int, confirmed: int, ordered: int) -> list[ConversationTurn]:
    """One earlier session as the skill would have logged it: open, maybe add, confirm, order."""
    steps = [("LaunchRequest", None, TurnOutcome.ANSWERED)]
    if n % 4 == 3:
        steps.append(("IntentRequest", "AMAZON.FallbackIntent", TurnOutcome.FALLBACK))
    if n < carts:
        steps.append(("IntentRequest", "AddToCartIntent", TurnOutcome.ANSWERED))
    if n < confirmed:
        steps.append(("IntentRequest", "CheckoutIntent", TurnOutcome.ANSWERED))
    last = n < ordered
    steps.append(
        ("IntentRequest", "AMAZON.YesIntent", TurnOutcome.ORDER_PLACED)
        if last
        else ("IntentRequest", "AMAZON.StopIntent", TurnOutcome.ENDED)
    )
    cart = 2 if n < carts else 0
    return [
        ConversationTurn(
            request_type=request_type,
            intent=intent,
            outcome=outcome,
            duration_ms=18 + 7 * i + n % 5,
            order_placed=outcome == TurnOutcome.ORDER_PLACED,
            cart_items=0 if outcome == TurnOutcome.ORDER_PLACED else (cart if i >= 1 else 0),
            cart_added=intent == "AddToCartIntent",
            confirmation_asked=intent == "CheckoutIntent",
        )
        for i, (request_type, intent, outcome) in enumerate(steps)
    ]


def add_history(backend: Backend) -> None:
    """Earlier days' sessions, written straight to the log so the chart has a shape."""
    now = utcnow()
    with backend.uow() as uow:
        for days_back, (sessions, carts, confirmed, ordered) in enumerate(HISTORY, start=1):
            for n in range(sessions):
                started = now - timedelta(days=days_back, minutes=n * 7)
                for i, turn in enumerate(history_session(n, carts, confirmed, ordered)):
                    turn.at = started + timedelta(seconds=20 * i)
                    turn.session_id = f"history-{days_back}-{n}"
                    uow.session.add(turn)
        uow.commit()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with headless_chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def server(sqlite_backend: Backend, talk: Talk) -> Iterator[str]:
    add_history(sqlite_backend)
    have_conversations(talk)  # today: 3 sessions, 2 with a cart, 1 confirmed, 1 order
    with serve_wsgi(make_app(sqlite_backend)) as base_url:
        yield base_url


def test_signed_in_staff_see_the_funnel_and_the_daily_chart(page: Page, server: str):
    page.goto(f"{server}/dashboard")
    page.fill("#token", STAFF_TOKEN)
    page.click("button[type=submit]")

    expected = {
        "sessions": 3 + sum(h[0] for h in HISTORY),
        "cart": 2 + sum(h[1] for h in HISTORY),
        "confirmation": 1 + sum(h[2] for h in HISTORY),
        "order": 1 + sum(h[3] for h in HISTORY),
    }
    for stage, count in expected.items():
        bar = page.locator(f'#funnel-chart .funnel-stage[data-stage="{stage}"]')
        expect(bar.locator("text.count")).to_contain_text(f"{count} ·")
        expect(bar.locator("rect")).to_be_visible()
    days = page.locator("#daily-chart g.day")
    expect(days).to_have_count(8)  # 7 × 24 h reach back over 8 UTC days
    expect(days.last).to_have_attribute("data-sessions", "3")
    expect(days.last.locator("rect.orders")).to_be_visible()
    conversion = f"{expected['order'] / expected['sessions'] * 100:.1f}%"
    expect(page.locator('.tile[data-metric="conversion"] .tile-value')).to_have_text(conversion)

    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACT), full_page=True)
    assert ARTIFACT.stat().st_size > 10_000
    if os.environ.get("VCOM_UPDATE_SCREENSHOTS") == "1":  # a test run leaves tracked files alone
        README_SHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ARTIFACT, README_SHOT)
