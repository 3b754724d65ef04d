"""GET /healthz says ok only when the shop can take orders: the store must accept writes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from backend.runtime import open_backend
from skill.web import create_app
from tests.conftest import _admin, _with_database
from tests.support.alexa_signing import shared_signer


def _health(url: str) -> tuple[int, dict[str, str]]:
    backend = open_backend(url)
    try:
        app = create_app(backend, verification=shared_signer().verification_settings())
        response = app.test_client().get("/healthz")
        return response.status_code, response.get_json()
    finally:
        backend.store.dispose()


def test_health_is_ok_on_a_store_that_takes_writes(database_url: str) -> None:
    status, body = _health(database_url)
    assert status == 200
    assert body["status"] == "ok"


@pytest.fixture
def read_only_postgres_url(postgres_admin_url: str, postgres_template: str) -> Iterator[str]:
    name = f"vcom_readonly_{uuid.uuid4().hex[:12]}"
    _admin(postgres_admin_url, f'CREATE DATABASE "{name}" TEMPLATE "{postgres_template}"')
    _admin(postgres_admin_url, f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    yield _with_database(postgres_admin_url, name)
    _admin(postgres_admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_health_fails_when_the_database_refuses_writes(read_only_postgres_url: str) -> None:
    engine = create_engine(read_only_postgres_url)
    with engine.connect() as connection:  # reads still work: only the health check can tell
        assert connection.execute(text("SELECT count(*) FROM orders")).scalar_one() == 0
    engine.dispose()
    status, body = _health(read_only_postgres_url)
    assert status == 503
    assert body == {
        "status": "failing",
        "store": "postgresql",
        "problem": "the store refuses writes",
    }
