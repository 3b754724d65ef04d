"""PostgreSQL goes away under traffic and comes back: customers hear why, the shop heals itself."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.load import (
    STORE_DOWN,
    Client,
    Household,
    Reply,
    SignedRequest,
    create_database,
    prepare_store,
    serve_skill,
)
from tests.support.postgres_server import PostgresServer, start_server

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def postgres() -> Iterator[PostgresServer]:
    """A server of this test's own: stopping it must not disturb the session's shared one."""
    server = start_server()
    yield server
    server.stop()
    shutil.rmtree(server.root, ignore_errors=True)


def pg_ctl(server: PostgresServer, *args: str) -> None:
    data = str(server.root / "data")
    subprocess.run(
        [*server.as_user, str(server.bin_dir / "pg_ctl"), "-D", data, "-w", *args],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def start_again(server: PostgresServer) -> None:
    # The options start_server() used: same port, socket directory and settings.
    options = (
        f"-p {server.port} -k {server.root} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    pg_ctl(server, "-o", options, "-l", str(server.root / "server.log"), "start")


def test_requests_while_postgres_is_down_hear_an_apology_and_service_recovers_unaided(
    postgres: PostgresServer, tmp_path: Path
) -> None:
    url = create_database(postgres.admin_url, f"faults_{uuid.uuid4().hex[:8]}")
    prepare_store(url)
    served = serve_skill(url, tmp_path, workers=2)
    traffic: list[Reply] = []
    stop = threading.Event()

    def shop_continuously() -> None:
        client = Client(served.base_url, timeout=20)
        rounds = 0
        while not stop.is_set():
            # A new household now and then: one cart would reach its 99-item limit.
            household = Household.numbered(1000 + rounds // 50)
            rounds += 1
            for document in (household.add("COF-LATTE", "latte"), household.read_cart()):
                traffic.append(client.post(SignedRequest.of(document)))

    shopper = threading.Thread(target=shop_continuously)
    try:
        shopper.start()
        time.sleep(1.0)
        pg_ctl(postgres, "-m", "fast", "stop")
        gap_household = Household.numbered(1)
        in_gap = [
            Client(served.base_url).post(SignedRequest.of(gap_household.add("COF-LATTE", "x")))
            for _ in range(3)
        ]
        time.sleep(1.0)
        start_again(postgres)
        recovered: Reply | None = None
        deadline = time.monotonic() + 30
        client = Client(served.base_url)
        while time.monotonic() < deadline:
            reply = client.post(SignedRequest.of(gap_household.add("GRO-OATMILK", "oat milk")))
            if reply.status == 200 and reply.speech.startswith("Added"):
                recovered = reply
                break
            time.sleep(0.2)
        time.sleep(0.5)
    finally:
        stop.set()
        shopper.join(timeout=30)
        served.stop()

    assert [(r.status, r.speech) for r in in_gap] == [(200, STORE_DOWN)] * 3
    assert recovered is not None, "the shop did not come back without a restart"
    assert recovered.speech.startswith("Added an oat milk. Your cart has an oat milk,")
    assert {r.status for r in traffic} == {200}
    # (A new household whose add fell in the gap hears its cart is empty.)
    normal = ("Added a medium latte.", "Your cart has ", "Your cart is empty.")
    unexpected = {r.speech for r in traffic if not r.speech.startswith(normal)} - {STORE_DOWN}
    assert unexpected == set()
    assert any(r.speech == STORE_DOWN for r in traffic)  # the traffic did run into the gap
    assert traffic[-1].speech.startswith("Your cart has")  # back to normal before the end
    assert "Traceback" not in served.log()
