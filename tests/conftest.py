"""Shared fixtures: real stores on SQLite and on a private PostgreSQL server."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from backend.catalog_data import CatalogSpec, load_catalog
from backend.events import EventHub
from backend.persistence.migrate import upgrade
from backend.persistence.store import Store, open_store
from backend.seed import DEMO_DEVICES, seed
from backend.services.customers import find_by_device
from backend.unit_of_work import UnitOfWork

ENGINES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """An existing server from VCOM_TEST_POSTGRES_URL, or a private one started for this session."""
    existing = os.environ.get("VCOM_TEST_POSTGRES_URL")
    if existing:
        yield existing
        return
    from tests.support.postgres_server import start_server

    server = start_server()
    try:
        yield server.admin_url
    finally:
        server.stop()
        shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_template(postgres_admin_url: str) -> str:
    """A migrated database that each test copies (CREATE DATABASE … TEMPLATE is fast)."""
    name = f"vcom_template_{uuid.uuid4().hex[:8]}"
    _admin(postgres_admin_url, f'CREATE DATABASE "{name}"')
    upgrade(_with_database(postgres_admin_url, name)).dispose()
    return name


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    upgrade(f"sqlite:///{path}").dispose()
    return path


def _admin(admin_url: str, statement: str) -> None:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def _with_database(admin_url: str, database: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(admin_url).set(database=database).render_as_string(hide_password=False)


@pytest.fixture(params=ENGINES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated, empty store for one test, on each database engine."""
    if request.param == "sqlite":
        path = tmp_path / "store.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    admin_url = request.getfixturevalue("postgres_admin_url")
    template = request.getfixturevalue("postgres_template")
    name = f"vcom_test_{uuid.uuid4().hex[:12]}"
    _admin(admin_url, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield _with_database(admin_url, name)
    _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def catalog() -> CatalogSpec:
    return load_catalog()


@dataclass
class Shop:
    """A seeded store with its event hub and the demo household's customer id."""

    store: Store
    hub: EventHub
    customer_id: int
    catalog: CatalogSpec

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.store, self.hub)


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = open_store(database_url)
    yield opened
    opened.dispose()


def seeded_shop(store: Store, catalog: CatalogSpec) -> Shop:
    hub = EventHub(store)
    seed(UnitOfWork(store, hub), catalog)
    customer = find_by_device(UnitOfWork(store, hub), DEMO_DEVICES[0][1])
    return Shop(store, hub, customer.id, catalog)


@pytest.fixture
def shop(store: Store, catalog: CatalogSpec) -> Shop:
    """A seeded store on each database engine (backend behaviour must hold on both)."""
    return seeded_shop(store, catalog)


@pytest.fixture
def sqlite_shop(tmp_path: Path, sqlite_template: Path, catalog: CatalogSpec) -> Iterator[Shop]:
    """A seeded SQLite store, for layers above the backend."""
    path = tmp_path / "shop.sqlite3"
    shutil.copy(sqlite_template, path)
    opened = open_store(f"sqlite:///{path}")
    yield seeded_shop(opened, catalog)
    opened.dispose()


@pytest.fixture
def seeded_sqlite_url(tmp_path: Path, sqlite_template: Path, catalog: CatalogSpec) -> str:
    """The URL of a seeded SQLite store, for tests that run `vcom` in another process."""
    path = tmp_path / "seeded.sqlite3"
    shutil.copy(sqlite_template, path)
    opened = open_store(f"sqlite:///{path}")
    seed(UnitOfWork(opened), catalog)
    opened.dispose()
    return f"sqlite:///{path}"
