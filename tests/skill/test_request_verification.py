"""The Alexa endpoint over real HTTP: only requests Alexa really signed, just now, get through.

The app, the verifier and the certificates are all real; only Amazon's CA is replaced by a
local one (an extra trust root) and S3 by the signer's `fetch`.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from ask_sdk_webservice_support.verifier import VerificationException
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import func, select

from backend.catalog_data import CatalogSpec
from backend.persistence.models import Base
from backend.runtime import Backend, open_backend
from backend.seed import seed
from skill.settings import SkillSettings
from skill.verification import AlexaSignatureVerifier
from skill.web import ALEXA_ROUTE, create_app
from tests.support.alexa_signing import (
    AlexaTestSigner,
    CertificateAuthority,
    SigningIdentity,
    envelope,
    intent_request,
    session_ended_request,
    shared_signer,
)
from tests.support.http_server import serve_wsgi

ECHO_API = "https://s3.amazonaws.com/echo.api"
ADD_OAT_MILK = intent_request("AddToCartIntent", {"product": "oat milk", "quantity": "2"})


class RejectionLog(logging.Handler):
    """Why the app refused each request: flask-ask-sdk logs the VerificationException it caught."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.reasons: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        # skill.web turns the SDK's traceback into one warning and keeps the exception here.
        error = getattr(record, "verification_error", None)
        if isinstance(error, VerificationException):
            self.reasons.append(f"{error.args[0]} (cause: {error.__cause__!r})")


@dataclass(frozen=True)
class Endpoint:
    url: str
    backend: Backend
    rejections: RejectionLog

    def post(self, body: bytes, headers: dict[str, str]) -> requests.Response:
        return requests.post(self.url, data=body, headers=headers, timeout=10)

    def row_counts(self) -> dict[str, int]:
        with self.backend.store.engine.connect() as connection:
            return {
                name: connection.scalar(select(func.count()).select_from(table)) or 0
                for name, table in Base.metadata.tables.items()
            }


@pytest.fixture(scope="module")
def signer() -> AlexaTestSigner:
    return shared_signer()


@pytest.fixture(scope="module")
def endpoint(
    signer: AlexaTestSigner,
    sqlite_template: Path,
    catalog: CatalogSpec,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Endpoint]:
    path = tmp_path_factory.mktemp("verification") / "store.sqlite3"
    shutil.copy(sqlite_template, path)
    backend = open_backend(f"sqlite:///{path}")
    seed(backend.uow(), catalog)
    settings = SkillSettings(skill_id=envelope({})["session"]["application"]["applicationId"])
    app = create_app(backend, settings, signer.verification_settings())
    rejections = RejectionLog()
    app.logger.addHandler(rejections)
    with serve_wsgi(app) as base_url:
        yield Endpoint(base_url + ALEXA_ROUTE, backend, rejections)
    backend.store.dispose()


def _body(request: dict[str, Any], **kwargs: Any) -> bytes:
    return json.dumps(envelope(request, **kwargs)).encode("utf-8")


def _assert_rejected(
    endpoint: Endpoint, body: bytes, headers: dict[str, str], *, because: str
) -> None:
    """400, nothing written, no internals leaked, and refused for the reason the test is about."""
    before = endpoint.row_counts()
    seen = len(endpoint.rejections.reasons)
    response = endpoint.post(body, headers)
    assert response.status_code == 400
    assert "Traceback" not in response.text
    assert endpoint.row_counts() == before
    reasons = endpoint.rejections.reasons[seen:]
    assert len(reasons) == 1
    assert because in reasons[0]


def _with_url(signer: AlexaTestSigner, body: bytes, url: str) -> dict[str, str]:
    return {**signer.sign(body), "SignatureCertChainUrl": url}


def test_signed_fresh_request_is_accepted(endpoint: Endpoint, signer: AlexaTestSigner) -> None:
    body = _body(session_ended_request())
    response = endpoint.post(body, signer.sign(body))
    assert response.status_code == 200
    assert response.json()["version"] == "1.0"


def test_signed_add_to_cart_changes_the_cart(endpoint: Endpoint, signer: AlexaTestSigner) -> None:
    # The counterpart of every rejection below: the same request, signed, does write.
    body = _body(ADD_OAT_MILK)
    before = endpoint.row_counts()
    response = endpoint.post(body, signer.sign(body))
    assert response.status_code == 200
    assert endpoint.row_counts()["cart_lines"] > before["cart_lines"]


def test_unsigned_request_is_rejected(endpoint: Endpoint) -> None:
    _assert_rejected(
        endpoint,
        _body(ADD_OAT_MILK),
        {"Content-Type": "application/json"},
        because="Missing Signature/Certificate",
    )


def test_signature_of_another_body_is_rejected(endpoint: Endpoint, signer: AlexaTestSigner) -> None:
    signed = _body(session_ended_request())
    _assert_rejected(
        endpoint, _body(ADD_OAT_MILK), signer.sign(signed), because="Request body is not valid"
    )


def test_signature_that_is_not_base64_is_rejected(
    endpoint: Endpoint, signer: AlexaTestSigner
) -> None:
    body = _body(ADD_OAT_MILK)
    _assert_rejected(
        endpoint,
        body,
        {**signer.sign(body), "Signature-256": "not base64!"},
        because="Invalid base64",
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example.com/echo.api/echo-api-cert-vcom-test.pem",
        "https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert-vcom-test.pem",
    ],
    ids=["other-host", "lookalike-host"],
)
def test_certificate_url_on_another_host_is_rejected(
    endpoint: Endpoint, signer: AlexaTestSigner, url: str
) -> None:
    body = _body(ADD_OAT_MILK)
    _assert_rejected(endpoint, body, _with_url(signer, body, url), because="invalid hostname")


@pytest.mark.parametrize(
    "url",
    [
        "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert-vcom-test.pem",
        "https://s3.amazonaws.com/other/echo-api-cert-vcom-test.pem",
        "https://s3.amazonaws.com/echo.api/../other/echo-api-cert-vcom-test.pem",
    ],
    ids=["wrong-case", "other-folder", "dot-dot-escape"],
)
def test_certificate_url_outside_echo_api_path_is_rejected(
    endpoint: Endpoint, signer: AlexaTestSigner, url: str
) -> None:
    body = _body(ADD_OAT_MILK)
    _assert_rejected(endpoint, body, _with_url(signer, body, url), because="invalid path")


def test_certificate_url_without_https_is_rejected(
    endpoint: Endpoint, signer: AlexaTestSigner
) -> None:
    body = _body(ADD_OAT_MILK)
    url = signer.cert_url.replace("https://", "http://")
    _assert_rejected(endpoint, body, _with_url(signer, body, url), because="invalid protocol")


def test_certificate_url_on_another_port_is_rejected(
    endpoint: Endpoint, signer: AlexaTestSigner
) -> None:
    body = _body(ADD_OAT_MILK)
    url = signer.cert_url.replace("s3.amazonaws.com", "s3.amazonaws.com:8443")
    _assert_rejected(endpoint, body, _with_url(signer, body, url), because="invalid port")


def test_certificate_chain_that_cannot_be_fetched_is_rejected(
    endpoint: Endpoint, signer: AlexaTestSigner
) -> None:
    body = _body(ADD_OAT_MILK)
    _assert_rejected(
        endpoint,
        body,
        _with_url(signer, body, f"{ECHO_API}/never-published.pem"),
        because="no certificate chain published",
    )


def test_chain_from_an_untrusted_root_is_rejected(
    endpoint: Endpoint, signer: AlexaTestSigner
) -> None:
    stranger = CertificateAuthority.create("vcom untrusted root CA")
    identity = signer.issue(f"{ECHO_API}/untrusted-root.pem", ca=stranger)
    body = _body(ADD_OAT_MILK)
    _assert_rejected(endpoint, body, identity.sign(body), because="no issuer matching")


def test_signing_certificate_for_another_domain_is_rejected(
    endpoint: Endpoint, signer: AlexaTestSigner
) -> None:
    identity = signer.issue(f"{ECHO_API}/other-domain.pem", dns_names=("echo-api.example.com",))
    body = _body(ADD_OAT_MILK)
    _assert_rejected(endpoint, body, identity.sign(body), because="echo-api.amazon.com missing")


def test_signing_certificate_without_subject_alternative_names_is_rejected(
    endpoint: Endpoint, signer: AlexaTestSigner
) -> None:
    identity = signer.issue(f"{ECHO_API}/no-san.pem", dns_names=())
    body = _body(ADD_OAT_MILK)
    _assert_rejected(endpoint, body, identity.sign(body), because="no SAN extension")


def _issued_at(
    signer: AlexaTestSigner, name: str, start: timedelta, end: timedelta
) -> SigningIdentity:
    now = datetime.now(UTC)
    return signer.issue(f"{ECHO_API}/{name}.pem", valid_from=now + start, valid_until=now + end)


def test_expired_signing_certificate_is_rejected(
    endpoint: Endpoint, signer: AlexaTestSigner
) -> None:
    identity = _issued_at(signer, "expired", timedelta(days=-10), timedelta(minutes=-1))
    body = _body(ADD_OAT_MILK)
    _assert_rejected(endpoint, body, identity.sign(body), because="end-entity certificate expired")


def test_signing_certificate_not_yet_valid_is_rejected(
    endpoint: Endpoint, signer: AlexaTestSigner
) -> None:
    identity = _issued_at(signer, "not-yet-valid", timedelta(minutes=5), timedelta(days=10))
    body = _body(ADD_OAT_MILK)
    _assert_rejected(endpoint, body, identity.sign(body), because="not valid until")


def test_stale_timestamp_is_rejected(endpoint: Endpoint, signer: AlexaTestSigner) -> None:
    body = _body(ADD_OAT_MILK, timestamp=datetime.now(UTC) - timedelta(seconds=200))
    _assert_rejected(endpoint, body, signer.sign(body), because="Timestamp verification failed")


def test_timestamp_from_the_future_is_rejected(endpoint: Endpoint, signer: AlexaTestSigner) -> None:
    body = _body(ADD_OAT_MILK, timestamp=datetime.now(UTC) + timedelta(seconds=200))
    _assert_rejected(endpoint, body, signer.sign(body), because="Timestamp verification failed")


def test_signed_request_for_another_skill_is_refused_with_400(
    endpoint: Endpoint, signer: AlexaTestSigner
) -> None:
    body = _body(ADD_OAT_MILK, application_id="amzn1.ask.skill.someone-else")
    _assert_rejected(endpoint, body, signer.sign(body), because="Request is for another skill")


def test_chain_led_by_an_x509_certificate_block_is_rejected(
    endpoint: Endpoint, signer: AlexaTestSigner
) -> None:
    # An attacker's certificate (own CA, own key, the right SAN) as an "X509 CERTIFICATE" block
    # in front of a genuine chain: the chain check must not read one leaf and the signature
    # check another.
    stranger = CertificateAuthority.create("vcom attacker CA")
    attacker_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = stranger.issue(attacker_key).public_bytes(serialization.Encoding.PEM)
    x509_block = forged.replace(b"CERTIFICATE-----", b"X509 CERTIFICATE-----")
    url = f"{ECHO_API}/x509-block-first.pem"
    signer.publish(url, x509_block + signer.chain_pem)
    attacker = SigningIdentity(url, attacker_key, x509_block + signer.chain_pem)
    body = _body(ADD_OAT_MILK)
    _assert_rejected(endpoint, body, attacker.sign(body), because="not a CERTIFICATE")


@pytest.mark.parametrize(
    "url",
    [
        f"{ECHO_API}/%2e%2e/other/echo-api-cert-vcom-test.pem",
        f"{ECHO_API}/%2E%2E/echo.api/echo-api-cert-vcom-test.pem?x=1",
        f"{ECHO_API}/echo-api-cert-vcom-test.pem?version=2",
        f"{ECHO_API}/echo-api-cert-vcom-test.pem#part",
        "https://user@s3.amazonaws.com/echo.api/echo-api-cert-vcom-test.pem",
        "https://s3.amazonaws.com:0443/echo.api/echo-api-cert-vcom-test.pem",
        "https://s3.amazonaws.com:/echo.api/echo-api-cert-vcom-test.pem",
        "https://s3.amazonaws.com./echo.api/echo-api-cert-vcom-test.pem",
        f"{ECHO_API}/..%2fother/echo-api-cert-vcom-test.pem",
        f"{ECHO_API}\\..\\other/echo-api-cert-vcom-test.pem",
    ],
    ids=[
        "encoded-dot-dot",
        "encoded-dot-dot-and-query",
        "query",
        "fragment",
        "user-info",
        "port-with-leading-zero",
        "empty-port",
        "host-with-trailing-dot",
        "encoded-slash",
        "backslash",
    ],
)
def test_certificate_url_outside_amazons_rules_is_rejected(
    endpoint: Endpoint, signer: AlexaTestSigner, url: str
) -> None:
    body = _body(ADD_OAT_MILK)
    _assert_rejected(
        endpoint, body, _with_url(signer, body, url), because="Signature Certificate URL has"
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://s3.amazonaws.com:443/echo.api/echo-api-cert-vcom-test.pem",
        "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert-vcom-test.pem",
        "https://s3.amazonaws.com/echo.api/%2e%2e/echo.api/./echo-api-cert-vcom-test.pem",
        "HTTPS://S3.AMAZONAWS.COM/echo.api/echo-api-cert-vcom-test.pem",
    ],
    ids=["port-443", "dot-dot-back-in", "encoded-dot-dot-back-in", "upper-case-host"],
)
def test_certificate_url_in_amazons_other_spellings_fetches_the_normalized_url(
    endpoint: Endpoint, signer: AlexaTestSigner, url: str
) -> None:
    # The signer publishes the chain only at the canonical URL: these pass only if the
    # normalized URL, not the one in the header, is fetched.
    body = _body(session_ended_request())
    response = endpoint.post(body, _with_url(signer, body, url))
    assert response.status_code == 200


def test_chain_cache_is_keyed_by_the_normalized_url(signer: AlexaTestSigner) -> None:
    fetched: list[str] = []

    def counting_fetch(url: str) -> bytes:
        fetched.append(url)
        return signer.fetch(url)

    verifier = AlexaSignatureVerifier(counting_fetch, (signer.ca_pem,))
    body = _body(session_ended_request())
    spellings = [
        signer.cert_url,
        signer.cert_url.replace("s3.amazonaws.com", "s3.amazonaws.com:443"),
        signer.cert_url.replace("/echo.api/", "/echo.api/../echo.api/"),
        signer.cert_url.replace("/echo.api/", "/echo.api/./"),
        signer.cert_url.replace("https://s3", "HTTPS://S3"),
    ]
    for url in spellings:
        headers = _with_url(signer, body, url)
        verifier.verify(headers, body.decode(), None)
    assert fetched == [signer.cert_url]


def test_chains_that_fail_verification_cannot_push_the_good_one_out_of_the_cache(
    signer: AlexaTestSigner,
) -> None:
    fetched: list[str] = []

    def counting_fetch(url: str) -> bytes:
        fetched.append(url)
        return signer.fetch(url)

    verifier = AlexaSignatureVerifier(counting_fetch, (signer.ca_pem,))
    body = _body(session_ended_request())
    good = signer.sign(body)
    verifier.verify(good, body.decode(), None)
    stranger = CertificateAuthority.create("vcom cache-flooding CA")
    for number in range(20):  # more than the cache holds
        flood = signer.issue(f"{ECHO_API}/flood-{number}.pem", ca=stranger)
        with pytest.raises(VerificationException):
            verifier.verify(flood.sign(body), body.decode(), None)
    verifier.verify(good, body.decode(), None)
    assert fetched.count(signer.cert_url) == 1
