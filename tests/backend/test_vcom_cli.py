"""The command line on a fresh store, run as a user would: a real `vcom` process."""

import os
import subprocess
import sys
from pathlib import Path

VCOM = [sys.executable, "-m", "vcom"]


def vcom(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VCOM_DATABASE_URL": f"sqlite:///{tmp_path / 'shop.sqlite3'}"}
    return subprocess.run(
        [*VCOM, *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_help_lists_the_subcommands(tmp_path):
    result = vcom(tmp_path, "--help")
    assert result.returncode == 0
    for name in ("db", "orders", "serve", "model"):
        assert f"  {name} " in result.stdout


def test_upgrade_seed_and_list_work_on_a_fresh_store(tmp_path):
    assert vcom(tmp_path, "db", "upgrade").returncode == 0
    seeded = vcom(tmp_path, "db", "seed")
    assert seeded.returncode == 0 and "products added" in seeded.stdout
    listed = vcom(tmp_path, "orders", "list")
    assert listed.returncode == 0
    assert "No open orders" in listed.stdout


def test_a_command_on_a_missing_store_explains_what_to_run(tmp_path):
    result = vcom(tmp_path, "orders", "list")
    assert result.returncode == 1
    assert "vcom db upgrade" in result.stderr
    assert "Traceback" not in result.stderr


def test_advancing_an_unknown_order_is_a_clear_error(tmp_path):
    vcom(tmp_path, "db", "upgrade")
    result = vcom(tmp_path, "orders", "advance", "Z-999")
    assert result.returncode == 1
    assert "There is no order Z-999" in result.stderr


def test_the_readme_advance_example_works_on_a_placed_order(tmp_path):
    from backend.persistence.store import open_store
    from backend.services import carts, orders
    from backend.services.customers import find_by_device
    from backend.unit_of_work import UnitOfWork

    vcom(tmp_path, "db", "upgrade")
    vcom(tmp_path, "db", "seed")
    store = open_store(f"sqlite:///{tmp_path / 'shop.sqlite3'}")
    household = find_by_device(UnitOfWork(store), "kiosk-1").id
    carts.add_item(UnitOfWork(store), household, "COF-LATTE", 1)
    orders.place_order(UnitOfWork(store), household)
    store.dispose()
    readme = ("orders", "advance", "A-100", "--to", "preparing", "--note", "barista Sam")
    moved = vcom(tmp_path, *readme)
    assert moved.returncode == 0, moved.stderr
    assert moved.stdout.strip() == "Order A-100 is now preparing."
    shown = vcom(tmp_path, "orders", "show", "A-100").stdout
    assert "preparing — barista Sam" in shown
    refused = vcom(tmp_path, "orders", "advance", "A-100", "--to", "out_for_delivery")
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "Error: Order A-100 is being prepared, so it cannot be marked out for delivery. "
        "It can move on to ready."
    )
