"""Pair screen 4 7 1 9: links the screen showing that code to the speaker's household."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from backend.services.pairing import PairingAttemptsLimited, PairingCodeNotFound, claim_code
from skill.handlers.flows import ask
from skill.turn import turn


def _code(handler_input: HandlerInput) -> str | None:
    intent = getattr(handler_input.request_envelope.request, "intent", None)
    slot = (getattr(intent, "slots", None) or {}).get("code")
    value = "".join(str(getattr(slot, "value", "") or "").split())  # "4 7 1 9" → "4719"
    return value if len(value) == 4 and value.isascii() and value.isdigit() else None


class PairScreenIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("PairScreenIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        code = _code(handler_input)
        if code is None:
            return ask(handler_input, turn(handler_input).t("pair_which_code"))
        ctx = turn(handler_input)
        try:
            claim_code(ctx.backend.uow(), code, ctx.customer.id)
        except PairingAttemptsLimited as limited:
            # Nothing was checked: guessing codes must not pay off, so say when to try again.
            until = ctx.say.time(limited.until, ctx.settings.timezone)
            return ask(handler_input, ctx.t("pair_attempts_limited", time=until))
        except PairingCodeNotFound:
            spoken = ctx.say.digits(code)
            return ask(handler_input, ctx.t("pair_code_not_found", code=spoken))
        return ask(handler_input, ctx.t("paired_screen"))
