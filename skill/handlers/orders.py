"""Where is my order, and cancelling one."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from backend.errors import InvalidTransition, OrderNotFound
from backend.services import orders
from backend.services.views import OrderView
from skill.dialog.state import Awaiting, Question, set_question
from skill.handlers.flows import ask, request_confirmation
from skill.slots import resolved_id, slot_number, slot_text
from skill.turn import turn
from skill.visuals import show_order, status_label


def find_order(handler_input: HandlerInput) -> OrderView:
    """The order named ('A 4 1 7' arrives as orderLetter=A, orderNumber=417), else the latest."""
    ctx = turn(handler_input)
    digits = slot_number(handler_input, "orderNumber", low=0, high=999_999)
    if digits is None:
        return orders.latest_order(ctx.backend.reader(), ctx.customer.id)
    letter = resolved_id(handler_input, "orderLetter") or slot_text(handler_input, "orderLetter")
    if letter:
        return orders.get_order(
            ctx.backend.reader(), f"{letter[:2].upper()}-{digits}", ctx.customer.id
        )
    # Only the digits were heard: the customer's own order ending in them.
    mine = orders.list_orders(ctx.backend.reader(), customer_id=ctx.customer.id, limit=500)
    for order in mine:
        if order.number.endswith(f"-{digits}"):
            return order
    raise OrderNotFound(str(digits))


def find_order_or_say_why(handler_input: HandlerInput) -> OrderView | Response:
    try:
        return find_order(handler_input)
    except OrderNotFound as missing:
        t = turn(handler_input).t
        if missing.number:
            return ask(
                handler_input, t("order_not_found", number=t.say.order_number(missing.number))
            )
        return ask(handler_input, t("no_open_order"))


def describe(handler_input: HandlerInput, order: OrderView) -> str:
    ctx = turn(handler_input)
    speech = ctx.t(f"status_{order.status.value}", number=ctx.say.order_number(order.number))
    if order.is_open and order.eta and order.status.value not in ("ready", "completed"):
        key = "status_eta_delivery" if order.fulfilment == "delivery" else "status_eta"
        speech += ctx.t(key, eta=ctx.say.time(order.eta, ctx.settings.timezone))
    return speech


class OrderStatusIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("OrderStatusIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = turn(handler_input)
        order = find_order_or_say_why(handler_input)
        if isinstance(order, Response):
            return order
        show_order(handler_input, order, ctx.settings.timezone)
        return ask(handler_input, describe(handler_input, order))


class CancelOrderIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("CancelOrderIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = turn(handler_input)
        order = find_order_or_say_why(handler_input)
        if isinstance(order, Response):
            return order
        number = ctx.say.order_number(order.number)
        if not order.can_cancel:
            status_words = status_label(ctx.t, order.status.value).lower()
            return ask(handler_input, ctx.t("cannot_cancel", number=number, status=status_words))
        set_question(handler_input, Question(Awaiting.CANCEL_ORDER, order_number=order.number))
        request_confirmation(handler_input)
        items = ctx.say.lines(order.lines)
        total = ctx.say.money(order.total_minor, order.currency)
        return ask(handler_input, ctx.t("confirm_cancel", number=number, items=items, total=total))


def finish_cancel(handler_input: HandlerInput, number: str, confirmed: bool) -> Response:
    ctx = turn(handler_input)
    set_question(handler_input, None)
    spoken = ctx.say.order_number(number)
    if not confirmed:
        return ask(handler_input, ctx.t("cancel_kept", number=spoken))
    try:
        order = orders.cancel_order(ctx.backend.uow(), number, ctx.customer.id)
    except InvalidTransition:
        current = orders.get_order(ctx.backend.reader(), number)
        status_words = status_label(ctx.t, current.status.value).lower()
        return ask(handler_input, ctx.t("cannot_cancel", number=spoken, status=status_words))
    show_order(handler_input, order, ctx.settings.timezone)
    return ask(handler_input, ctx.t("cancelled", number=spoken))
