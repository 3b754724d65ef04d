"""The Flask app: the Alexa endpoint (verified by default), health, and the companion screens."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import Flask, jsonify, request
from flask_ask_sdk.skill_adapter import (
    VERIFY_SIGNATURE_APP_CONFIG,
    VERIFY_TIMESTAMP_APP_CONFIG,
)

from backend.persistence.store import write_problem
from backend.runtime import Backend
from backend.services.staff_sessions import SESSION_LIFETIME
from skill.builder import build_skill
from skill.dashboard import dashboard_blueprint
from skill.endpoint import MAX_BODY_BYTES, AlexaEndpoint
from skill.home import home_blueprint
from skill.screens import screens_blueprint
from skill.screens.secret_key import LazyKeySessionInterface
from skill.settings import SkillSettings
from skill.staff import staff_blueprint
from skill.staff.auth import STAFF_TOKEN_CONFIG, staff_token_from_environment
from skill.verification import VerificationSettings, build_verifiers

log = logging.getLogger(__name__)
ALEXA_ROUTE = "/alexa"
# Browsers that reached us over HTTPS keep using HTTPS for a year.
HSTS = "max-age=31536000"


class QuietVerificationFailures(logging.Filter):
    """flask-ask-sdk logs each refused request as an error with a traceback; internet scanners
    would fill the log. Keep one warning line with the reason instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.getMessage() == "Request verification failed" and record.exc_info:
            error = record.exc_info[1]
            record.verification_error = error  # kept for handlers that want the exception
            record.msg = f"Refused a request that failed verification: {error}"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def create_app(
    backend: Backend,
    settings: SkillSettings | None = None,
    verification: VerificationSettings | None = None,
) -> Flask:
    settings = settings or SkillSettings()
    verification = verification or VerificationSettings()
    app = Flask(__name__)
    app.logger.addFilter(QuietVerificationFailures())
    # Our own verifiers replace flask-ask-sdk's defaults: the same checks, with a pluggable
    # certificate fetch so they can run for real against a locally made CA in tests.
    app.config[VERIFY_SIGNATURE_APP_CONFIG] = False
    app.config[VERIFY_TIMESTAMP_APP_CONFIG] = False
    skill = build_skill(backend, settings)
    adapter = AlexaEndpoint(
        skill=skill,
        skill_id=settings.skill_id,
        verifiers=build_verifiers(verification),
        app=app,
    )
    adapter.register(app=app, route=ALEXA_ROUTE)
    app.extensions["vcom.backend"] = backend
    # Staff sessions and kiosk links are signed with VCOM_SECRET_KEY, or a key kept in the user
    # data directory, loaded on first use.
    app.session_interface = LazyKeySessionInterface()
    app.config.update(
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        # Every body is read with a bound, chunked ones too (werkzeug cuts the stream there).
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        # The signed cookie is refused after this long even if copied; the session row in the
        # store ends it sooner at sign-out.
        PERMANENT_SESSION_LIFETIME=timedelta(seconds=SESSION_LIFETIME.total_seconds()),
    )

    @app.after_request
    def strict_transport_security(response):  # type: ignore[no-untyped-def]
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response

    app.config[STAFF_TOKEN_CONFIG] = staff_token_from_environment()
    app.register_blueprint(home_blueprint(settings))
    app.register_blueprint(screens_blueprint(backend, settings))
    app.register_blueprint(staff_blueprint(backend, settings))
    app.register_blueprint(dashboard_blueprint(backend, settings))

    @app.get("/healthz")
    def healthz():  # type: ignore[no-untyped-def]
        # Ok means the shop can take orders: a store that reads but refuses writes is failing.
        store = backend.store.engine.dialect.name
        problem = write_problem(backend.store)
        if problem is not None:
            log.warning("Health check: the store refuses writes: %s", problem)
            return jsonify(status="failing", store=store, problem="the store refuses writes"), 503
        return jsonify(status="ok", store=store)

    return app
