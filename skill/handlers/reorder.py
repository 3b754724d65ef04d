"""Reorders: my last order, my usual, the thing I bought last time."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from backend.services.reorders import ReorderSource, reorder
from skill.handlers.cart import product_from_slot
from skill.handlers.flows import answer_to_purchase_question, ask, confirm_purchase
from skill.slots import resolved_id, slot_text
from skill.speech import join, say_lines, spell_order_number
from skill.turn import turn

WHICH_IDS = {"LAST": ReorderSource.LAST, "USUAL": ReorderSource.USUAL}


class ReorderIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ReorderIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        answered = answer_to_purchase_question(handler_input)
        if answered is not None:
            return answered
        ctx = turn(handler_input)
        sku: str | None = None
        has_product = resolved_id(handler_input, "product") or slot_text(handler_input, "product")
        if has_product:
            found = product_from_slot(handler_input)
            if isinstance(found, Response):
                return found
            sku, source = found, ReorderSource.PRODUCT
        else:
            which = resolved_id(handler_input, "which") or (slot_text(handler_input, "which") or "")
            source = WHICH_IDS.get(which.upper(), ReorderSource.LAST)
            if "usual" in which.lower():
                source = ReorderSource.USUAL
        result = reorder(ctx.backend.uow(), ctx.customer.id, source, sku)
        source_words = ctx.t(f"source_{source.value}", number=spell_order_number(result.from_order))
        missing = join(list(result.unavailable))
        if not result.added:
            return ask(
                handler_input,
                ctx.t("reorder_nothing_added", source=source_words, missing=missing),
            )
        prefix = ctx.t("reordered", items=say_lines(result.added), source=source_words)
        if result.unavailable:
            is_are = "is" if len(result.unavailable) == 1 else "are"
            prefix += ctx.t("reordered_missing", missing=missing, is_are=is_are)
        only_reordered = result.cart.lines == result.added
        return confirm_purchase(handler_input, prefix=prefix + " ", items_said=only_reordered)
