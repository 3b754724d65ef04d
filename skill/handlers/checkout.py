"""Checkout: always confirmed with items and total, guarded by the voice code when there is one."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.handlers.flows import (
    answer_to_purchase_question,
    ask,
    code_given,
    confirm_purchase,
    purchase_confirmed,
    purchase_declined,
)
from skill.pending import PendingAction, get_pending
from skill.slots import UnusableSlot, slot_text
from skill.turn import turn


def waiting_for(handler_input: HandlerInput, action: PendingAction) -> bool:
    pending = get_pending(handler_input)
    return pending is not None and pending.action == action


class CheckoutIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("CheckoutIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        answered = answer_to_purchase_question(handler_input)
        if answered is not None:
            return answered
        return confirm_purchase(handler_input)


class YesToPurchaseHandler(AbstractRequestHandler):
    """'Yes' after "Shall I place the order?" when it arrives as AMAZON.YesIntent (the kiosk)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.YesIntent")(handler_input) and waiting_for(
            handler_input, PendingAction.CHECKOUT
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        pending = get_pending(handler_input)
        if pending is not None and pending.awaiting_code:
            return ask(handler_input, turn(handler_input).t("ask_code"))
        return purchase_confirmed(handler_input)


class NoToPurchaseHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.NoIntent")(handler_input) and waiting_for(
            handler_input, PendingAction.CHECKOUT
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        return purchase_declined(handler_input)


class VoiceCodeIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("VoiceCodeIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        code = slot_text(handler_input, "code")
        if code is None or not (len(code) == 4 and code.isdigit()):
            raise UnusableSlot("code")
        return code_given(handler_input, code)


class UnexpectedYesNoHandler(AbstractRequestHandler):
    """A yes or no with no question open."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.YesIntent")(handler_input) or is_intent_name(
            "AMAZON.NoIntent"
        )(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return ask(handler_input, turn(handler_input).t("nothing_pending"))
