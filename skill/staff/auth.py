"""Staff sign-in: the token, sessions kept in the store, wrong-token lockout, CSRF tokens.

Flask's signed cookie carries a digest of the token (changing the token signs everyone out) and
the secret of a session row in the store (signing out deletes the row, so a copied cookie stops
working at once). Wrong tokens, from the form or a dashboard `Authorization: Bearer` header,
lock the client address out for a while after a few tries.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import secrets
from dataclasses import dataclass

from flask import abort, current_app, request, session

from backend.rate_limits import SlidingWindow
from backend.runtime import Backend
from backend.services.staff_sessions import end_session, session_active, start_session
from skill.app_limits import app_limit

STAFF_TOKEN_ENV = "VCOM_STAFF_TOKEN"
STAFF_TOKEN_CONFIG = "VCOM_STAFF_TOKEN"
WRONG_TOKENS_CONFIG = "VCOM_WRONG_STAFF_TOKENS"
MIN_TOKEN_LENGTH = 20
MIN_DISTINCT_CHARACTERS = 8
TOKEN_ADVICE = "make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(24))'"
_SESSION_STAFF = "staff"
_SESSION_ID = "sid"
_SESSION_CSRF = "csrf"


class WeakStaffToken(ValueError):
    pass


def token_weakness(token: str) -> str | None:
    """Why a staff token is too weak to guard orders and analytics, or None when it is fine."""
    if len(token) < MIN_TOKEN_LENGTH:
        return f"it has {len(token)} characters; use at least {MIN_TOKEN_LENGTH}"
    if len(set(token)) < MIN_DISTINCT_CHARACTERS:
        return f"it uses only {len(set(token))} different characters"
    return None


def staff_token_from_environment() -> str | None:
    """The configured token; WeakStaffToken when it is set but too weak."""
    token = os.environ.get(STAFF_TOKEN_ENV) or None
    if token is not None:
        weakness = token_weakness(token)
        if weakness:
            raise WeakStaffToken(f"{STAFF_TOKEN_ENV} is too weak: {weakness}; {TOKEN_ADVICE}")
    return token


def configured_token() -> str | None:
    token = current_app.config.get(STAFF_TOKEN_CONFIG)
    return token if isinstance(token, str) and token else None


def _backend() -> Backend:
    backend: Backend = current_app.extensions["vcom.backend"]
    return backend


def _fingerprint(token: str) -> str:
    # The session keeps a digest of the token, so changing the token signs everyone out.
    return hashlib.sha256(f"vcom-staff:{token}".encode()).hexdigest()


def _wrong_tokens() -> SlidingWindow:
    return app_limit(WRONG_TOKENS_CONFIG, limit=5, seconds=900)


@dataclass(frozen=True)
class TokenCheck:
    ok: bool
    retry_after: int = 0  # > 0: this client is locked out; the token was not even compared

    @property
    def locked(self) -> bool:
        return self.retry_after > 0

    @property
    def message(self) -> str:
        minutes = max(1, math.ceil(self.retry_after / 60))
        return f"Too many wrong staff tokens from here. Try again in {minutes} minutes."


def check_staff_token(given: str, token: str) -> TokenCheck:
    """Compares in constant time; counts wrong tries per client address."""
    client = request.remote_addr or "?"
    limiter = _wrong_tokens()
    wait = limiter.retry_after(client)
    if wait > 0:
        return TokenCheck(False, math.ceil(wait))
    if hmac.compare_digest(_fingerprint(given), _fingerprint(token)):
        return TokenCheck(True)
    limiter.record(client)
    return TokenCheck(False)


def log_in(token: str) -> None:
    session.clear()
    session[_SESSION_STAFF] = _fingerprint(token)
    session[_SESSION_ID] = start_session(_backend().uow())
    session[_SESSION_CSRF] = secrets.token_urlsafe(32)  # a new session gets a new CSRF token


def log_out() -> None:
    sid = session.get(_SESSION_ID)
    if isinstance(sid, str):
        end_session(_backend().uow(), sid)
    session.clear()


def is_logged_in(token: str) -> bool:
    stored, sid = session.get(_SESSION_STAFF), session.get(_SESSION_ID)
    if not (isinstance(stored, str) and isinstance(sid, str)):
        return False
    if not hmac.compare_digest(stored, _fingerprint(token)):
        return False
    return session_active(_backend().reader(), sid)


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
