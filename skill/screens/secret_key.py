"""The key that signs staff session cookies and kiosk pairing links.

From VCOM_SECRET_KEY when set (give every instance the same one); otherwise made once and kept
in the user data directory, so restarts and sibling worker processes share it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask, Request, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer
from platformdirs import user_data_dir

SECRET_KEY_ENV = "VCOM_SECRET_KEY"
KEY_FILE_NAME = "secret_key"


def default_key_path() -> Path:
    return Path(user_data_dir("voice-commerce")) / KEY_FILE_NAME


def load_secret_key(path: Path | None = None) -> str:
    configured = os.environ.get(SECRET_KEY_ENV)
    if configured:
        return configured
    path = path or default_key_path()
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{KEY_FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}")
    draft.write_text(secrets.token_urlsafe(48), encoding="ascii")
    draft.chmod(0o600)
    try:
        # link() fails if the file exists: when workers start together, the first one wins and
        # the others read its key.
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return path.read_text(encoding="ascii").strip()


def ensure_secret_key(app: Flask) -> str | bytes:
    """The app's key, loaded the first time something needs one (not every app signs things)."""
    if not app.secret_key:
        app.secret_key = load_secret_key()
    return app.secret_key


class LazyKeySessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the key loaded only when a cookie is read or set
    (the Alexa endpoint never needs it)."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)

    def get_cookie_secure(self, app: Flask) -> bool:
        # Served over HTTPS (--certfile, or a proxy that says so): the cookie never goes out
        # over plain HTTP.
        return bool(super().get_cookie_secure(app) or request.is_secure)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        ensure_secret_key(app)
        return super().get_signing_serializer(app)
