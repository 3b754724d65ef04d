"""Where the store lives and how to connect to it."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.pool import QueuePool

from backend.errors import ConfigurationError, StoreError

DATABASE_URL_ENV = "VCOM_DATABASE_URL"
SQLITE_BUSY_TIMEOUT_MS = 10_000
SQLITE_POOL_SIZE = 8
POSTGRES_POOL_SIZE = 10
POSTGRES_MAX_OVERFLOW = 20
WRITE_OPTION = "vcom_write"
# A pooled PostgreSQL connection idle longer than this is pinged before use.
PING_AFTER_IDLE_SECONDS = 1.0
_IDLE_SINCE = "vcom_idle_since"


def default_database_url() -> str:
    path = Path(user_data_dir("voice-commerce")) / "vcom.sqlite3"
    return f"sqlite:///{path}"


def configured_database_url() -> str:
    url = os.environ.get(DATABASE_URL_ENV) or default_database_url()
    parse_database_url(url)
    return url


ACCEPTED_URLS = (
    "accepted: sqlite:////absolute/path/shop.sqlite3 (or sqlite:///relative/path) and "
    "postgresql://user:password@host:5432/database"
)
SUPPORTED_DRIVERS = frozenset({"sqlite", "sqlite+pysqlite", "postgresql", "postgresql+psycopg"})


def parse_database_url(url: str) -> URL:
    """The URL, parsed, if this project can use it; otherwise a ConfigurationError whose one
    line says what is wrong and what is accepted (never showing a password)."""
    setting = f"{DATABASE_URL_ENV}={url!r}"
    try:
        parsed = make_url(url)
    except ArgumentError:
        looks_like_path = "/" in url or url.endswith((".sqlite3", ".sqlite", ".db"))
        what = "a file path, not a database URL" if looks_like_path else "not a database URL"
        raise ConfigurationError(f"{setting} is {what}; {ACCEPTED_URLS}.") from None
    setting = f"{DATABASE_URL_ENV}={parsed.render_as_string(hide_password=True)!r}"
    if parsed.drivername == "postgres":
        raise ConfigurationError(
            f"{setting}: write postgresql:// rather than postgres://; {ACCEPTED_URLS}."
        )
    if parsed.drivername not in SUPPORTED_DRIVERS:
        raise ConfigurationError(
            f"{setting}: the database kind {parsed.drivername!r} is not supported; "
            f"{ACCEPTED_URLS}."
        )
    return parsed


@dataclass(frozen=True)
class Store:
    """An engine for reads and a view of it whose transactions take the write lock up front."""

    url: str
    engine: Engine
    write_engine: Engine
    autocommit_engine: Engine

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def engine_for(self, *, write: bool, single_statement: bool = False) -> Engine:
        """The engine for a unit of work.

        On PostgreSQL, reads and single-statement writes run in autocommit: under READ COMMITTED
        every statement takes its own snapshot even inside a transaction, so BEGIN and ROLLBACK
        would only add two round trips (and a lone INSERT is a transaction by itself). SQLite
        keeps its transactions: BEGIN costs no round trip there, a reader sees one snapshot
        across its statements, and a writer must take the lock up front.
        """
        if self.is_sqlite:
            return self.write_engine if write else self.engine
        if single_statement or not write:
            return self.autocommit_engine
        return self.engine

    @property
    def pools(self) -> tuple[Engine, ...]:
        """The engines that own connection pools (for event listeners and disposal)."""
        if self.autocommit_engine.pool is self.engine.pool:
            return (self.engine,)
        return (self.engine, self.autocommit_engine)

    def dispose(self) -> None:
        for engine in self.pools:
            engine.dispose()


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def open_store(url: str | None = None, *, create: bool = False, check_schema: bool = True) -> Store:
    """Connects to the store; `create` makes a missing SQLite file (only `vcom db upgrade` does)."""
    url = url or configured_database_url()
    parse_database_url(url)
    path = sqlite_path(url)
    if path is not None:
        if create and url == default_database_url():
            path.parent.mkdir(parents=True, exist_ok=True)  # first run: the user's data dir
        elif create and not path.parent.is_dir():
            # A typo in a configured path must not quietly start a new, empty shop.
            raise StoreError(
                f"No directory {path.parent} for the store {path.name}: create it first, or "
                f"point {DATABASE_URL_ENV} at an existing directory."
            )
        elif not create and not path.exists():
            raise StoreError(
                f"No store at {path}. Create it with `vcom db upgrade` (and `vcom db seed` for the "
                f"demo catalog), or point {DATABASE_URL_ENV} at an existing database."
            )
    engine = _create_engine(url)
    store = Store(
        url=url,
        engine=engine,
        write_engine=engine.execution_options(**{WRITE_OPTION: True}),
        autocommit_engine=_autocommit_engine(engine),
    )
    if check_schema:
        ensure_schema(store)
    return store


def _create_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        # Pooled: opening a connection and setting its pragmas cost more than most queries
        # (measured with bench/skill_load.py). Each transaction still starts with its own
        # BEGIN or BEGIN IMMEDIATE (see _on_begin), pooled or not.
        engine = create_engine(
            url,
            poolclass=QueuePool,
            pool_size=SQLITE_POOL_SIZE,
            max_overflow=SQLITE_POOL_SIZE,
            connect_args={
                "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
                # Pooled connections move between a worker's threads, one at a time.
                "check_same_thread": False,
            },
        )
        _configure_sqlite(engine)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = str(parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False))
    engine = create_engine(url, pool_size=POSTGRES_POOL_SIZE, max_overflow=POSTGRES_MAX_OVERFLOW)
    _ping_idle_connections(engine)
    return engine


def _autocommit_engine(engine: Engine) -> Engine:
    """On PostgreSQL, a pool of its own whose connections stay in autocommit: switching a shared
    pool's connection in and out of autocommit on every checkout cost 0.06 ms CPU per use
    (measured), and a turn makes two or three such uses. SQLite never uses it (see engine_for)."""
    if engine.dialect.name != "postgresql":
        return engine.execution_options(isolation_level="AUTOCOMMIT")
    autocommit = create_engine(
        engine.url,
        pool_size=POSTGRES_POOL_SIZE,
        max_overflow=POSTGRES_MAX_OVERFLOW,
        isolation_level="AUTOCOMMIT",
    )
    _ping_idle_connections(autocommit)
    return autocommit


def _ping_idle_connections(engine: Engine) -> None:
    """Pre-ping, but only connections that sat idle in the pool for a while.

    SQLAlchemy's pool_pre_ping costs a round trip on every checkout, and a turn checks out a
    connection three or four times: a fifth of the worker's time under load (py-spy). A
    connection used a moment ago is almost surely alive; if the server went away meanwhile, the
    failed statement is a disconnect, which invalidates the whole pool, so the next turn
    reconnects (tests/faults/test_postgres_restart.py).
    """

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get(_IDLE_SINCE)
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return  # new, or back from use a moment ago
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            if not engine.dialect.is_disconnect(error, dbapi_connection, None):
                raise
            alive = False
        if not alive:
            # The pool drops this connection and checks out another (or a new one).
            raise DisconnectionError("idle connection found closed")


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin event decide how transactions start (pysqlite would defer).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the lock at BEGIN so two read-then-write transactions cannot both read
        # the old cart; readers stay deferred and run beside them under WAL.
        if connection.get_execution_options().get(WRITE_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


def ensure_schema(store: Store) -> None:
    try:
        with store.engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
    except OperationalError as error:
        raise store_error(error, store.url) from error
    if "orders" not in tables or "alembic_version" not in tables:
        raise StoreError(
            f"The store at {redact(store.url)} has no voice-commerce tables yet. "
            "Run `vcom db upgrade` first."
        )


# Changes nothing and is rolled back, but needs everything a real write needs.
_WRITE_PROBE = text("UPDATE alembic_version SET version_num = version_num")


def write_problem(store: Store) -> str | None:
    """Why the store cannot take writes right now (read-only file or database, a standby
    server, a full disk, unreachable), or None. Takes the write lock for a moment."""
    try:
        with store.engine_for(write=True).connect() as connection, connection.begin() as work:
            connection.execute(_WRITE_PROBE)
            work.rollback()
    except DBAPIError as error:
        detail = str(error.orig).strip().splitlines()
        return detail[0] if detail else type(error.orig).__name__
    return None


def redact(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def store_error(error: Exception, url: str) -> StoreError:
    text = str(getattr(error, "orig", error)).lower()
    where = redact(url)
    if "locked" in text or "busy" in text:
        return StoreError(
            f"The store at {where} is locked by another program; try again in a moment. If it "
            "stays locked, look for another vcom or sqlite3 process holding it."
        )
    if "unable to open" in text:
        return StoreError(f"Cannot open the store at {where}: check the path and its permissions.")
    if "connection" in text or "could not" in text or "server" in text or "timeout" in text:
        return StoreError(
            f"Cannot reach the database at {where}: is the server running and the address right? "
            f"({text.strip().splitlines()[0] if text.strip() else 'no detail'})"
        )
    return StoreError(f"The store at {where} failed: {text.strip().splitlines()[0]}")
