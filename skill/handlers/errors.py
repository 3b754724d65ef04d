"""Whatever goes wrong, the customer hears something useful, never a stack trace."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractExceptionHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_runtime.exceptions import DispatchException

from backend.errors import (
    DomainError,
    InvalidQuantity,
    NothingToReorder,
    NotInCart,
    ProductNotFound,
    ProductUnavailable,
    PurchasesLocked,
    StoreError,
    UnknownVariant,
    WrongVoiceCode,
)
from skill.handlers.flows import locked_message
from skill.localization import translator
from skill.slots import UnusableSlot
from skill.speech import join
from skill.turn import TURN_KEY, Turn

log = logging.getLogger(__name__)


def _t(handler_input: HandlerInput):  # type: ignore[no-untyped-def]
    current = handler_input.attributes_manager.request_attributes.get(TURN_KEY)
    if isinstance(current, Turn):
        return current.t
    return translator(getattr(handler_input.request_envelope.request, "locale", None))


class DomainErrorHandler(AbstractExceptionHandler):
    """Turns the backend's refusals into speech that says what to do next."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return isinstance(exception, DomainError | UnusableSlot)

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        t = _t(handler_input)
        speech = self._speech(handler_input, exception)
        builder = handler_input.response_builder
        if isinstance(exception, StoreError):
            log.error("store unavailable: %s", exception)
            return builder.speak(speech).set_should_end_session(True).response
        return builder.speak(speech).ask(t("reprompt")).response

    def _speech(self, handler_input: HandlerInput, error: Exception) -> str:
        t = _t(handler_input)
        match error:
            case UnusableSlot():
                return t("didnt_get_that")
            case StoreError():
                return t("store_down")
            case InvalidQuantity():
                return t("quantity_range")
            case ProductUnavailable(reason=str() as reason):
                return t("unavailable", product=error.product_name, reason=reason)
            case ProductUnavailable():
                return t("unavailable_no_reason", product=error.product_name)
            case UnknownVariant():
                choices = join(list(error.choices), "or")
                return t("unknown_variant", product=error.product_name, choices=choices)
            case ProductNotFound():
                return t("not_sold", spoken=error.spoken)
            case PurchasesLocked():
                return locked_message(handler_input, error)
            case WrongVoiceCode():
                tries = "try" if error.attempts_left == 1 else "tries"
                return t("wrong_code", attempts=error.attempts_left, tries=tries)
            case NotInCart() | NothingToReorder():
                return str(error.message)
            case DomainError():
                return str(error.message)
        return t("error")


class CatchAllExceptionHandler(AbstractExceptionHandler):
    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        t = _t(handler_input)
        if isinstance(exception, DispatchException) and _no_handler(exception):
            # An intent or request type this skill does not know: not understood, not a crash.
            log.warning("no handler for this request: %s", exception)
            return handler_input.response_builder.speak(t("fallback")).ask(t("reprompt")).response
        log.exception("unhandled error in the skill", exc_info=exception)
        return handler_input.response_builder.speak(t("error")).ask(t("reprompt")).response


def _no_handler(exception: DispatchException) -> bool:
    return str(exception).startswith("Unable to find a suitable request handler")
