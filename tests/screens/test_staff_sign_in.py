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


def self_signed(tmp_path):
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    certfile, keyfile = tmp_path / "cert.pem", tmp_path / "key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certfile, keyfile


def test_under_certfile_the_session_cookie_is_secure_and_hsts_is_sent(tmp_path, seeded_sqlite_url):
    import os
    import time
    import warnings

    from tests.support.load import free_port

    certfile, keyfile = self_signed(tmp_path)
    port = free_port()
    env = {**os.environ, "VCOM_DATABASE_URL": seeded_sqlite_url, "VCOM_STAFF_TOKEN": STAFF_TOKEN}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "vcom",
            "serve",
            f"--port={port}",
            "--workers=1",
            f"--certfile={certfile}",
            f"--keyfile={keyfile}",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"https://127.0.0.1:{port}"
    browser = requests.Session()
    # verify=False on each request: our own self-signed certificate (a session-wide setting
    # would lose to REQUESTS_CA_BUNDLE from the environment).
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            deadline = time.monotonic() + 60
            while True:
                try:
                    form = browser.get(f"{base}/staff", timeout=5, verify=False)
                    break
                except requests.exceptions.ConnectionError:
                    assert time.monotonic() < deadline and server.poll() is None
                    time.sleep(0.2)
            reply = browser.post(
                f"{base}/staff/login",
                data={"token": STAFF_TOKEN, "csrf_token": csrf(form.text)},
                timeout=5,
                allow_redirects=False,
                verify=False,
            )
    finally:
        import signal

        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    assert form.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert reply.status_code == 303
    assert "Secure" in reply.headers["Set-Cookie"]
