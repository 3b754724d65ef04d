"""`vcom simulate` run as a developer runs it: a real process on a freshly seeded store."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from backend.catalog_data import CatalogSpec
from backend.events import EventHub
from backend.persistence.store import open_store
from backend.seed import seed
from backend.unit_of_work import UnitOfWork

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "dialogs"
Simulate = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def seeded_url(tmp_path: Path, sqlite_template: Path, catalog: CatalogSpec) -> str:
    path = tmp_path / "shop.sqlite3"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    store = open_store(url)
    try:
        seed(UnitOfWork(store, EventHub(store)), catalog)
    finally:
        store.dispose()
    return url


def run_simulate(
    database_url: str, *args: str, stdin: str = "", env: dict[str, str] | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VCOM_DATABASE_URL": database_url, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "vcom", "simulate", *args],
        input=stdin, env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout,
        check=False,
    )


@pytest.fixture
def simulate(seeded_url: str) -> Simulate:
    """simulate("--replay", path, stdin="...") runs `vcom simulate` on a seeded store."""

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return run_simulate(seeded_url, *args, stdin=stdin)

    return run
