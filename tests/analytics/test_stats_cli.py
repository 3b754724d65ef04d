"""`vcom stats` in a real process, on a store the skill has talked to."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from backend.runtime import open_backend
from tests.analytics.conftest import start_talking

VCOM = [sys.executable, "-m", "vcom"]


def vcom(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VCOM_DATABASE_URL": url}
    return subprocess.run(
        [*VCOM, *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture
def talked_url(seeded_sqlite_url: str) -> str:
    """Two sessions: one orders after three turns, one adds and leaves."""
    backend = open_backend(seeded_sqlite_url)
    talk = start_talking(backend)
    buyer = talk(user_id="amzn1.ask.account.BUYER")
    for step in ("add_oat_milk_resolved", "checkout", "checkout_confirmed"):
        buyer.say(step)
    browser = talk(user_id="amzn1.ask.account.BROWSER")
    for step in ("add_large_latte", "fallback", "stop"):
        browser.say(step)
    backend.store.dispose()
    return seeded_sqlite_url


def test_stats_prints_every_metric(talked_url):
    result = vcom(talked_url, "stats", "--since", "24h")
    assert result.returncode == 0, result.stderr
    for line in (
        "Conversion rate                50.0%   (1 of 2 sessions placed an order)",
        "Cart abandonment               50.0%",
        "Average turns to an order        3.0",
        "Fallback rate                  16.7%   (1 of 6 turns not understood)",
        "Funnel: 2 sessions → 2 with a cart → 1 asked to confirm → 1 ordered",
        "AddToCartIntent                 100.0%   (2 of 2)",
    ):
        assert line in result.stdout
    assert "Average response time" in result.stdout


def test_stats_json_parses_and_holds_the_same_numbers(talked_url):
    result = vcom(talked_url, "stats", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["conversion_rate"] == {"value": 0.5, "numerator": 1, "denominator": 2}
    assert report["funnel"] == {"sessions": 2, "cart": 2, "confirmation": 1, "order": 1}
    assert report["average_turns_to_order"] == 3.0
    assert len(report["daily"]) == 8  # --since 7d touches 8 UTC days
    assert report["average_response_ms"] > 0


def test_a_bad_since_is_a_usage_error_without_a_traceback(talked_url):
    result = vcom(talked_url, "stats", "--since", "last tuesday")
    assert result.returncode == 2
    assert "7d, 24h or 90m" in result.stderr
    assert "Traceback" not in result.stderr


def test_control_characters_in_intent_names_are_printed_escaped(seeded_sqlite_url):
    from backend.clock import utcnow
    from backend.persistence.models import ConversationTurn, TurnOutcome

    hostile = "Evil\x1b[2J\nIntent\u202e\x07"
    backend = open_backend(seeded_sqlite_url)
    with backend.uow() as uow:
        uow.session.add(
            ConversationTurn(
                at=utcnow(),
                session_id="s-1",
                request_type="IntentRequest",
                intent=hostile,
                outcome=TurnOutcome.ANSWERED,
                duration_ms=5,
            )
        )
        uow.commit()
    backend.store.dispose()
    result = vcom(seeded_sqlite_url, "stats", "--since", "24h")
    assert result.returncode == 0, result.stderr
    assert "Evil\\x1b[2J\\nIntent\\u202e\\x07" in result.stdout
    assert not any(char in result.stdout for char in "\x1b\u202e\x07")
