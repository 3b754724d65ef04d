"""Wrong settings are one line on standard error saying what is wrong and what is accepted:
no traceback, in whichever command reads them, and `vcom serve` says so before its banner."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REPLAY = (
    "simulate",
    "--replay",
    str(Path(__file__).resolve().parents[2] / "examples" / "dialogs" / "order_status.json"),
)
BAD_URLS = {
    "not-a-url": "not a database URL",
    "mysql://shop:hunter2@db.example/shop": "'mysql' is not supported",
    "postgres://shop@db.example/shop": "write postgresql://",
    "/var/lib/vcom/shop.sqlite3": "a file path, not a database URL",
}


def vcom(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vcom", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def assert_one_clear_line(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for text in expected:
        assert text in lines[0]
    assert "Alexa endpoint" not in result.stdout  # nothing served, no banner


@pytest.mark.parametrize("url", list(BAD_URLS))
def test_a_wrong_database_url_is_one_line_saying_what_is_accepted(url):
    result = vcom({"VCOM_DATABASE_URL": url}, "db", "upgrade")
    assert_one_clear_line(result, BAD_URLS[url], "accepted: sqlite:///", "postgresql://")
    assert "hunter2" not in result.stderr


@pytest.mark.parametrize("command", [("serve", "--port", "9"), ("orders", "list"), REPLAY])
def test_every_command_that_opens_the_store_reports_a_wrong_url_the_same_way(command):
    result = vcom({"VCOM_DATABASE_URL": "mysql://shop:hunter2@db.example/shop"}, *command)
    assert_one_clear_line(result, "'mysql' is not supported")


@pytest.mark.parametrize("command", [("serve",), REPLAY])
def test_an_unknown_shop_timezone_is_one_line_saying_what_is_accepted(
    seeded_sqlite_url, command
):
    env = {"VCOM_DATABASE_URL": seeded_sqlite_url, "VCOM_SHOP_TIMEZONE": "Mars/Olympus"}
    assert_one_clear_line(vcom(env, *command), "Mars/Olympus", "America/New_York")


def test_a_sqlite_path_in_a_missing_directory_is_an_error_not_a_new_shop(tmp_path: Path):
    missing = tmp_path / "no-such-dir"
    result = vcom({"VCOM_DATABASE_URL": f"sqlite:///{missing / 'shop.sqlite3'}"}, "db", "upgrade")
    assert_one_clear_line(result, f"No directory {missing}")
    assert not missing.exists()


def test_serve_on_a_port_in_use_is_one_clear_line_and_exit_1(seeded_sqlite_url):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = vcom({"VCOM_DATABASE_URL": seeded_sqlite_url}, "serve", "--port", str(port))
    assert_one_clear_line(result, f"Port {port} on 127.0.0.1 is already in use", "--port")
