"""Cross-cutting work around every request: logging, who is speaking, which language."""

from __future__ import annotations

import logging
import time

from ask_sdk_core.dispatch_components import (
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_device_id, get_intent_name, get_request_type, get_user_id
from ask_sdk_model import Response

from backend.errors import CustomerNotFound
from backend.persistence.models import DeviceKind
from backend.runtime import Backend
from backend.services.customers import (
    CustomerView,
    customer_for_device,
    find_by_first_device,
)
from skill.localization import translator
from skill.settings import SkillSettings
from skill.turn import TURN_KEY, Turn

log = logging.getLogger("skill.requests")
STARTED_KEY = "vcom.started"
# Slots whose values are secrets: never logged.
SECRET_SLOTS = frozenset({"code"})


class RequestLoggingInterceptor(AbstractRequestInterceptor):
    def process(self, handler_input: HandlerInput) -> None:
        handler_input.attributes_manager.request_attributes[STARTED_KEY] = time.perf_counter()
        request_type = get_request_type(handler_input)
        intent = get_intent_name(handler_input) if request_type == "IntentRequest" else "-"
        log.info(
            "request %s %s %s slots=%s",
            handler_input.request_envelope.request.request_id,
            request_type,
            intent,
            _safe_slots(handler_input),
        )


class ResponseLoggingInterceptor(AbstractResponseInterceptor):
    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        started = handler_input.attributes_manager.request_attributes.get(STARTED_KEY)
        elapsed_ms = (time.perf_counter() - started) * 1000 if started else -1.0
        ends = response.should_end_session if response is not None else None
        log.info(
            "response %s in %.1f ms end_session=%s",
            handler_input.request_envelope.request.request_id,
            elapsed_ms,
            ends,
        )


def _safe_slots(handler_input: HandlerInput) -> dict[str, str | None]:
    intent = getattr(handler_input.request_envelope.request, "intent", None)
    slots = getattr(intent, "slots", None) or {}
    return {
        name: ("<redacted>" if name in SECRET_SLOTS else (slot.value or "")[:40])
        for name, slot in slots.items()
    }


class TurnInterceptor(AbstractRequestInterceptor):
    """Resolves the speaker to a customer and sets up this turn's language."""

    def __init__(self, backend: Backend, settings: SkillSettings) -> None:
        self._backend = backend
        self._settings = settings

    def process(self, handler_input: HandlerInput) -> None:
        envelope = handler_input.request_envelope
        request = envelope.request
        device_id = _device_id(handler_input)
        customer = self._customer(handler_input, device_id)
        session = envelope.session
        handler_input.attributes_manager.request_attributes[TURN_KEY] = Turn(
            backend=self._backend,
            settings=self._settings,
            t=translator(getattr(request, "locale", None)),
            customer=customer,
            device_id=device_id,
            request_id=request.request_id,
            session_id=session.session_id if session is not None else None,
        )

    def _customer(self, handler_input: HandlerInput, device_id: str | None) -> CustomerView:
        # A device linked to a household (a kiosk, a paired Echo) wins; otherwise the Alexa
        # account is the household, created the first time it is heard.
        user_id = _user_id(handler_input) or f"device:{device_id or 'unknown'}"
        known = (device_id, user_id) if device_id else (user_id,)
        # Known accounts are found with one read: the write path below takes SQLite's write
        # lock, which on every request would serialize all of them.
        try:
            return find_by_first_device(self._backend.reader(), known)
        except CustomerNotFound:
            pass
        return customer_for_device(
            self._backend.uow(),
            user_id,
            DeviceKind.ALEXA_USER,
            default_pickup_store=self._settings.shop_name,
        )


def _device_id(handler_input: HandlerInput) -> str | None:
    try:
        return get_device_id(handler_input)
    except AttributeError:
        return None


def _user_id(handler_input: HandlerInput) -> str | None:
    try:
        return get_user_id(handler_input)
    except AttributeError:
        return None
