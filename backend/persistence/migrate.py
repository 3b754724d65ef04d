"""Alembic, driven from code: `vcom db upgrade` and the tests use the same migrations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError

from backend.errors import StoreError
from backend.persistence.store import Store, open_store, store_error

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str | None = None, revision: str = "head") -> Store:
    """Creates or upgrades the store to the newest schema; returns it open."""
    store = open_store(url, create=True, check_schema=False)
    config = alembic_config(store.url)
    try:
        with (
            store.engine.connect() as connection,
            _foreign_keys_off(connection, store.is_sqlite),
            connection.begin(),
        ):
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            if store.is_sqlite:
                _check_foreign_keys(connection)
    except OperationalError as error:
        raise store_error(error, store.url) from error
    return store


@contextmanager
def _foreign_keys_off(connection: Connection, sqlite: bool) -> Iterator[None]:
    """SQLite only: migrations rebuild tables (batch mode), and dropping the old table with
    foreign keys on would delete, or cascade to, the rows that refer to it. The pragma is set
    on the raw connection before the transaction begins (inside one it does nothing)."""
    if not sqlite:
        yield
        return
    raw = connection.connection.driver_connection
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise StoreError(f"The upgrade would break {len(broken)} references, e.g. {broken[0]}")


def current_revision(store: Store) -> str | None:
    with store.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
