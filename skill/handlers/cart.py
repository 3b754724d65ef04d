"""Add to, take from, change, empty and read the cart."""

from __future__ import annotations

from dataclasses import replace

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from backend.services import carts, shop_info
from skill.dialog.replies import item_from_slots, items_from_slots
from skill.dialog.state import (
    Awaiting,
    CartAction,
    ItemRequest,
    Question,
    dialog,
    remember,
    set_question,
)
from skill.handlers.flows import ask, cart_summary, confirm_purchase
from skill.handlers.items import Asked, Refused, product_of, serve
from skill.turn import turn
from skill.visuals import show_cart


class AddToCartIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AddToCartIntent")(handler_input) or is_intent_name(
            "AnswerIntent"
        )(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        items = items_from_slots(handler_input)
        first = items[0]
        named = first.spoken is not None or first.sku is not None
        if named and is_intent_name("AnswerIntent")(handler_input):
            # "The oat milk" with nothing asked may be talk about it, not an order: offer it.
            return offer_product(handler_input, first)
        if len(items) == 1 and not named:
            memory = dialog(handler_input).memory
            if memory.subject is not None:
                # "I'll take two", "add one": the product just talked about.
                unit = first.unit or memory.subject_unit
                items = [ItemRequest(sku=memory.subject, quantity=first.quantity, unit=unit)]
            elif memory.last_sku is not None and first.quantity is not None:
                # "Let's do two of those" right after adding one: that line becomes two.
                item = ItemRequest(sku=memory.last_sku, quantity=first.quantity, unit=first.unit)
                return serve(handler_input, CartAction.SET, [item])
        return serve(handler_input, CartAction.ADD, items)


def offer_product(handler_input: HandlerInput, item: ItemRequest) -> Response:
    found = product_of(handler_input, item, CartAction.ADD)
    if isinstance(found, Asked):
        set_question(handler_input, found.question)
        return ask(handler_input, found.speech)
    if isinstance(found, Refused):
        return ask(handler_input, found.speech)
    info = shop_info.product_info(turn(handler_input).backend.reader(), found)
    offered = Question(
        Awaiting.PRODUCT_CHOICE, CartAction.ADD, replace(item, sku=None), (found,)
    )
    set_question(handler_input, offered)
    ctx = turn(handler_input)
    return ask(handler_input, ctx.t("offer_add", product=ctx.say.product(info.sku, info.name)))


class RemoveFromCartIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("RemoveFromCartIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return serve(handler_input, CartAction.REMOVE, [item_from_slots(handler_input)])


class SetQuantityIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("SetQuantityIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return serve(handler_input, CartAction.SET, [item_from_slots(handler_input)])


class OneMoreIntentHandler(AbstractRequestHandler):
    """'One more', 'another one': the last item added, once more."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("OneMoreIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        memory = dialog(handler_input).memory
        if memory.last_sku is None:
            return ask(handler_input, turn(handler_input).t("which_product"))
        item = ItemRequest(sku=memory.last_sku, quantity=1, unit=memory.last_variant)
        return serve(handler_input, CartAction.ADD, [item])


class ClearCartIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ClearCartIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = turn(handler_input)
        cart = carts.get_cart(ctx.backend.reader(), ctx.customer.id)
        if cart.is_empty:
            return ask(handler_input, ctx.t("cart_empty"))
        # Emptying cannot be undone by voice: confirm it, as a cashier would.
        set_question(handler_input, Question(Awaiting.CLEAR_CART))
        count = cart.item_count
        key = "confirm_clear_one" if count == 1 else "confirm_clear"
        return ask(handler_input, ctx.t(key, count=ctx.say.number(count)))


def finish_clear(handler_input: HandlerInput, confirmed: bool) -> Response:
    ctx = turn(handler_input)
    set_question(handler_input, None)
    if not confirmed:
        return ask(handler_input, ctx.t("clear_kept"))
    cart = carts.clear_cart(ctx.backend.uow(), ctx.customer.id)
    remember(handler_input, last_sku=None, last_variant=None)
    show_cart(handler_input, cart, ctx.t("card_cart"))
    return ask(handler_input, ctx.t("cleared"))


class ReadCartIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ReadCartIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = turn(handler_input)
        cart = carts.get_cart(ctx.backend.reader(), ctx.customer.id)
        if cart.is_empty:
            return ask(handler_input, ctx.t("cart_empty"))
        items, total = cart_summary(cart, ctx.say)
        show_cart(handler_input, cart, ctx.t("card_cart"))
        return ask(handler_input, ctx.t("cart_contents", items=items, total=total))


class FinishedIntentHandler(AbstractRequestHandler):
    """'That's all': read the cart back and offer to place the order."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("FinishedIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return confirm_purchase(handler_input)
