"""PostgreSQL connections are pinged only after sitting idle, and a dead idle one is replaced."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from backend.persistence import store as store_module
from backend.persistence.store import Store

# SQLite connections are local files: there is nothing to ping, so PostgreSQL only.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("database_url", ["postgres"], indirect=True),
]


@pytest.fixture
def pg_store(store: Store) -> Store:
    assert store.engine.dialect.name == "postgresql"
    return store


def _backend_pid(store: Store) -> int:
    with store.engine.connect() as connection:
        return int(connection.scalar(text("SELECT pg_backend_pid()")))


def test_an_idle_connection_the_server_closed_is_replaced_unseen(
    pg_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "PING_AFTER_IDLE_SECONDS", 0.0)
    doomed = _backend_pid(pg_store)
    # The pool holds `doomed` idle; end it from outside the pool, as a restart would.
    outside = create_engine(pg_store.engine.url, poolclass=NullPool)
    try:
        with outside.connect() as other:
            killed = other.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": doomed})
    finally:
        outside.dispose()
    assert killed
    replacement = _backend_pid(pg_store)  # no error: the ping found it dead
    assert replacement != doomed


def test_a_connection_used_a_moment_ago_is_not_pinged(
    pg_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "PING_AFTER_IDLE_SECONDS", 60.0)
    pings: list[object] = []
    dialect = pg_store.engine.dialect
    original = dialect.do_ping
    monkeypatch.setattr(dialect, "do_ping", lambda conn: pings.append(conn) or original(conn))
    _backend_pid(pg_store)
    _backend_pid(pg_store)
    assert pings == []
    monkeypatch.setattr(store_module, "PING_AFTER_IDLE_SECONDS", 0.0)
    _backend_pid(pg_store)
    assert len(pings) == 1
