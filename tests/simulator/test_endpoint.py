"""--endpoint sends the same envelopes to a running skill over HTTP."""

import pytest

from backend.runtime import open_backend
from skill.verification import VerificationSettings
from skill.web import create_app
from tests.simulator.conftest import EXAMPLES, run_simulate
from tests.support.http_server import serve_wsgi


@pytest.fixture
def backend(seeded_url):
    opened = open_backend(seeded_url)
    yield opened
    opened.store.dispose()


def test_a_replay_passes_against_a_dev_server(backend, tmp_path):
    app = create_app(backend, verification=VerificationSettings(verify=False))
    missing_store = f"sqlite:///{tmp_path / 'unused.sqlite3'}"  # proves no local store is opened
    with serve_wsgi(app) as base_url:
        result = run_simulate(
            missing_store, "--endpoint", f"{base_url}/alexa",
            "--replay", str(EXAMPLES / "purchase_with_confirmation.json"),
        )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all as expected" in result.stdout


def test_a_verifying_endpoint_refuses_and_the_error_says_use_no_verify(backend, seeded_url):
    app = create_app(backend, verification=VerificationSettings(verify=True))
    with serve_wsgi(app) as base_url:
        result = run_simulate(seeded_url, "--endpoint", base_url, stdin="check out\n")
    assert result.returncode == 1
    assert "HTTP 400" in result.stderr
    assert "vcom serve --no-verify" in result.stderr
