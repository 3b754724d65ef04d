"""Reorders: my last order, my usual, the thing I bought last time; and what that was."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from backend.services import carts
from backend.services.reorders import ReorderSource, past_order, reorder
from skill.dialog.replies import item_from_slots
from skill.dialog.state import CartAction, Restore, set_question
from skill.handlers.flows import ask, confirm_purchase
from skill.handlers.items import Asked, product_of
from skill.slots import resolved_id, slot_text
from skill.turn import turn

WHICH_IDS = {"LAST": ReorderSource.LAST, "USUAL": ReorderSource.USUAL}


def _source(handler_input: HandlerInput) -> ReorderSource:
    which = resolved_id(handler_input, "which") or (slot_text(handler_input, "which") or "")
    if "usual" in which.lower():
        return ReorderSource.USUAL
    return WHICH_IDS.get(which.upper(), ReorderSource.LAST)


class ReorderIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ReorderIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = turn(handler_input)
        sku: str | None = None
        source = _source(handler_input)
        item = item_from_slots(handler_input)
        if item.spoken is not None or item.sku is not None:
            found = product_of(handler_input, item, CartAction.ADD)
            if not isinstance(found, str):
                if isinstance(found, Asked):
                    set_question(handler_input, found.question)
                return ask(handler_input, found.speech)
            sku, source = found, ReorderSource.PRODUCT
        before = carts.get_cart(ctx.backend.reader(), ctx.customer.id)
        result = reorder(ctx.backend.uow(), ctx.customer.id, source, sku)
        say = ctx.say
        source_words = ctx.t(f"source_{source.value}", number=say.order_number(result.from_order))
        missing = say.join([say.product(sku, name) for sku, name in result.unavailable_items])
        if not result.added:
            return ask(
                handler_input,
                ctx.t("reorder_nothing_added", source=source_words, missing=missing),
            )
        # A "no" to this proposal puts the cart back as it was before it.
        held = {(line.sku, line.variant_code): line.quantity for line in before.lines}
        restore = tuple(
            Restore(line.sku, line.variant_code, held.get((line.sku, line.variant_code), 0))
            for line in result.added
        )
        prefix = ctx.t("reordered", items=say.lines(result.added), source=source_words)
        if result.unavailable:
            key = "reordered_missing_one" if len(result.unavailable) == 1 else "reordered_missing"
            prefix += ctx.t(key, missing=missing[:1].upper() + missing[1:])
        only_reordered = result.cart.lines == result.added
        return confirm_purchase(
            handler_input, prefix=prefix + " ", items_said=only_reordered, restore=restore
        )


class LastOrderIntentHandler(AbstractRequestHandler):
    """'What did I order last time?': read only; the cart stays as it is."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("LastOrderIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = turn(handler_input)
        past = past_order(ctx.backend.reader(), ctx.customer.id, ReorderSource.LAST)
        return ask(
            handler_input,
            ctx.t(
                "last_order",
                number=ctx.say.order_number(past.number),
                items=ctx.say.lines(past.lines),
                total=ctx.say.money(past.total_minor, past.currency),
            ),
        )
