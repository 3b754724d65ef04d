"""Open screens never take capacity from Alexa: streams live on the event loop, capped per client.

Against `vcom serve --workers 1 --threads 2` in a real process: before streams moved off the
request threads, two open screens held both threads and /alexa timed out.
"""

import socket
import time

import pytest
import requests

from backend.services.pairing import link_screen
from skill.screens.access import COOKIE_NAME, ScreenProof, proof_cookie
from tests.screens.sse import read_events
from tests.support.load import Client, Household, SignedRequest, serve_skill

SECRET = "secret-key-for-capacity-tests-0123456789"


def open_stream(port: int, device_id: str, cookie: str, source: str = "127.0.0.1") -> socket.socket:
    """A screen's stream held open by a raw socket (from `source`, any 127.x address)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0))
    sock.sendall(
        f"GET /screens/{device_id}/events HTTP/1.1\r\nHost: shop\r\n"
        f"Accept: text/event-stream\r\nCookie: {COOKIE_NAME}={cookie}\r\n\r\n".encode()
    )
    head = sock.recv(4096)
    assert head.startswith(b"HTTP/1.1 200"), head[:200]
    return sock


@pytest.fixture
def served(tmp_path, seeded_sqlite_url):
    served = serve_skill(
        seeded_sqlite_url,
        tmp_path,
        workers=1,
        threads=2,
        extra_env={"VCOM_SECRET_KEY": SECRET},
    )
    yield served
    served.stop()


def screen_cookies(store_url: str, count: int) -> list[tuple[str, str]]:
    from backend.persistence.store import open_store
    from backend.services.customers import find_by_device
    from backend.unit_of_work import UnitOfWork

    store = open_store(store_url)
    try:
        customer = find_by_device(UnitOfWork(store), "kiosk-1").id
        pairs = []
        for n in range(count):
            device = f"wall-{n}"
            link_screen(UnitOfWork(store), device, customer)
            pairs.append((device, proof_cookie(SECRET, ScreenProof(device, customer, 0))))
        return pairs
    finally:
        store.dispose()


def test_open_screens_leave_alexa_and_health_answering_quickly(served, seeded_sqlite_url):
    client = Client(served.base_url, timeout=5)
    household = Household.numbered(1)
    # The worker's first /alexa request loads the signing chain: not what is measured here.
    assert client.post(SignedRequest.of(household.read_cart())).status == 200
    streams = [
        open_stream(served.port, device, cookie, source=f"127.0.0.{2 + n // 20}")
        for n, (device, cookie) in enumerate(screen_cookies(seeded_sqlite_url, 60))
    ]
    try:
        reply = client.post(SignedRequest.of(household.read_cart()))
        assert reply.status == 200 and reply.seconds < 1.0, reply
        started = time.perf_counter()
        health = requests.get(f"{served.base_url}/healthz", timeout=5)
        assert health.status_code == 200 and time.perf_counter() - started < 1.0
    finally:
        for sock in streams:
            sock.close()


def test_one_client_cannot_hold_more_than_its_share_of_streams(served, seeded_sqlite_url):
    pairs = screen_cookies(seeded_sqlite_url, 33)
    streams = [open_stream(served.port, device, cookie) for device, cookie in pairs[:32]]
    try:
        device, cookie = pairs[32]
        refused = requests.get(
            f"{served.base_url}/screens/{device}/events",
            cookies={COOKIE_NAME: cookie},
            timeout=5,
        )
        assert refused.status_code == 429
        assert "Retry-After" in refused.headers
        # Another address is not held up by this one.
        other = open_stream(served.port, device, cookie, source="127.0.0.9")
        other.close()
    finally:
        for sock in streams:
            sock.close()
    # Closed streams are given back: the same client may open one again.
    time.sleep(0.5)
    read = read_events(
        f"{served.base_url}/screens/{device}/events", seconds=0.5, browser=_with_cookie(cookie)
    )
    assert read.comments and read.comments[0] == "connected"


def _with_cookie(cookie: str) -> requests.Session:
    browser = requests.Session()
    browser.cookies.set(COOKIE_NAME, cookie)
    return browser
