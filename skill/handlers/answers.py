"""Answers to the question the skill asked: the router (skill.dialog.routing) decided that this
turn is one; here each kind of question takes its answer."""

from __future__ import annotations

from dataclasses import replace

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.dialog.replies import Reply, ReplyKind
from skill.dialog.routing import pending_answer
from skill.dialog.state import Awaiting, CartAction, ItemRequest, Question, dialog, set_question
from skill.handlers.cart import finish_clear
from skill.handlers.flows import ask, code_given, purchase_confirmed, purchase_declined
from skill.handlers.items import serve
from skill.handlers.orders import finish_cancel
from skill.slots import UnusableSlot
from skill.turn import turn


class AnswerHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return pending_answer(handler_input) is not None

    def handle(self, handler_input: HandlerInput) -> Response:
        reply = pending_answer(handler_input)
        question = dialog(handler_input).question
        assert reply is not None and question is not None
        match question.awaiting:
            case Awaiting.PURCHASE:
                if reply.kind == ReplyKind.YES:
                    return purchase_confirmed(handler_input, question)
                return purchase_declined(handler_input, question)
            case Awaiting.VOICE_CODE:
                return _voice_code(handler_input, question, reply)
            case Awaiting.CLEAR_CART:
                return finish_clear(handler_input, reply.kind == ReplyKind.YES)
            case Awaiting.CANCEL_ORDER:
                assert question.order_number is not None
                confirmed = reply.kind == ReplyKind.YES
                return finish_cancel(handler_input, question.order_number, confirmed)
        return _item_detail(handler_input, question, reply)


def _voice_code(handler_input: HandlerInput, question: Question, reply: Reply) -> Response:
    t = turn(handler_input).t
    if reply.kind == ReplyKind.NO:
        return purchase_declined(handler_input, question)
    if reply.kind == ReplyKind.YES:
        return ask(handler_input, t("ask_code"))
    code = reply.code
    if code is None and reply.item is not None and reply.item.quantity is not None:
        code = f"{reply.item.quantity:04d}"
    if code is None or not (len(code) == 4 and code.isascii() and code.isdigit()):
        raise UnusableSlot("code")
    return code_given(handler_input, question, code)


def _item_detail(handler_input: HandlerInput, question: Question, reply: Reply) -> Response:
    """A product, size or number for the item the question was about; then the rest of the
    sentence it came from."""
    t = turn(handler_input).t
    item = question.item or ItemRequest()
    if reply.kind == ReplyKind.NO:
        if question.awaiting == Awaiting.PRODUCT_CHOICE:
            # Not that one: ask which, keeping what else was said about the item.
            set_question(
                handler_input,
                Question(Awaiting.PRODUCT, question.action, replace(item, sku=None, spoken=None)),
            )
            key = "which_remove" if question.action == CartAction.REMOVE else "which_product"
            return ask(handler_input, t(key))
        set_question(handler_input, None)
        return ask(handler_input, t("ok_anything_else"))
    if reply.kind == ReplyKind.YES:  # "Did you mean oat milk or soy milk?" "Yes": the first
        item = replace(item, sku=question.candidates[0])
    else:
        detail = reply.item or ItemRequest()
        if question.awaiting in (Awaiting.PRODUCT, Awaiting.PRODUCT_CHOICE):
            item = replace(item, sku=detail.sku, spoken=detail.spoken)
            if detail.quantity is not None:
                item = replace(item, quantity=detail.quantity)
            if detail.unit is not None:
                item = replace(item, unit=detail.unit)
        elif question.awaiting == Awaiting.SIZE:
            item = replace(item, unit=detail.unit)
            if detail.quantity is not None:
                item = replace(item, quantity=detail.quantity)
        else:
            item = replace(item, quantity=detail.quantity)
            if detail.unit is not None:
                item = replace(item, unit=detail.unit)
    action = question.action if question.action in CartAction else CartAction.ADD
    return serve(handler_input, action, [item, *question.queue])
