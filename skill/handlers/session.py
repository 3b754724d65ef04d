"""Opening, help, leaving and not understanding."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response

from backend.services import carts
from skill.dialog.state import dialog, set_question
from skill.handlers.flows import ask, cart_summary
from skill.turn import turn


class LaunchRequestHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = turn(handler_input)
        cart = carts.get_cart(ctx.backend.reader(), ctx.customer.id)
        shop = ctx.settings.shop_name
        if cart.is_empty:
            return ask(handler_input, ctx.t("welcome", shop=shop))
        items, _total = cart_summary(cart, ctx.say)
        return ask(handler_input, ctx.t("welcome_back", shop=shop, items=items))


class HelpIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.HelpIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return ask(handler_input, turn(handler_input).t("help"))


class StopIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.StopIntent")(handler_input) or is_intent_name(
            "AMAZON.CancelIntent"
        )(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        set_question(handler_input, None)
        builder = handler_input.response_builder
        return builder.speak(turn(handler_input).t("goodbye")).set_should_end_session(True).response


class NavigateHomeIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.NavigateHomeIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        set_question(handler_input, None)
        return ask(handler_input, turn(handler_input).t("home"))


class FallbackIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.FallbackIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        t = turn(handler_input).t
        if dialog(handler_input).question is not None:
            # A question is open: say so and ask it again rather than starting over.
            return ask(handler_input, t("didnt_get_that_question"))
        return ask(handler_input, t("fallback"))


class SessionEndedRequestHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.response  # Alexa ignores any speech here
