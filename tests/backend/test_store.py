import shutil
import sqlite3

import pytest

from backend.errors import StoreError
from backend.persistence.migrate import current_revision, head_revision, upgrade
from backend.persistence.store import open_store
from backend.services import carts


def test_a_missing_sqlite_file_says_to_run_db_upgrade(tmp_path):
    with pytest.raises(StoreError) as raised:
        open_store(f"sqlite:///{tmp_path / 'nothing.sqlite3'}")
    assert "vcom db upgrade" in raised.value.message
    assert not (tmp_path / "nothing.sqlite3").exists()


def test_an_uninitialised_database_says_to_run_db_upgrade(tmp_path):
    path = tmp_path / "empty.sqlite3"
    sqlite3.connect(path).close()
    with pytest.raises(StoreError) as raised:
        open_store(f"sqlite:///{path}")
    assert "vcom db upgrade" in raised.value.message


def test_upgrade_twice_is_harmless_and_reaches_the_newest_schema(tmp_path):
    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    upgrade(url).dispose()
    store = upgrade(url)
    assert current_revision(store) == head_revision()


def test_a_locked_sqlite_store_gives_a_clear_error_and_writes_nothing(
    tmp_path, sqlite_template, catalog, monkeypatch
):
    import backend.persistence.store as store_module
    from backend.seed import seed
    from backend.unit_of_work import UnitOfWork

    path = tmp_path / "shop.sqlite3"
    shutil.copy(sqlite_template, path)
    store = open_store(f"sqlite:///{path}")
    seed(UnitOfWork(store), catalog)
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(store_module, "SQLITE_BUSY_TIMEOUT_MS", 200)
    impatient = open_store(store.url, check_schema=False)
    try:
        with pytest.raises(StoreError) as raised:
            carts.add_item(UnitOfWork(impatient), 1, "GRO-EGGS", 1)
        assert "locked" in raised.value.message
    finally:
        blocker.rollback()
        blocker.close()
        impatient.dispose()
    assert carts.get_cart(UnitOfWork(store), 1).is_empty


def test_an_unreachable_postgresql_server_gives_a_clear_error():
    with pytest.raises(StoreError) as raised:
        open_store("postgresql://nobody@127.0.0.1:9/shop?connect_timeout=2")
    assert "Cannot reach the database" in raised.value.message
    assert "server running" in raised.value.message
