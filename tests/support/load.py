"""`vcom serve` in real processes, and the signed requests of households talking to it.

Shared by bench/skill_load.py and the fault tests: both need a server with verification on (the
local test CA), households whose conversations carry session attributes, and a cheap client.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from tests.support.alexa_signing import envelope, shared_signer

REPO = Path(__file__).resolve().parents[2]
VCOM_SERVE = (sys.executable, "-m", "vcom", "serve")
# The load benchmarks' conversation, per household and in order: bench/skill_load.py times it
# served, bench/turn_cost.py costs it in-process, so both measure the same mix.
CONVERSATION = ("add", "add", "read_cart", "checkout", "confirm", "order_status")
STORE_DOWN = "Sorry, the shop can't take requests right now. Please try again in a minute."


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def verification_environment(workdir: Path) -> dict[str, str]:
    """VCOM_ALEXA_EXTRA_CA and VCOM_ALEXA_CERT_DIR for the shared test signer's CA and chain."""
    signer = shared_signer()
    workdir.mkdir(parents=True, exist_ok=True)
    ca = workdir / "ca.pem"
    ca.write_bytes(signer.ca_pem)
    certs = signer.write_cert_dir(workdir / "certs")
    return {"VCOM_ALEXA_EXTRA_CA": str(ca), "VCOM_ALEXA_CERT_DIR": str(certs)}


@dataclass
class ServedSkill:
    """A `vcom serve` process group (gunicorn master and workers) and where it logs."""

    process: subprocess.Popen[bytes]
    base_url: str
    port: int
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once, as a power cut or OOM kill would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def serve_skill(
    store_url: str,
    workdir: Path,
    *,
    workers: int = 1,
    threads: int = 8,
    port: int | None = None,
    extra_env: dict[str, str] | None = None,
    ready_timeout: float = 60.0,
) -> ServedSkill:
    """Starts `vcom serve` with verification on and waits until every worker answers."""
    port = port or free_port()
    log_path = workdir / f"serve-{port}-{uuid.uuid4().hex[:6]}.log"
    env = {
        **os.environ,
        "VCOM_DATABASE_URL": store_url,
        **verification_environment(workdir),
        **(extra_env or {}),
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*VCOM_SERVE, f"--port={port}", f"--workers={workers}", f"--threads={threads}"],
            env=env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so kill() reaches the workers
        )
    served = ServedSkill(process, f"http://127.0.0.1:{port}", port, log_path)
    wait_until_healthy(served, ready_timeout)
    return served


def wait_until_healthy(served: ServedSkill, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            raise AssertionError(f"vcom serve exited early:\n{served.log()}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return
        except OSError:  # not listening yet, or workers still booting
            pass
        time.sleep(0.1)
    served.kill()
    raise AssertionError(f"vcom serve did not become healthy:\n{served.log()}")


@dataclass(frozen=True)
class SignedRequest:
    """One request body and Alexa's headers for it: signed once, sent (and resent) as is."""

    body: bytes
    headers: dict[str, str]

    @classmethod
    def of(cls, document: dict[str, Any]) -> SignedRequest:
        body = json.dumps(document).encode()
        return cls(body, shared_signer().sign(body))


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    seconds: float

    def json(self) -> dict[str, Any]:
        document: dict[str, Any] = json.loads(self.body)
        return document

    @property
    def speech(self) -> str:
        ssml: str = self.json()["response"]["outputSpeech"]["ssml"]
        return ssml.removeprefix("<speak>").removesuffix("</speak>")


class Client:
    """A keep-alive HTTP/1.1 connection to /alexa; one per thread (http.client is not shared)."""

    def __init__(self, base_url: str, timeout: float = 30.0) -> None:
        parts = urlsplit(base_url)
        self._host = parts.hostname or "127.0.0.1"
        self._port = parts.port or 80
        self._timeout = timeout
        self._connection: http.client.HTTPConnection | None = None

    def post(self, request: SignedRequest, path: str = "/alexa") -> Reply:
        started = time.perf_counter()
        for attempt in (1, 2):
            if self._connection is None:
                self._connection = http.client.HTTPConnection(
                    self._host, self._port, timeout=self._timeout
                )
            try:
                self._connection.request("POST", path, body=request.body, headers=request.headers)
                response = self._connection.getresponse()
                body = response.read()
                return Reply(response.status, body, time.perf_counter() - started)
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def resolved_slot(name: str, spoken: str, value_id: str, value_name: str) -> dict[str, Any]:
    """A slot Alexa resolved to one of the slot type's values (entity resolution)."""
    return {
        "name": name,
        "value": spoken,
        "confirmationStatus": "NONE",
        "resolutions": {
            "resolutionsPerAuthority": [
                {
                    "authority": f"amzn1.er-authority.echo-sdk.vcom-test.{name}",
                    "status": {"code": "ER_SUCCESS_MATCH"},
                    "values": [{"value": {"name": value_name, "id": value_id}}],
                }
            ]
        },
    }


def plain_slot(name: str, value: str | None) -> dict[str, Any]:
    slot: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
    if value is not None:
        slot["value"] = value
    return slot


def _intent(
    name: str, slots: dict[str, dict[str, Any]] | None = None, confirmation: str = "NONE"
) -> dict[str, Any]:
    return {
        "type": "IntentRequest",
        "dialogState": "IN_PROGRESS" if confirmation != "NONE" else "STARTED",
        "intent": {"name": name, "confirmationStatus": confirmation, "slots": slots or {}},
    }


@dataclass
class Household:
    """One Alexa account on one device, in one session that carries its attributes."""

    user_id: str
    device_id: str
    session_id: str = field(default_factory=lambda: f"amzn1.echo-api.session.{uuid.uuid4()}")
    attributes: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def numbered(cls, number: int, run: str = "") -> Household:
        tag = run or uuid.uuid4().hex[:6]
        return cls(f"amzn1.ask.account.LOAD{tag}{number:05d}", f"amzn1.ask.device.D{tag}{number}")

    def new_session(self) -> None:
        self.session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
        self.attributes = {}

    def document(self, request: dict[str, Any]) -> dict[str, Any]:
        built = envelope(
            request, session=self.attributes, user_id=self.user_id, device_id=self.device_id
        )
        built["session"]["sessionId"] = self.session_id
        return built

    def remember(self, reply: Reply) -> None:
        """Takes the session attributes Alexa would send back with the next request."""
        if reply.status == 200:
            self.attributes = reply.json().get("sessionAttributes") or {}

    def add(
        self, sku: str, spoken: str, quantity: int = 1, unit: str | None = "medium"
    ) -> dict[str, Any]:
        """A resolved product; drinks get a size said (a size a product lacks is ignored)."""
        return self.document(
            _intent(
                "AddToCartIntent",
                {
                    "product": resolved_slot("product", spoken, sku, spoken),
                    "quantity": plain_slot("quantity", str(quantity)),
                    "unit": plain_slot("unit", unit),
                },
            )
        )

    def add_spoken(self, slots: dict[str, str]) -> dict[str, Any]:
        """AddToCartIntent with unresolved, literal slot values (whatever Alexa heard)."""
        return self.document(
            _intent("AddToCartIntent", {name: plain_slot(name, v) for name, v in slots.items()})
        )

    def read_cart(self) -> dict[str, Any]:
        return self.document(_intent("ReadCartIntent"))

    def checkout(self) -> dict[str, Any]:
        return self.document(_intent("CheckoutIntent"))

    def confirm_checkout(self) -> dict[str, Any]:
        """Alexa's "yes" to the checkout's Dialog.ConfirmIntent."""
        return self.document(_intent("CheckoutIntent", confirmation="CONFIRMED"))

    def voice_code(self, code: str) -> dict[str, Any]:
        return self.document(_intent("VoiceCodeIntent", {"code": plain_slot("code", code)}))

    def order_status(self) -> dict[str, Any]:
        return self.document(_intent("OrderStatusIntent"))


def prepare_store(url: str) -> None:
    """Migrates and seeds the store at `url` (demo catalog and household)."""
    from backend.catalog_data import load_catalog
    from backend.persistence.migrate import upgrade
    from backend.persistence.store import open_store
    from backend.seed import seed
    from backend.unit_of_work import UnitOfWork

    upgrade(url).dispose()
    store = open_store(url)
    try:
        seed(UnitOfWork(store), load_catalog())
    finally:
        store.dispose()


def create_database(admin_url: str, name: str) -> str:
    """A new, empty PostgreSQL database next to `admin_url`'s; returns its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


class ScratchStores:
    """Fresh, seeded stores for the benchmarks' rows: a SQLite file in a working directory, or a
    database on a private PostgreSQL server started on first use; everything goes on exit."""

    def __init__(self, prefix: str) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix=prefix))
        self._prefix = prefix.strip("-").replace("-", "_")
        self._postgres: Any = None

    def new(self, store: str) -> str:
        """The URL of a new store of kind `store` ("sqlite" or "postgres"), migrated and seeded."""
        name = f"{self._prefix}_{uuid.uuid4().hex[:8]}"
        if store == "sqlite":
            url = f"sqlite:///{self.workdir / f'{name}.sqlite3'}"
        else:
            if self._postgres is None:
                from tests.support.postgres_server import start_server

                self._postgres = start_server()
            url = create_database(self._postgres.admin_url, name)
        prepare_store(url)
        return url

    def __enter__(self) -> ScratchStores:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._postgres is not None:
            self._postgres.stop()
            shutil.rmtree(self._postgres.root, ignore_errors=True)
        shutil.rmtree(self.workdir, ignore_errors=True)
