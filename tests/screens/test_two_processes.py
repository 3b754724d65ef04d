"""Two `vcom serve` processes on one store: a screen on one sees what the other commits."""

import json
import threading
import time

import pytest
import requests

from backend.persistence.store import open_store
from backend.seed import seed
from backend.unit_of_work import UnitOfWork
from skill.screens.access import COOKIE_NAME, ScreenProof, proof_cookie
from tests.screens.sse import read_events
from tests.skill.conftest import load_envelope
from tests.support.alexa_signing import shared_signer
from tests.support.load import serve_skill


@pytest.fixture
def two_servers(tmp_path, database_url, catalog):
    store = open_store(database_url)
    seed(UnitOfWork(store), catalog)
    store.dispose()
    servers = [
        serve_skill(database_url, tmp_path / name, threads=4,
                    extra_env={"VCOM_SECRET_KEY": f"secret-{name}"})
        for name in ("a", "b")
    ]
    yield [served.base_url for served in servers]
    for served in servers:
        served.stop()


def test_a_screen_on_one_process_receives_an_event_committed_by_another(two_servers):
    a, b = two_servers
    body = json.dumps(load_envelope("add_oat_milk_resolved", device_id="kiosk-1")).encode()
    sent_at: list[float] = []

    def add_through_a():
        sent_at.append(time.monotonic())
        reply = requests.post(
            f"{a}/alexa", data=body, headers=shared_signer().sign(body), timeout=10
        )
        assert reply.status_code == 200

    # A's first answer builds the skill and loads the certificate chain: not what is timed here.
    warm_up = json.dumps(load_envelope("read_cart", device_id="kiosk-1")).encode()
    requests.post(f"{a}/alexa", data=warm_up, headers=shared_signer().sign(warm_up), timeout=10)
    # Screen-1 (the demo household's, customer 1) holds B's proof that it was paired.
    screen = requests.Session()
    screen.cookies.set(COOKIE_NAME, proof_cookie("secret-b", ScreenProof("screen-1", 1, 0)))
    timer = threading.Timer(0.5, add_through_a)
    timer.start()
    read = read_events(f"{b}/screens/screen-1/events", count=1, seconds=10, browser=screen)
    received_at = time.monotonic()
    timer.join()
    assert [m.event for m in read.messages] == ["cart_updated"]
    assert read.messages[0].data["cart"]["lines"][0]["sku"] == "GRO-OATMILK"
    # From sending the request to A until B delivered it: under a second (B polls every 0.25 s).
    assert received_at - sent_at[0] < 1.0
