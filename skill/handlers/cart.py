"""Add to, take from and read the cart."""

from __future__ import annotations

from dataclasses import replace

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from backend.errors import ProductNotFound
from backend.services import carts
from backend.services.catalog import resolve_product
from skill.handlers.flows import ask, cart_summary
from skill.pending import Pending, PendingAction, get_pending, set_pending
from skill.slots import resolved_id, slot_number, slot_text
from skill.speech import join, say_line
from skill.turn import turn
from skill.visuals import show_cart

MAX_SPOKEN_QUANTITY = 999_999


def product_from_slot(handler_input: HandlerInput, slot: str = "product") -> str | Response:
    """The SKU the customer meant, or a response that asks them to say which."""
    ctx = turn(handler_input)
    sku = resolved_id(handler_input, slot)
    if sku is not None:
        return sku
    spoken = slot_text(handler_input, slot)
    if spoken is None:
        return ask(handler_input, ctx.t("which_product"))
    pending = get_pending(handler_input)
    with ctx.backend.reader() as uow:
        try:
            resolution = resolve_product(uow, spoken)
        except ProductNotFound as missing:
            if missing.suggestions:
                options = join(list(missing.suggestions), "or")
                return ask(handler_input, ctx.t("not_sold_suggest", spoken=spoken, options=options))
            return ask(handler_input, ctx.t("not_sold", spoken=spoken))
    if resolution.is_confident:
        return resolution.best.sku
    candidates = [resolution.best, *resolution.alternatives[:1]]
    set_pending(
        handler_input,
        Pending(
            PendingAction.CHOOSE_PRODUCT,
            candidates=tuple(c.sku for c in candidates),
            quantity=pending.quantity if pending else None,
        ),
    )
    return ask(
        handler_input, ctx.t("did_you_mean", options=join([c.name for c in candidates], "or"))
    )


class AddToCartIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AddToCartIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        pending = get_pending(handler_input)
        quantity = slot_number(handler_input, "quantity", low=0, high=MAX_SPOKEN_QUANTITY)
        if quantity is None and pending and pending.action == PendingAction.CHOOSE_PRODUCT:
            quantity = pending.quantity
        unit = slot_text(handler_input, "unit")
        unit = resolved_id(handler_input, "unit") or unit
        if pending is None or pending.action != PendingAction.CHOOSE_PRODUCT:
            set_pending(handler_input, Pending(PendingAction.CHOOSE_PRODUCT, quantity=quantity))
        sku = product_from_slot(handler_input)
        if isinstance(sku, Response):
            return sku
        return add_and_report(handler_input, sku, 1 if quantity is None else quantity, unit)


def add_and_report(
    handler_input: HandlerInput, sku: str, quantity: int, unit: str | None
) -> Response:
    ctx = turn(handler_input)
    set_pending(handler_input, None)
    cart = carts.add_item(ctx.backend.uow(), ctx.customer.id, sku, quantity, unit)
    assert cart.touched is not None
    items, total = cart_summary(cart)
    added = say_line(replace(cart.touched, quantity=quantity))
    show_cart(handler_input, cart, ctx.t("card_cart"))
    return ask(handler_input, ctx.t("added", added=added, items=items, total=total))


class ChooseProductHandler(AbstractRequestHandler):
    """'Did you mean oat milk or soy milk?' Yes takes the first, no asks again."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        pending = get_pending(handler_input)
        return (
            pending is not None
            and pending.action == PendingAction.CHOOSE_PRODUCT
            and bool(pending.candidates)
            and (
                is_intent_name("AMAZON.YesIntent")(handler_input)
                or is_intent_name("AMAZON.NoIntent")(handler_input)
            )
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        pending = get_pending(handler_input)
        assert pending is not None
        if is_intent_name("AMAZON.NoIntent")(handler_input):
            set_pending(handler_input, None)
            return ask(handler_input, turn(handler_input).t("which_product"))
        return add_and_report(
            handler_input,
            pending.candidates[0],
            1 if pending.quantity is None else pending.quantity,
            None,
        )


class RemoveFromCartIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("RemoveFromCartIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = turn(handler_input)
        named = slot_text(handler_input, "product") or resolved_id(handler_input, "product")
        if named is None:
            return ask(handler_input, ctx.t("which_remove"))
        sku = product_from_slot(handler_input)
        if isinstance(sku, Response):
            return sku
        set_pending(handler_input, None)
        cart = carts.remove_item(ctx.backend.uow(), ctx.customer.id, sku)
        name = cart.touched.product_name if cart.touched else sku
        show_cart(handler_input, cart, ctx.t("card_cart"))
        if cart.is_empty:
            return ask(handler_input, ctx.t("removed_now_empty", product=name))
        items, total = cart_summary(cart)
        return ask(handler_input, ctx.t("removed", product=name, items=items, total=total))


class ReadCartIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ReadCartIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = turn(handler_input)
        cart = carts.get_cart(ctx.backend.reader(), ctx.customer.id)
        if cart.is_empty:
            return ask(handler_input, ctx.t("cart_empty"))
        items, total = cart_summary(cart)
        show_cart(handler_input, cart, ctx.t("card_cart"))
        return ask(handler_input, ctx.t("cart_contents", items=items, total=total))
