"""Alexa request verification: Amazon's signature and timestamp checks, pluggable chain source.

Every check Amazon requires stays in force (certificate URL, chain to a trusted root, end
certificate dates and SAN, RSA/SHA-256 signature over the raw body, 150 s timestamp window).
Only where the certificate chain comes from and which extra roots are trusted can be changed,
so the same code runs for real against Amazon and against a private test CA.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
import time
import urllib.error
import urllib.request
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, urlsplit

from ask_sdk_webservice_support.verifier import (
    AbstractVerifier,
    RequestVerifier,
    TimestampVerifier,
    VerificationException,
)
from ask_sdk_webservice_support.verifier_constants import CERT_CHAIN_DOMAIN
from asn1crypto import pem
from certvalidator import CertificateValidator, ValidationContext
from certvalidator.errors import PathError, ValidationError
from cryptography import x509

from backend.errors import ConfigurationError

log = logging.getLogger(__name__)

CertificateFetcher = Callable[[str], bytes]

FETCH_TIMEOUT_SECONDS = 5.0
# Amazon's chain is a few kilobytes; refuse anything that could exhaust memory.
MAX_CHAIN_BYTES = 64 * 1024
CHAIN_CACHE_SIZE = 16
# How long a validated chain is trusted before its path is validated again.
VALIDATED_CHAIN_SECONDS = 600.0
EXTRA_CA_ENV = "VCOM_ALEXA_EXTRA_CA"
CERT_DIR_ENV = "VCOM_ALEXA_CERT_DIR"


# Amazon's rules for SignatureCertChainUrl, applied to the URL once normalised: scheme https and
# host s3.amazonaws.com (both case-insensitive), path starting with /echo.api/ (case-sensitive),
# and a port, if given, of 443.
CERT_URL_SCHEME = "https"
CERT_URL_HOST = "s3.amazonaws.com"
CERT_URL_PATH_PREFIX = "/echo.api/"
CERT_URL_PORT = "443"
_PERCENT_ENCODED = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def normalized_certificate_url(url: str) -> str:
    """The certificate URL in the one form it is checked, fetched and cached under, or a
    VerificationException saying which of Amazon's rules it breaks.

    Stricter than a plain parse where a looser reading could reach another file: percent-encoded
    dots are decoded before dot segments are removed, and a query, a fragment, user information,
    any other percent-encoding, a backslash or a port written other than "443" are refused
    (Amazon's URLs never carry them).
    """
    if not isinstance(url, str) or not url.isascii() or any(c.isspace() for c in url):
        raise VerificationException("Signature Certificate URL is not a plain ASCII URL")
    try:
        parts = urlsplit(url)
        port_given = parts.netloc.rpartition("@")[2].rpartition("]")[2].partition(":")[2]
    except ValueError as error:
        raise VerificationException("Signature Certificate URL cannot be parsed") from error
    if parts.scheme.lower() != CERT_URL_SCHEME:
        raise VerificationException(
            f"Signature Certificate URL has invalid protocol: {parts.scheme!r}; expecting https"
        )
    if "@" in parts.netloc:
        raise VerificationException("Signature Certificate URL has invalid user information")
    if (parts.hostname or "").lower() != CERT_URL_HOST or parts.netloc.count(":") > 1:
        raise VerificationException(
            f"Signature Certificate URL has invalid hostname: {parts.hostname!r}; "
            f"expecting {CERT_URL_HOST}"
        )
    if ":" in parts.netloc and port_given != CERT_URL_PORT:
        raise VerificationException(
            f"Signature Certificate URL has invalid port: {port_given!r}; expecting 443"
        )
    if parts.query or parts.fragment or "?" in url or "#" in url:
        raise VerificationException("Signature Certificate URL has invalid query or fragment")
    path = _remove_dot_segments(_decode_unreserved(parts.path))
    if not path.startswith(CERT_URL_PATH_PREFIX) or path == CERT_URL_PATH_PREFIX:
        raise VerificationException(
            f"Signature Certificate URL has invalid path: {path!r}; "
            f"expecting it to start with {CERT_URL_PATH_PREFIX}"
        )
    return SplitResult(CERT_URL_SCHEME, CERT_URL_HOST, path, "", "").geturl()


def _decode_unreserved(path: str) -> str:
    """Decodes %2e and other unreserved characters (RFC 3986 6.2.2.2); refuses the rest."""

    def decode(match: re.Match[str]) -> str:
        character = chr(int(match.group(1), 16))
        if character not in _UNRESERVED:
            raise VerificationException(
                f"Signature Certificate URL has invalid path: encoded {match.group(0)!r}"
            )
        return character

    if "\\" in path:
        raise VerificationException("Signature Certificate URL has invalid path: a backslash")
    return _PERCENT_ENCODED.sub(decode, path)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4, on an absolute path."""
    output: list[str] = []
    segments = path.split("/")[1:] if path.startswith("/") else path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
        elif segment == "..":
            if output:
                output.pop()
            if last:
                output.append("")
        else:
            output.append(segment)
    return "/" + "/".join(output)


def fetch_certificate_chain(url: str) -> bytes:
    """Download the PEM chain over HTTPS (the URL has already passed Amazon's URL rules)."""
    try:
        with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT_SECONDS) as response:
            data: bytes = response.read(MAX_CHAIN_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise VerificationException(f"Unable to fetch certificate chain from {url}") from error
    if len(data) > MAX_CHAIN_BYTES:
        raise VerificationException(f"Certificate chain at {url} is too large")
    return data


def chain_file_name(url: str) -> str:
    """The file a pre-fetched chain for `url` is stored under in a certificate directory."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest() + ".pem"


@dataclass(frozen=True)
class DirectoryCertificateFetcher:
    """Reads pre-fetched chains from a directory, for hosts that cannot reach Amazon."""

    directory: Path

    def __call__(self, url: str) -> bytes:
        path = self.directory / chain_file_name(url)
        try:
            data = path.read_bytes()
        except OSError as error:
            # A missing chain must fail verification, never fall back to trusting the request.
            raise VerificationException(f"No pre-fetched certificate chain for {url}") from error
        if len(data) > MAX_CHAIN_BYTES:
            raise VerificationException(f"Certificate chain file {path} is too large")
        return data


def _pem_certificates(data: bytes) -> list[bytes]:
    """DER bytes of every certificate in a PEM bundle, in order.

    Every block must be a CERTIFICATE: a bundle with any other block (an "X509 CERTIFICATE", a
    key) is refused whole, so no reader can pick a different first certificate than this one.
    """
    try:
        blocks = list(pem.unarmor(data, multiple=True))
    except (ValueError, TypeError) as error:
        raise VerificationException("Certificate chain is not valid PEM") from error
    kinds = {kind for kind, _, _ in blocks}
    if kinds - {"CERTIFICATE"}:
        raise VerificationException(
            f"Certificate chain holds a block that is not a CERTIFICATE: {sorted(kinds)}"
        )
    return [der for _, _, der in blocks]


class AlexaSignatureVerifier(RequestVerifier):
    """ask-sdk's RequestVerifier with an injectable chain source and extra trust roots."""

    def __init__(
        self,
        fetch: CertificateFetcher = fetch_certificate_chain,
        extra_trust_roots: Sequence[bytes] = (),
    ) -> None:
        super().__init__()
        self._fetch = fetch
        roots: list[bytes] = []
        for bundle in extra_trust_roots:
            certificates = _pem_certificates_or_empty(bundle)
            if not certificates:
                raise ValueError("an extra trust root holds no PEM certificate")
            roots.extend(certificates)
        self._extra_roots = tuple(roots)
        self._chains: OrderedDict[str, bytes] = OrderedDict()
        self._validated: OrderedDict[bytes, float] = OrderedDict()
        self._validation_lock = threading.Lock()
        self._lock = threading.Lock()

    def verify(
        self,
        headers: Any,
        serialized_request_env: str,
        deserialized_request_env: Any,
    ) -> None:
        try:
            super().verify(headers, serialized_request_env, deserialized_request_env)
        except VerificationException:
            raise
        except (ValueError, TypeError, x509.ExtensionNotFound) as error:
            # Malformed base64, non-RSA keys, a certificate without SANs: the parent lets these
            # escape as 500s; they are bad requests.
            raise VerificationException("Request signature could not be verified") from error

    def _retrieve_and_validate_certificate_chain(
        self, cert_url: str, x509_backend: Any = None
    ) -> x509.Certificate:
        """The signing certificate, from a chain parsed once: the certificate whose path is
        validated is the very one whose dates, SAN and key are checked."""
        url = normalized_certificate_url(cert_url)  # checked, fetched and cached in this form
        chain = self._load_cert_chain(url)
        certificates = _pem_certificates(chain)
        if not certificates:
            raise VerificationException("Certificate chain holds no certificate")
        self._validate_cert_chain(certificates)
        try:
            end_cert = x509.load_der_x509_certificate(certificates[0])
        except ValueError as error:
            raise VerificationException("Signing certificate cannot be read") from error
        self._validate_end_certificate(end_cert)
        # Only a chain that passed is kept: requests naming other files (old or foreign chains)
        # cannot push the good one out of the cache.
        self._remember_chain(url, chain)
        return end_cert

    def _validate_certificate_url(self, cert_url: str) -> None:
        normalized_certificate_url(cert_url)

    def _load_cert_chain(self, cert_url: str) -> bytes:
        with self._lock:
            cached = self._chains.get(cert_url)
            if cached is not None:
                self._chains.move_to_end(cert_url)
                return cached
        # Fetch outside the lock: one slow download must not stall every other request.
        try:
            chain = self._fetch(cert_url)
        except VerificationException:
            raise
        except Exception as error:  # any failure of a fetcher is a failed check
            message = f"Unable to load certificate chain from {cert_url}"
            raise VerificationException(message) from error
        return chain

    def _remember_chain(self, cert_url: str, chain: bytes) -> None:
        with self._lock:
            self._chains[cert_url] = chain
            self._chains.move_to_end(cert_url)
            while len(self._chains) > CHAIN_CACHE_SIZE:
                self._chains.popitem(last=False)

    def _validate_cert_chain(self, certificates: list[bytes]) -> None:  # type: ignore[override]
        # Path validation is the costliest step of a request (pure Python): a chain that passed
        # is trusted again for a while. The end certificate's dates, its SAN and the signature
        # are still checked on every request.
        # One validation at a time: asn1crypto/certvalidator are not thread-safe (concurrent
        # validations raised KeyError inside asn1crypto under load), and with the cache below
        # the lock is rarely taken for long.
        digest = hashlib.sha256(b"".join(certificates)).digest()
        with self._validation_lock:
            passed_at = self._validated.get(digest)
            if passed_at is not None and time.monotonic() - passed_at < VALIDATED_CHAIN_SECONDS:
                return
            self._validate_cert_chain_now(certificates)
            self._validated[digest] = time.monotonic()
            self._validated.move_to_end(digest)
            while len(self._validated) > CHAIN_CACHE_SIZE:
                self._validated.popitem(last=False)

    def _validate_cert_chain_now(self, certificates: list[bytes]) -> None:
        end_cert, intermediates = certificates[0], certificates[1:]
        context = ValidationContext(extra_trust_roots=list(self._extra_roots) or None)
        try:
            validator = CertificateValidator(end_cert, intermediates, validation_context=context)
            validator.validate_usage(key_usage={"digital_signature"})
        except (PathError, ValidationError, ValueError, TypeError) as error:
            raise VerificationException("Certificate chain is not valid") from error

    def _validate_end_certificate(self, x509_cert: x509.Certificate) -> None:
        # The parent compares naive utcnow() with deprecated naive properties; use aware ones.
        now = datetime.now(UTC)
        if not (x509_cert.not_valid_before_utc <= now <= x509_cert.not_valid_after_utc):
            raise VerificationException("Signing certificate is not valid at this time")
        try:
            san = x509_cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        except x509.ExtensionNotFound as error:
            raise VerificationException("Signing certificate has no SAN extension") from error
        if CERT_CHAIN_DOMAIN not in san.value.get_values_for_type(x509.DNSName):
            raise VerificationException(f"{CERT_CHAIN_DOMAIN} missing from the signing certificate")


@dataclass(frozen=True)
class VerificationSettings:
    # False only for local development: then anyone who can reach /alexa can act as Alexa.
    verify: bool = True
    fetch: CertificateFetcher = fetch_certificate_chain
    extra_trust_roots: tuple[bytes, ...] = ()

    @classmethod
    def from_environment(cls, *, verify: bool = True) -> VerificationSettings:
        """VCOM_ALEXA_EXTRA_CA: PEM file of extra roots; VCOM_ALEXA_CERT_DIR: pre-fetched chains."""
        extra: tuple[bytes, ...] = ()
        extra_path = os.environ.get(EXTRA_CA_ENV)
        if extra_path:
            try:
                extra = (Path(extra_path).read_bytes(),)
            except OSError as error:
                raise ConfigurationError(
                    f"{EXTRA_CA_ENV}={extra_path} cannot be read: {error}"
                ) from error
            if not _pem_certificates_or_empty(extra[0]):
                raise ConfigurationError(f"{EXTRA_CA_ENV}={extra_path} holds no PEM certificate")
        fetch: CertificateFetcher = fetch_certificate_chain
        cert_dir = os.environ.get(CERT_DIR_ENV)
        if cert_dir:
            directory = Path(cert_dir)
            if not directory.is_dir():
                raise ConfigurationError(f"{CERT_DIR_ENV}={cert_dir} is not a directory")
            fetch = DirectoryCertificateFetcher(directory)
        return cls(verify=verify, fetch=fetch, extra_trust_roots=extra)


def _pem_certificates_or_empty(data: bytes) -> list[bytes]:
    """The CERTIFICATE blocks of a trust-root bundle (other blocks, e.g. a key kept alongside,
    are skipped: roots are the shop's own choice, not a request's)."""
    try:
        return [der for kind, _, der in pem.unarmor(data, multiple=True) if kind == "CERTIFICATE"]
    except (ValueError, TypeError):
        return []


def build_verifiers(settings: VerificationSettings) -> list[AbstractVerifier]:
    if not settings.verify:
        log.warning("Alexa request verification is OFF: use this only for local development")
        return []
    return [
        AlexaSignatureVerifier(settings.fetch, settings.extra_trust_roots),
        TimestampVerifier(),
    ]
