"""`vcom serve` as a user runs it: a real gunicorn process, configured from the environment."""

import json
import os
import subprocess
import sys
import time

import pytest
import requests

from tests.skill.conftest import load_envelope, speech
from tests.support.alexa_signing import shared_signer
from tests.support.load import free_port, verification_environment


@pytest.fixture
def store_url(seeded_sqlite_url):
    return seeded_sqlite_url


def start(tmp_path, store_url, *args):
    port = free_port()
    env = {
        **os.environ,
        "VCOM_DATABASE_URL": store_url,
        **verification_environment(tmp_path),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "vcom", "serve", "--port", str(port), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/healthz", timeout=5).ok:
                return process, base
        except requests.RequestException:  # not listening yet, or workers still booting
            time.sleep(0.1)
    process.kill()
    raise AssertionError(process.communicate()[1])


def stop(process):
    process.terminate()
    out, err = process.communicate(timeout=20)
    return out, err


def test_two_workers_serve_signed_requests_and_refuse_unsigned_ones(tmp_path, store_url):
    process, base = start(tmp_path, store_url, "--workers", "2")
    try:
        body = json.dumps(load_envelope("add_oat_milk_resolved")).encode()
        unsigned = requests.post(f"{base}/alexa", data=body, timeout=10)
        signed = requests.post(
            f"{base}/alexa", data=body, headers=shared_signer().sign(body), timeout=10
        )
    finally:
        out, _err = stop(process)
    assert unsigned.status_code == 400
    assert signed.status_code == 200
    assert speech(signed.json()).startswith("Added 2 oat milks.")
    assert "Alexa endpoint:   http://127.0.0.1:" in out
    assert "verification on" in out


def test_no_verify_warns_at_start(tmp_path, store_url):
    process, base = start(tmp_path, store_url, "--no-verify")
    try:
        body = json.dumps(load_envelope("launch")).encode()
        reply = requests.post(f"{base}/alexa", data=body, timeout=10)
    finally:
        _out, err = stop(process)
    assert reply.status_code == 200
    assert "verification is OFF (--no-verify)" in err


def test_serving_a_missing_store_says_what_to_run(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "vcom", "serve", "--port", str(free_port())],
        env={**os.environ, "VCOM_DATABASE_URL": f"sqlite:///{tmp_path / 'none.sqlite3'}"},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 1
    assert "vcom db upgrade" in result.stderr
