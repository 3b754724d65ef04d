"""Signs requests the way Alexa does, with a local CA in place of Amazon's, and builds envelopes.

The certificates are real X.509 made with `cryptography`; the verifier under test checks them
exactly as it checks Amazon's. Only the chain source and one extra trust root differ.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ask_sdk_webservice_support.verifier import VerificationException
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from skill.verification import VerificationSettings

ALEXA_DOMAIN = "echo-api.amazon.com"
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-vcom-test.pem"
SKILL_ID = "amzn1.ask.skill.00000000-0000-4000-8000-000000000001"
USER_ID = "amzn1.ask.account.VCOMTESTUSER"
DEVICE_ID = "amzn1.ask.device.VCOMTESTDEVICE"
API_ENDPOINT = "https://api.amazonalexa.com"
APL = "Alexa.Presentation.APL"


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _key_usage(*, digital_signature: bool, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital_signature,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


@dataclass(frozen=True)
class CertificateAuthority:
    """A self-signed root that can issue signing certificates."""

    key: rsa.RSAPrivateKey
    certificate: x509.Certificate

    @classmethod
    def create(cls, common_name: str) -> CertificateAuthority:
        key = _new_key()
        now = datetime.now(UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name))
            .issuer_name(_name(common_name))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(_key_usage(digital_signature=False, cert_sign=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .sign(key, hashes.SHA256())
        )
        return cls(key, certificate)

    @property
    def pem(self) -> bytes:
        return _pem(self.certificate)

    def issue(
        self,
        key: rsa.RSAPrivateKey,
        *,
        dns_names: tuple[str, ...] = (ALEXA_DOMAIN,),
        valid_from: datetime | None = None,
        valid_until: datetime | None = None,
    ) -> x509.Certificate:
        """A signing certificate like Amazon's; an empty `dns_names` leaves out the SAN."""
        now = datetime.now(UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(dns_names[0] if dns_names else "no-san.example"))
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(valid_from or now - timedelta(hours=1))
            .not_valid_after(valid_until or now + timedelta(days=7))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(digital_signature=True, cert_sign=False), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), False
            )
        )
        if dns_names:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName(name) for name in dns_names]), False
            )
        return builder.sign(self.key, hashes.SHA256())


@dataclass(frozen=True)
class SigningIdentity:
    """A signing key, the chain that vouches for it, and the URL Alexa would name for it."""

    cert_url: str
    key: rsa.RSAPrivateKey
    chain_pem: bytes

    def sign(self, body: bytes) -> dict[str, str]:
        signature = self.key.sign(body, padding.PKCS1v15(), hashes.SHA256())
        return {
            "SignatureCertChainUrl": self.cert_url,
            "Signature-256": base64.b64encode(signature).decode("ascii"),
            "Content-Type": "application/json; charset=utf-8",
        }


class AlexaTestSigner:
    """A trusted local CA and a valid signing identity; more identities on request.

    `fetch` serves the chain of every identity issued here, like S3 serves Amazon's.
    """

    def __init__(self) -> None:
        self.ca = CertificateAuthority.create("vcom test root CA")
        self._signing_key = _new_key()
        self._chains: dict[str, bytes] = {}
        self.identity = self.issue(CERT_URL)

    @property
    def cert_url(self) -> str:
        return self.identity.cert_url

    @property
    def chain_pem(self) -> bytes:
        return self.identity.chain_pem

    @property
    def ca_pem(self) -> bytes:
        return self.ca.pem

    def issue(
        self,
        cert_url: str,
        *,
        ca: CertificateAuthority | None = None,
        dns_names: tuple[str, ...] = (ALEXA_DOMAIN,),
        valid_from: datetime | None = None,
        valid_until: datetime | None = None,
    ) -> SigningIdentity:
        """A signing identity published at `cert_url` (issued by our trusted CA unless `ca`)."""
        issuer = ca or self.ca
        certificate = issuer.issue(
            self._signing_key, dns_names=dns_names, valid_from=valid_from, valid_until=valid_until
        )
        chain = _pem(certificate) + issuer.pem
        self._chains[cert_url] = chain
        return SigningIdentity(cert_url, self._signing_key, chain)

    def sign(self, body: bytes) -> dict[str, str]:
        return self.identity.sign(body)

    def publish(self, cert_url: str, chain_pem: bytes) -> None:
        """Serves any bytes as the chain at `cert_url` (for forged chains)."""
        self._chains[cert_url] = chain_pem

    def fetch(self, url: str) -> bytes:
        try:
            return self._chains[url]
        except KeyError:
            raise VerificationException(f"no certificate chain published at {url}") from None

    def write_cert_dir(self, path: Path) -> Path:
        """Writes every published chain as <sha256(url)>.pem, the VCOM_ALEXA_CERT_DIR layout."""
        path.mkdir(parents=True, exist_ok=True)
        for url, chain in self._chains.items():
            (path / f"{hashlib.sha256(url.encode()).hexdigest()}.pem").write_bytes(chain)
        return path

    def verification_settings(self) -> VerificationSettings:
        return VerificationSettings(verify=True, fetch=self.fetch, extra_trust_roots=(self.ca_pem,))


@functools.cache
def shared_signer() -> AlexaTestSigner:
    """One signer for the whole test session: making the keys and CA takes a few tenths of a s."""
    return AlexaTestSigner()


def alexa_timestamp(moment: datetime | None = None) -> str:
    """ISO-8601 UTC with a 'Z', as Alexa sends it (e.g. 2026-11-23T10:15:30Z)."""
    return (moment or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def envelope(
    request: dict[str, Any],
    *,
    session: dict[str, Any] | None = None,
    device_apl: bool = False,
    user_id: str = USER_ID,
    device_id: str = DEVICE_ID,
    timestamp: datetime | None = None,
    locale: str = "en-US",
    application_id: str = SKILL_ID,
) -> dict[str, Any]:
    """A request envelope as documented in Amazon's request and response JSON reference.

    `request` needs only its type and type-specific fields; id, timestamp and locale are filled
    in. `session` holds session attributes: None starts a new session.
    """
    application = {"applicationId": application_id}
    user = {"userId": user_id}
    interfaces: dict[str, Any] = {APL: {"runtime": {"maxVersion": "2023.3"}}} if device_apl else {}
    filled = {
        "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
        "timestamp": alexa_timestamp(timestamp),
        "locale": locale,
        **request,
    }
    return {
        "version": "1.0",
        "session": {
            "new": session is None,
            "sessionId": f"amzn1.echo-api.session.{uuid.uuid4()}",
            "application": application,
            "attributes": dict(session or {}),
            "user": user,
        },
        "context": {
            "System": {
                "application": application,
                "user": user,
                "device": {"deviceId": device_id, "supportedInterfaces": interfaces},
                "apiEndpoint": API_ENDPOINT,
                "apiAccessToken": "vcom-test-api-access-token",
            }
        },
        "request": filled,
    }


def intent_request(name: str, slots: dict[str, str] | None = None) -> dict[str, Any]:
    """An IntentRequest body with plain slot values (no entity resolution)."""
    return {
        "type": "IntentRequest",
        "dialogState": "STARTED",
        "intent": {
            "name": name,
            "confirmationStatus": "NONE",
            "slots": {
                slot: {"name": slot, "value": value, "confirmationStatus": "NONE"}
                for slot, value in (slots or {}).items()
            },
        },
    }


def session_ended_request(reason: str = "USER_INITIATED") -> dict[str, Any]:
    return {"type": "SessionEndedRequest", "reason": reason}
