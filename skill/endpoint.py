"""flask-ask-sdk's adapter, hardened: a body that is not an Alexa request is a 400, not a 500.

The SDK parses the body before it checks anything and lets parse errors (bad JSON, bad UTF-8,
wrong types, deep nesting) escape as 500s with a traceback in the log. Here they are refused
like a failed signature: HTTP 400, one warning line, nothing dispatched.
"""

from __future__ import annotations

import logging
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_model import RequestEnvelope, Slot
from ask_sdk_webservice_support.verifier import VerificationException
from ask_sdk_webservice_support.webservice_handler import WebserviceSkillHandler
from flask import current_app
from flask import request as flask_request
from flask_ask_sdk.skill_adapter import (
    VERIFY_SIGNATURE_APP_CONFIG,
    VERIFY_TIMESTAMP_APP_CONFIG,
    SkillAdapter,
)
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

log = logging.getLogger(__name__)
# Alexa's requests are a few kilobytes; refuse anything that could tie up a worker.
MAX_BODY_BYTES = 1024 * 1024
# Amazon always sends these with a session; without one the handlers cannot work.
IN_SESSION_REQUESTS = frozenset({"LaunchRequest", "IntentRequest", "SessionEndedRequest"})


class StrictWebserviceHandler(WebserviceSkillHandler):  # type: ignore[misc]
    def verify_request_and_dispatch(
        self, http_request_headers: Any, http_request_body: str
    ) -> Any:
        try:
            envelope = self._skill.serializer.deserialize(
                payload=http_request_body, obj_type=RequestEnvelope
            )
        except (SerializationException, RecursionError, ValueError, TypeError) as error:
            raise VerificationException("Request body is not an Alexa request") from error
        problem = shape_problem(envelope)
        if problem is not None:
            raise VerificationException(problem)
        for verifier in self._verifiers:
            try:
                verifier.verify(
                    headers=http_request_headers,
                    serialized_request_env=http_request_body,
                    deserialized_request_env=envelope,
                )
            except VerificationException:
                raise
            except (AttributeError, TypeError, ValueError) as error:
                # A field of the wrong type where a check looks: a bad request, not a crash.
                raise VerificationException("Request could not be verified") from error
        other = other_skill(envelope, getattr(self._skill, "skill_id", None))
        if other is not None:
            # The SDK would raise its own exception here, a 500 with a traceback; a request
            # meant for another skill is refused like any other bad request.
            raise VerificationException(f"Request is for another skill: {other}")
        response = self._skill.invoke(request_envelope=envelope, context=None)
        return self._skill.serializer.serialize(response)


class AlexaEndpoint(SkillAdapter):  # type: ignore[misc]
    def _create_webservice_handler(self, skill: Any, verifiers: Any) -> None:
        # As the parent does, so the app's verification settings keep their meaning.
        self._webservice_handler = StrictWebserviceHandler(
            skill=skill,
            verify_signature=current_app.config.get(VERIFY_SIGNATURE_APP_CONFIG, True),
            verify_timestamp=current_app.config.get(VERIFY_TIMESTAMP_APP_CONFIG, True),
            verifiers=verifiers or [],
        )
        self._webservice_handler._add_custom_user_agent("flask-ask-sdk")

    def dispatch_request(self) -> Any:
        if flask_request.method == "POST":
            if (flask_request.content_length or 0) > MAX_BODY_BYTES:
                log.warning("Refused a request of %s bytes", flask_request.content_length)
                raise RequestEntityTooLarge()
            # A chunked body has no length to check up front: the stream is cut one byte past
            # the bound (werkzeug stops there without an error), so memory never holds more.
            flask_request.max_content_length = MAX_BODY_BYTES + 1
            body = flask_request.get_data(cache=True)
            if len(body) > MAX_BODY_BYTES:
                log.warning("Refused a request of %s bytes", len(body))
                raise RequestEntityTooLarge()
            try:
                body.decode("utf-8")
            except UnicodeDecodeError as error:
                log.warning("Refused a request whose body is not UTF-8")
                raise BadRequest(description="Incoming request failed verification") from error
        return super().dispatch_request()


def shape_problem(envelope: object) -> str | None:
    """What makes this envelope one Alexa would never send, or None.

    The SDK's deserializer accepts missing and null fields; the handlers rely on the parts
    Amazon always sends.
    """
    if not isinstance(envelope, RequestEnvelope) or envelope.request is None:
        return "Request body is not an Alexa request"
    request = envelope.request
    if envelope.session is None and request.object_type in IN_SESSION_REQUESTS:
        return f"{request.object_type} without a session"
    if request.object_type == "IntentRequest":
        intent = request.intent
        if not isinstance(getattr(intent, "name", None), str):
            return "IntentRequest without an intent name"
        slots = intent.slots
        if slots is not None and not all(isinstance(s, Slot) for s in slots.values()):
            return "IntentRequest with a slot that is not an object"
    return None


def other_skill(envelope: RequestEnvelope, skill_id: str | None) -> str | None:
    """The application id the request names, if it is not `skill_id` (None when it matches or
    when no skill id is configured). Where the session names one too, it must match as well."""
    if skill_id is None:
        return None
    system = getattr(envelope.context, "system", None)
    named = [getattr(getattr(system, "application", None), "application_id", None)]
    session_application = getattr(envelope.session, "application", None)
    if session_application is not None:
        named.append(getattr(session_application, "application_id", None))
    for application_id in named:
        if application_id != skill_id:
            return repr(application_id)[:120]
    return None
