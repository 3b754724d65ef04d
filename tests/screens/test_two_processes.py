"""Two `vcom serve` processes on one store: a screen on one sees what the other commits."""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
import requests

from backend.persistence.store import open_store
from backend.seed import seed
from backend.unit_of_work import UnitOfWork
from tests.screens.sse import read_events
from tests.skill.conftest import load_envelope
from tests.support.alexa_signing import shared_signer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(tmp_path, store_url, name):
    signer = shared_signer()
    ca = tmp_path / "ca.pem"
    ca.write_bytes(signer.ca_pem)
    port = free_port()
    env = {
        **os.environ,
        "VCOM_DATABASE_URL": store_url,
        "VCOM_ALEXA_EXTRA_CA": str(ca),
        "VCOM_ALEXA_CERT_DIR": str(signer.write_cert_dir(tmp_path / "certs")),
        "VCOM_SECRET_KEY": f"secret-{name}",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "vcom", "serve", "--port", str(port), "--threads", "4"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/healthz", timeout=1).ok:
                return process, base
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError(process.communicate()[1])


@pytest.fixture
def two_servers(tmp_path, database_url, catalog):
    store = open_store(database_url)
    seed(UnitOfWork(store), catalog)
    store.dispose()
    servers = [start_server(tmp_path, database_url, name) for name in ("a", "b")]
    yield [base for _process, base in servers]
    for process, _base in servers:
        process.send_signal(signal.SIGINT)  # quick shutdown: open streams need no grace period
        process.communicate(timeout=20)


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

    timer = threading.Timer(0.5, add_through_a)
    timer.start()
    read = read_events(f"{b}/screens/screen-1/events", count=1, seconds=10)
    received_at = time.monotonic()
    timer.join()
    assert [m.event for m in read.messages] == ["cart_updated"]
    assert read.messages[0].data["cart"]["lines"][0]["sku"] == "GRO-OATMILK"
    # From sending the request to A until B delivered it: under a second (B polls every 0.25 s).
    assert received_at - sent_at[0] < 1.0
