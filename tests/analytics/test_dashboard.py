"""GET /dashboard over real HTTP: the staff token guards it; it shows the funnel and the charts."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests
from flask import Flask

from backend.runtime import Backend
from skill.staff.auth import STAFF_TOKEN_CONFIG
from tests.analytics.conftest import Talk
from tests.screens.conftest import STAFF_TOKEN, make_app
from tests.support.http_server import serve_wsgi

BEARER = {"Authorization": f"Bearer {STAFF_TOKEN}"}


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def have_conversations(talk: Talk) -> None:
    """Three sessions: one orders, one only fills the cart, one is not understood."""
    buyer = talk(user_id="amzn1.ask.account.BUYER")
    for step in ("launch", "add_oat_milk_resolved", "checkout", "checkout_confirmed"):
        buyer.say(step)
    talk(user_id="amzn1.ask.account.BROWSER").say("add_large_latte")
    talk(user_id="amzn1.ask.account.LOST").say("fallback")


@pytest.fixture
def app(sqlite_backend: Backend) -> Flask:
    return make_app(sqlite_backend)


@pytest.fixture
def server(app: Flask, talk: Talk) -> Iterator[str]:
    have_conversations(talk)
    with serve_wsgi(app) as base_url:
        yield base_url


def stage_counts(html: str) -> dict[str, int]:
    found = re.findall(r'data-stage="(\w+)" data-count="(\d+)"', html)
    return {stage: int(count) for stage, count in found}


def test_without_the_token_the_dashboard_asks_to_sign_in(server):
    reply = requests.get(f"{server}/dashboard", timeout=5)
    assert reply.status_code == 401
    assert 'name="token"' in reply.text
    assert "funnel-chart" not in reply.text


def test_a_wrong_bearer_token_is_refused(server):
    reply = requests.get(
        f"{server}/dashboard", headers={"Authorization": "Bearer not-it"}, timeout=5
    )
    assert reply.status_code == 401
    assert "funnel-chart" not in reply.text


def test_without_a_configured_token_the_dashboard_is_off(app, server):
    app.config[STAFF_TOKEN_CONFIG] = None
    reply = requests.get(f"{server}/dashboard", headers=BEARER, timeout=5)
    assert reply.status_code == 503
    assert "VCOM_STAFF_TOKEN" in reply.text


def test_the_bearer_token_shows_the_funnel_numbers(server):
    reply = requests.get(f"{server}/dashboard", headers=BEARER, timeout=5)
    assert reply.status_code == 200
    assert stage_counts(reply.text) == {"sessions": 3, "cart": 2, "confirmation": 1, "order": 1}
    assert reply.headers["Cache-Control"] == "no-store"


def test_signing_in_with_the_token_opens_the_dashboard(server):
    browser = requests.Session()
    login = browser.get(f"{server}/dashboard?since=24h", timeout=5)
    reply = browser.post(
        f"{server}/dashboard/login",
        data={"token": STAFF_TOKEN, "csrf_token": csrf(login.text), "since": "24h"},
        timeout=5,
    )
    assert reply.status_code == 200
    assert reply.url.endswith("/dashboard?since=24h")
    assert 'id="daily-chart"' in reply.text


def test_the_sign_in_form_keeps_the_range_that_was_asked_for(server):
    login = requests.get(f"{server}/dashboard?since=24h", timeout=5)
    assert '<input type="hidden" name="since" value="24h">' in login.text


def test_a_sign_in_without_the_forms_csrf_token_is_refused(server):
    reply = requests.post(f"{server}/dashboard/login", data={"token": STAFF_TOKEN}, timeout=5)
    assert reply.status_code == 400


def test_a_wrong_token_at_sign_in_is_refused(server):
    browser = requests.Session()
    login = browser.get(f"{server}/dashboard", timeout=5)
    reply = browser.post(
        f"{server}/dashboard/login",
        data={"token": "guess", "csrf_token": csrf(login.text)},
        timeout=5,
    )
    assert reply.status_code == 403
    assert "funnel-chart" not in reply.text


def test_staff_signed_in_at_staff_can_open_the_dashboard(server):
    browser = requests.Session()
    login = browser.get(f"{server}/staff", timeout=5)
    browser.post(
        f"{server}/staff/login",
        data={"token": STAFF_TOKEN, "csrf_token": csrf(login.text)},
        timeout=5,
    )
    assert browser.get(f"{server}/dashboard", timeout=5).status_code == 200


def test_the_metrics_tiles_show_the_rates(server):
    html = requests.get(f"{server}/dashboard", headers=BEARER, timeout=5).text
    tile = re.search(r'data-metric="conversion">.*?tile-value">([^<]+)<', html, re.S)
    assert tile and tile.group(1) == "33.3%"
    fallback = re.search(r'data-metric="fallback">.*?tile-value">([^<]+)<', html, re.S)
    assert fallback and fallback.group(1) == "16.7%"  # 1 of 6 turns


def test_the_daily_chart_has_one_column_per_day_with_todays_counts(server):
    html = requests.get(f"{server}/dashboard?since=30d", headers=BEARER, timeout=5).text
    days = re.findall(r'class="day" data-day="([\d-]+)" data-sessions="(\d+)"', html)
    assert len(days) == 31
    assert days[-1][1] == "3"


def test_an_unreadable_range_falls_back_to_seven_days_and_says_so(server):
    reply = requests.get(f"{server}/dashboard?since=forever", headers=BEARER, timeout=5)
    assert reply.status_code == 400
    assert "is not a time span" in reply.text
    assert 'id="funnel-chart"' in reply.text


def test_a_range_reaching_back_centuries_is_refused_quickly(server):
    import time

    started = time.monotonic()
    reply = requests.get(f"{server}/dashboard?since=0001-01-01", headers=BEARER, timeout=10)
    assert reply.status_code == 400
    assert "at most 366 days" in reply.text
    assert time.monotonic() - started < 2
