"""Where certificate chains come from, which roots are trusted, and how chains are cached."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from ask_sdk_webservice_support.verifier import (
    RequestVerifier,
    TimestampVerifier,
    VerificationException,
)

from skill.verification import (
    CERT_DIR_ENV,
    CHAIN_CACHE_SIZE,
    EXTRA_CA_ENV,
    MAX_CHAIN_BYTES,
    AlexaSignatureVerifier,
    VerificationSettings,
    build_verifiers,
    fetch_certificate_chain,
)
from tests.support.alexa_signing import (
    AlexaTestSigner,
    envelope,
    session_ended_request,
    shared_signer,
)
from tests.support.http_server import serve_wsgi

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

ECHO_API = "https://s3.amazonaws.com/echo.api"


@pytest.fixture(scope="module")
def signer() -> AlexaTestSigner:
    return shared_signer()


@pytest.fixture
def body() -> str:
    return json.dumps(envelope(session_ended_request()))


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv(EXTRA_CA_ENV, raising=False)
    monkeypatch.delenv(CERT_DIR_ENV, raising=False)
    return monkeypatch


class CountingFetch:
    """Serves one chain for any URL and counts the downloads."""

    def __init__(self, chain: bytes, failures: int = 0) -> None:
        self.chain = chain
        self.failures = failures
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self, url: str) -> bytes:
        with self._lock:
            self.calls += 1
            if self.calls <= self.failures:
                raise VerificationException("S3 is having a bad day")
        return self.chain


def _verify(verifier: AlexaSignatureVerifier, headers: dict[str, str], body: str) -> None:
    verifier.verify(headers, body, None)


def _signed_with_url(signer: AlexaTestSigner, body: str, url: str) -> dict[str, str]:
    return {**signer.sign(body.encode()), "SignatureCertChainUrl": url}


def test_disabled_verification_builds_no_verifiers() -> None:
    assert build_verifiers(VerificationSettings(verify=False)) == []


def test_enabled_verification_checks_signature_and_timestamp() -> None:
    verifiers = build_verifiers(VerificationSettings())
    assert [type(v) for v in verifiers] == [AlexaSignatureVerifier, TimestampVerifier]
    assert isinstance(verifiers[0], RequestVerifier)


def test_environment_settings_trust_the_extra_ca_and_read_the_cert_dir(
    signer: AlexaTestSigner, body: str, tmp_path: Path, clean_environment: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ca.pem").write_bytes(signer.ca_pem)
    clean_environment.setenv(EXTRA_CA_ENV, str(tmp_path / "ca.pem"))
    clean_environment.setenv(CERT_DIR_ENV, str(signer.write_cert_dir(tmp_path / "chains")))
    settings = VerificationSettings.from_environment()
    verifier = build_verifiers(settings)[0]
    assert isinstance(verifier, AlexaSignatureVerifier)
    _verify(verifier, signer.sign(body.encode()), body)


def test_test_chain_is_untrusted_without_the_extra_ca(
    signer: AlexaTestSigner, body: str, tmp_path: Path, clean_environment: pytest.MonkeyPatch
) -> None:
    clean_environment.setenv(CERT_DIR_ENV, str(signer.write_cert_dir(tmp_path / "chains")))
    verifier = AlexaSignatureVerifier(VerificationSettings.from_environment().fetch)
    with pytest.raises(VerificationException, match="Certificate chain is not valid"):
        _verify(verifier, signer.sign(body.encode()), body)


def test_chain_missing_from_the_cert_dir_fails_verification(
    signer: AlexaTestSigner, body: str, tmp_path: Path, clean_environment: pytest.MonkeyPatch
) -> None:
    (tmp_path / "empty").mkdir()
    clean_environment.setenv(CERT_DIR_ENV, str(tmp_path / "empty"))
    settings = VerificationSettings.from_environment()
    verifier = AlexaSignatureVerifier(settings.fetch, (signer.ca_pem,))
    with pytest.raises(VerificationException, match="No pre-fetched certificate chain"):
        _verify(verifier, signer.sign(body.encode()), body)


def test_unreadable_extra_ca_fails_at_start_up(
    tmp_path: Path, clean_environment: pytest.MonkeyPatch
) -> None:
    clean_environment.setenv(EXTRA_CA_ENV, str(tmp_path / "missing.pem"))
    with pytest.raises(ValueError, match=EXTRA_CA_ENV):
        VerificationSettings.from_environment()


def test_extra_ca_without_a_certificate_fails_at_start_up(
    tmp_path: Path, clean_environment: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ca.pem").write_text("not a certificate\n")
    clean_environment.setenv(EXTRA_CA_ENV, str(tmp_path / "ca.pem"))
    with pytest.raises(ValueError, match="holds no PEM certificate"):
        VerificationSettings.from_environment()


def test_a_chain_is_fetched_once_per_url(signer: AlexaTestSigner, body: str) -> None:
    fetch = CountingFetch(signer.chain_pem)
    verifier = AlexaSignatureVerifier(fetch, (signer.ca_pem,))
    for _ in range(3):
        _verify(verifier, signer.sign(body.encode()), body)
    assert fetch.calls == 1


def test_the_chain_cache_forgets_the_least_recently_used_url(
    signer: AlexaTestSigner, body: str
) -> None:
    fetch = CountingFetch(signer.chain_pem)
    verifier = AlexaSignatureVerifier(fetch, (signer.ca_pem,))
    urls = [f"{ECHO_API}/cert-{n}.pem" for n in range(CHAIN_CACHE_SIZE + 1)]
    for url in urls:
        _verify(verifier, _signed_with_url(signer, body, url), body)
    _verify(verifier, _signed_with_url(signer, body, urls[-1]), body)
    assert fetch.calls == len(urls)
    _verify(verifier, _signed_with_url(signer, body, urls[0]), body)
    assert fetch.calls == len(urls) + 1


def test_a_failed_fetch_is_retried_on_the_next_request(signer: AlexaTestSigner, body: str) -> None:
    fetch = CountingFetch(signer.chain_pem, failures=1)
    verifier = AlexaSignatureVerifier(fetch, (signer.ca_pem,))
    with pytest.raises(VerificationException):
        _verify(verifier, signer.sign(body.encode()), body)
    _verify(verifier, signer.sign(body.encode()), body)
    assert fetch.calls == 2


def test_concurrent_requests_share_one_verifier(signer: AlexaTestSigner, body: str) -> None:
    verifier = AlexaSignatureVerifier(CountingFetch(signer.chain_pem), (signer.ca_pem,))
    headers = signer.sign(body.encode())
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: _verify(verifier, headers, body), range(32)))
    assert results == [None] * 32


def _static_app(payload: bytes, status: str = "200 OK") -> WSGIApplication:
    """A stand-in for S3 that answers every path with the same bytes."""

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response(status, [("Content-Type", "application/x-pem-file")])
        return [payload]

    return app


@pytest.fixture
def served_chain(signer: AlexaTestSigner) -> Iterator[str]:
    with serve_wsgi(_static_app(signer.chain_pem)) as base_url:
        yield base_url + "/echo.api/chain.pem"


def test_fetch_returns_the_published_chain(served_chain: str, signer: AlexaTestSigner) -> None:
    assert fetch_certificate_chain(served_chain) == signer.chain_pem


def test_fetch_of_a_missing_chain_is_a_verification_failure() -> None:
    with (
        serve_wsgi(_static_app(b"not found", "404 Not Found")) as base_url,
        pytest.raises(VerificationException, match="Unable to fetch"),
    ):
        fetch_certificate_chain(base_url + "/echo.api/missing.pem")


def test_fetch_from_an_unreachable_host_is_a_verification_failure() -> None:
    with serve_wsgi(_static_app(b"")) as base_url:
        pass  # the port is closed again once the server is gone
    with pytest.raises(VerificationException, match="Unable to fetch"):
        fetch_certificate_chain(base_url + "/echo.api/chain.pem")


def test_fetch_refuses_an_oversized_chain() -> None:
    with (
        serve_wsgi(_static_app(b"x" * (MAX_CHAIN_BYTES + 1))) as base_url,
        pytest.raises(VerificationException, match="too large"),
    ):
        fetch_certificate_chain(base_url + "/echo.api/huge.pem")
