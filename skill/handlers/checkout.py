"""Checkout: always confirmed with items and total, guarded by the voice code when there is one.
Yes, no and the code are answers to the open question (skill.handlers.answers)."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from backend.services import carts
from skill.handlers.flows import ask, confirm_purchase
from skill.turn import turn


class CheckoutIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("CheckoutIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return confirm_purchase(handler_input)


class VoiceCodeIntentHandler(AbstractRequestHandler):
    """A code said when no purchase is waiting for one."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("VoiceCodeIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return ask(handler_input, turn(handler_input).t("nothing_pending"))


class UnexpectedYesNoHandler(AbstractRequestHandler):
    """A yes or no with no question open. "No" to the implied "anything else?" after a cart
    change means the customer is done: read the cart back and offer to order."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.YesIntent")(handler_input) or is_intent_name(
            "AMAZON.NoIntent"
        )(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = turn(handler_input)
        if is_intent_name("AMAZON.NoIntent")(handler_input):
            _version, is_empty = carts.cart_version(ctx.backend.reader(), ctx.customer.id)
            if not is_empty:
                return confirm_purchase(handler_input)
        return ask(handler_input, ctx.t("nothing_pending"))
