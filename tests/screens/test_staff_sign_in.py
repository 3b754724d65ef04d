"""Staff sign-in: wrong tokens lock a client out, signing out ends the session everywhere,
cookies are Secure and HSTS is sent over HTTPS, and a weak token is refused at start."""

import subprocess
import sys

import requests

from skill.staff.auth import token_weakness
from tests.screens.conftest import STAFF_TOKEN
from tests.screens.test_staff_view import csrf, signed_in


def wrong_login(browser: requests.Session, server: str, token: str = "a-wrong-guess") -> int:
    form = browser.get(f"{server}/staff", timeout=5)
    return browser.post(
        f"{server}/staff/login",
        data={"token": token, "csrf_token": csrf(form.text)},
        timeout=5,
    ).status_code


def test_after_five_wrong_tokens_even_the_right_one_is_refused_for_a_while(server):
    browser = requests.Session()
    assert [wrong_login(browser, server) for _ in range(5)] == [403] * 5
    form = browser.get(f"{server}/staff", timeout=5)
    reply = browser.post(
        f"{server}/staff/login",
        data={"token": STAFF_TOKEN, "csrf_token": csrf(form.text)},
        timeout=5,
    )
    assert reply.status_code == 429
    assert int(reply.headers["Retry-After"]) > 0
    assert "Try again in 15 minutes" in reply.text


def test_wrong_bearer_tokens_on_the_dashboard_lock_out_too(server):
    for _ in range(5):
        wrong = requests.get(
            f"{server}/dashboard", headers={"Authorization": "Bearer guess"}, timeout=5
        )
        assert wrong.status_code == 401
    right = requests.get(
        f"{server}/dashboard", headers={"Authorization": f"Bearer {STAFF_TOKEN}"}, timeout=5
    )
    assert right.status_code == 429


def test_wrong_tokens_on_the_dashboard_count_for_staff_sign_in(server):
    for _ in range(5):
        requests.get(f"{server}/dashboard", headers={"Authorization": "Bearer guess"}, timeout=5)
    assert wrong_login(requests.Session(), server, STAFF_TOKEN) == 429


def test_a_session_cookie_copied_before_sign_out_no_longer_works_after_it(server):
    browser, token = signed_in(server)
    copied = browser.cookies.get("session")
    browser.post(f"{server}/staff/logout", data={"csrf_token": token}, timeout=5)
    thief = requests.Session()
    thief.cookies.set("session", copied)
    page = thief.get(f"{server}/staff", timeout=5).text
    assert 'name="token"' in page and "open orders" not in page
    dashboard = thief.get(f"{server}/dashboard", timeout=5)
    assert dashboard.status_code == 401


def test_over_https_the_session_cookie_is_secure_and_hsts_is_sent(app):
    client = app.test_client()
    login = client.get("/staff", base_url="https://shop.example")
    reply = client.post(
        "/staff/login",
        base_url="https://shop.example",
        data={"token": STAFF_TOKEN, "csrf_token": csrf(login.get_data(as_text=True))},
    )
    assert reply.status_code == 303
    assert "Secure" in reply.headers["Set-Cookie"]
    assert reply.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_over_plain_http_there_is_no_hsts(server):
    assert "Strict-Transport-Security" not in requests.get(f"{server}/staff", timeout=5).headers


def test_short_or_repetitive_tokens_are_too_weak():
    assert token_weakness("hunter2")
    assert token_weakness("a" * 40)
    assert token_weakness(STAFF_TOKEN) is None


def test_vcom_serve_refuses_a_weak_staff_token_before_serving(tmp_path, seeded_sqlite_url):
    import os

    env = {**os.environ, "VCOM_DATABASE_URL": seeded_sqlite_url, "VCOM_STAFF_TOKEN": "hunter2"}
    done = subprocess.run(
        [sys.executable, "-m", "vcom", "serve", "--port", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "VCOM_STAFF_TOKEN is too weak" in done.stderr
    assert "Alexa endpoint" not in done.stdout  # refused before the banner
