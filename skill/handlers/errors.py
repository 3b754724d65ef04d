"""Whatever goes wrong, the customer hears something useful, never a stack trace."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractExceptionHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_runtime.exceptions import DispatchException

from backend.errors import (
    DomainError,
    EmptyCart,
    InvalidQuantity,
    InvalidVoiceCode,
    NothingToReorder,
    NotInCart,
    OrderNotFound,
    ProductNotFound,
    ProductUnavailable,
    PurchasesLocked,
    StoreError,
    UnknownVariant,
    WrongVoiceCode,
)
from backend.services import shop_info
from backend.services.views import LineView
from skill.handlers.flows import locked_message
from skill.localization import Translator, translator
from skill.slots import UnusableSlot
from skill.speech import Speech
from skill.turn import TURN_KEY, Turn, turn

log = logging.getLogger(__name__)


def _t(handler_input: HandlerInput) -> Translator:
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
        # The backend's own messages are English for the command line: the words said here
        # come from the locale's strings, picked by the error's type and its fields.
        t = _t(handler_input)
        say = t.say
        match error:
            case UnusableSlot():
                return t("didnt_get_that")
            case StoreError():
                return t("store_down")
            case InvalidQuantity():
                return t("quantity_range")
            case ProductUnavailable():
                name = _product(say, error.sku, error.product_name)
                if error.sku and error.variant:
                    code, size = error.variant
                    line = LineView(error.sku, name, code, size, 1, 0)
                    name = say.item_name(line)
                reason = say.reason(error.reason)
                if reason:
                    return t("unavailable", product=name, reason=reason)
                return t("unavailable_no_reason", product=name)
            case UnknownVariant():
                names = list(error.choices)
                if error.codes:
                    pairs = zip(error.codes, error.choices, strict=True)
                    names = [say.size(code, name) for code, name in pairs]
                choices = say.join(names, "or")
                product = _product(say, error.sku, error.product_name)
                return t("unknown_variant", product=product, choices=choices)
            case ProductNotFound():
                return t("not_sold", spoken=error.spoken)
            case PurchasesLocked():
                return locked_message(handler_input, error)
            case WrongVoiceCode():
                key = "wrong_code_one" if error.attempts_left == 1 else "wrong_code"
                return t(key, attempts=say.number(error.attempts_left))
            case NotInCart():
                return t("not_in_cart", product=_product(say, error.sku, error.product_name))
            case NothingToReorder(sku=str() as sku):
                named = shop_info.product_info(turn(handler_input).backend.reader(), sku)
                return t("nothing_to_reorder_product", product=say.product(sku, named.name))
            case NothingToReorder():
                return t("nothing_to_reorder")
            case EmptyCart():
                return t("cart_empty")
            case OrderNotFound(number=str() as number) if number:
                return t("order_not_found", number=say.order_number(number))
            case OrderNotFound():
                return t("no_open_order")
            case InvalidVoiceCode():
                return t("ask_code")
            case DomainError():
                log.warning("no words for this refusal: %s", error)
        return t("error")


def _product(say: Speech, sku: str | None, name: str) -> str:
    return say.product(sku, name) if sku else name


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
