"""The project installed from its wheel, in a fresh virtual environment outside the checkout.

The wheel is built from a copy of the source tree (`pip wheel`), installed without its
dependencies into a new venv; the dependencies come from the test's own environment through a
plain path in a .pth file (no network, and that path's own .pth files, such as an editable
install of this project, are not run). So the project itself can only come from the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.support.load import free_port

REPO = Path(__file__).resolve().parents[2]
# What a source checkout holds that a wheel build must not read.
NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "tests",
    "docs",
    "bench",
    "*.sqlite3*",
)


@dataclass(frozen=True)
class Installed:
    venv: Path
    home: Path  # a working directory outside the checkout

    @property
    def vcom(self) -> str:
        return str(self.venv / "bin" / "vcom")

    def env(self, store: Path) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        env["VCOM_DATABASE_URL"] = f"sqlite:///{store}"
        env["HOME"] = str(self.home)
        return env

    def run(self, store: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.vcom, *args],
            cwd=self.home,
            env=self.env(store),
            capture_output=True,
            text=True,
            timeout=120,
        )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    shutil.copytree(REPO, source, ignore=NOT_SOURCE)
    dist = root / "dist"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    # The checkout on PYTHONPATH would make pip think the project is installed already.
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    # No build isolation: setuptools comes from this environment, so no download is needed.
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), str(source)],
        check=True,
        capture_output=True,
        env=clean,
    )
    (wheel,) = dist.glob("voice_commerce-*.whl")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [
            *pip,
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "--ignore-installed",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        env=clean,
    )
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
        env=clean,
    ).stdout.strip()
    dependencies = sysconfig.get_paths()["purelib"]
    (Path(site) / "vcom-test-dependencies.pth").write_text(dependencies + "\n")
    home = root / "home"
    home.mkdir()
    shutil.rmtree(source)  # nothing left to import from but the wheel
    yield Installed(venv, home)


def test_the_project_is_imported_from_the_wheel(installed: Installed) -> None:
    found = subprocess.run(
        [
            str(installed.venv / "bin" / "python"),
            "-c",
            "import backend, skill, vcom, voice_local, interaction_models as m; "
            "print(backend.__file__, skill.__file__, vcom.__file__, voice_local.__file__, "
            "m.model_path())",
        ],
        cwd=installed.home,
        env=installed.env(installed.home / "unused.sqlite3"),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert len(found) == 5
    for path in found:
        assert Path(path).is_relative_to(installed.venv), path
    assert Path(found[-1]).is_file()


def test_db_upgrade_and_seed_run_the_shipped_migrations(installed: Installed) -> None:
    store = installed.home / "upgrade.sqlite3"
    upgraded = installed.run(store, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    seeded = installed.run(store, "db", "seed")
    assert seeded.returncode == 0, seeded.stderr
    status = installed.run(store, "db", "status")
    assert "up to date" in status.stdout


def test_simulate_runs_a_conversation_with_the_shipped_interaction_model(
    installed: Installed,
) -> None:
    store = installed.home / "simulate.sqlite3"
    assert installed.run(store, "db", "upgrade").returncode == 0
    assert installed.run(store, "db", "seed").returncode == 0
    replay = installed.home / "purchase.json"
    shutil.copy(REPO / "examples" / "dialogs" / "purchase_with_confirmation.json", replay)
    simulated = installed.run(store, "simulate", "--replay", str(replay))
    assert simulated.returncode == 0, simulated.stdout + simulated.stderr
    assert "all as expected" in simulated.stdout


def test_serve_answers_its_health_check_and_serves_pages(installed: Installed) -> None:
    store = installed.home / "serve.sqlite3"
    assert installed.run(store, "db", "upgrade").returncode == 0
    port = free_port()
    process = subprocess.Popen(
        [installed.vcom, "serve", "--port", str(port)],
        cwd=installed.home,
        env={**installed.env(store), "VCOM_STAFF_TOKEN": "wheel-test-" + "7" * 32},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        health = _wait_for(f"{base}/healthz", process)
        screen = requests.get(f"{base}/screens/", timeout=10)
        css = requests.get(f"{base}/static/style.css", timeout=10)
        dashboard = requests.get(f"{base}/dashboard", timeout=10)
        dashboard_css = requests.get(f"{base}/dashboard/static/dashboard.css", timeout=10)
    finally:
        process.terminate()
        process.communicate(timeout=20)
    assert health.json()["status"] == "ok"
    assert screen.status_code == 200
    assert css.status_code == 200
    assert dashboard.status_code in (200, 401)  # the sign-in page: its templates were found
    assert "<form" in dashboard.text
    assert dashboard_css.status_code == 200


def _wait_for(url: str, process: subprocess.Popen[str]) -> requests.Response:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.communicate()[1])
        try:
            response = requests.get(url, timeout=5)
            if response.ok:
                return response
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} never answered")
