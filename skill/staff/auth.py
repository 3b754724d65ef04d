"""The staff token login and CSRF tokens, kept in Flask's signed session cookie."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets

from flask import abort, current_app, request, session

STAFF_TOKEN_ENV = "VCOM_STAFF_TOKEN"
STAFF_TOKEN_CONFIG = "VCOM_STAFF_TOKEN"
_SESSION_STAFF = "staff"
_SESSION_CSRF = "csrf"


def staff_token_from_environment() -> str | None:
    return os.environ.get(STAFF_TOKEN_ENV) or None


def configured_token() -> str | None:
    token = current_app.config.get(STAFF_TOKEN_CONFIG)
    return token if isinstance(token, str) and token else None


def _fingerprint(token: str) -> str:
    # The session keeps a digest of the token, so changing the token signs everyone out.
    return hashlib.sha256(f"vcom-staff:{token}".encode()).hexdigest()


def token_matches(given: str, token: str) -> bool:
    return hmac.compare_digest(_fingerprint(given), _fingerprint(token))


def log_in(token: str) -> None:
    session.clear()
    session[_SESSION_STAFF] = _fingerprint(token)
    session[_SESSION_CSRF] = secrets.token_urlsafe(32)  # a new session gets a new CSRF token


def log_out() -> None:
    session.clear()


def is_logged_in(token: str) -> bool:
    stored = session.get(_SESSION_STAFF)
    return isinstance(stored, str) and hmac.compare_digest(stored, _fingerprint(token))


def csrf_token() -> str:
    token = session.get(_SESSION_CSRF)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[_SESSION_CSRF] = token
    return token


def require_csrf() -> None:
    """Every form POST carries the session's token; anything else is refused before it acts."""
    expected = session.get(_SESSION_CSRF)
    given = request.form.get("csrf_token", "")
    if not isinstance(expected, str) or not hmac.compare_digest(given, expected):
        abort(400, description="The form was out of date or not sent from this page. Reload it.")
