"""`vcom customers` as a shop owner runs it: a real process on a seeded SQLite store."""

import os
import subprocess
import sys

import pytest

from backend.errors import WrongVoiceCode
from backend.persistence.store import open_store
from backend.services.customers import find_by_device, verify_voice_code
from backend.unit_of_work import UnitOfWork


def vcom(url: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vcom", "customers", *args],
        env={**os.environ, "VCOM_DATABASE_URL": url},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_household_is_added_with_a_kiosk_and_listed(seeded_sqlite_url):
    added = vcom(seeded_sqlite_url, "add", "Office 3F", "--device", "kiosk-2")
    assert added.returncode == 0, added.stderr
    listed = vcom(seeded_sqlite_url, "list").stdout
    assert "Office 3F" in listed and "kiosk-2" in listed and "Demo Household" in listed
    shown = vcom(seeded_sqlite_url, "show", "kiosk-2").stdout
    assert "Customer 2: Office 3F" in shown and "Device kiosk-2 (kiosk)" in shown


def test_a_kiosk_is_linked_and_unlinked(seeded_sqlite_url):
    assert vcom(seeded_sqlite_url, "link", "Demo Household", "counter-1").returncode == 0
    store = open_store(seeded_sqlite_url)
    assert find_by_device(UnitOfWork(store), "counter-1").name == "Demo Household"
    unlinked = vcom(seeded_sqlite_url, "unlink", "counter-1")
    assert unlinked.stdout.strip() == "counter-1 is no longer linked to Demo Household (1)."
    assert "counter-1" not in vcom(seeded_sqlite_url, "show", "1").stdout
    store.dispose()


def test_the_voice_code_is_set_at_a_hidden_prompt_and_cleared(seeded_sqlite_url):
    result = vcom(seeded_sqlite_url, "code", "set", "Demo Household", stdin="4719\n4719\n")
    assert result.returncode == 0, result.stderr
    assert "4719" not in result.stdout
    store = open_store(seeded_sqlite_url)
    with pytest.raises(WrongVoiceCode):
        verify_voice_code(UnitOfWork(store), 1, "1111")
    verify_voice_code(UnitOfWork(store), 1, "4719")
    assert "Voice purchase code: set" in vcom(seeded_sqlite_url, "show", "1").stdout
    assert vcom(seeded_sqlite_url, "code", "clear", "1").returncode == 0
    assert "Voice purchase code: none" in vcom(seeded_sqlite_url, "show", "1").stdout
    store.dispose()


def test_a_code_that_is_not_four_digits_is_refused_without_a_traceback(seeded_sqlite_url):
    result = vcom(seeded_sqlite_url, "code", "set", "1", "--code", "12")
    assert result.returncode == 1
    assert "exactly four digits" in result.stderr and "Traceback" not in result.stderr
