"""The one place that decides whether the customer's turn answers the open question.

A turn that answers goes to the answer handler; a help or a "didn't get that" leaves the
question open; anything else is a new request, and the question is dropped before any intent
handler runs. No handler depends on its registration order to know who answers "yes".
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput

from skill.dialog.replies import Reply, ReplyKind, read_reply
from skill.dialog.state import Awaiting, CartAction, Question, dialog, set_question

ANSWER_KEY = "vcom.answer"

# Which intents may carry a product for a question asked on behalf of each cart action:
# "soy milk" or "add soy milk" answers "did you mean…" for an add, never for a removal.
_PRODUCT_INTENTS = {
    CartAction.ADD: frozenset({"AnswerIntent", "AddToCartIntent"}),
    CartAction.REMOVE: frozenset({"AnswerIntent", "RemoveFromCartIntent"}),
    CartAction.SET: frozenset({"AnswerIntent", "SetQuantityIntent"}),
}
_DETAIL_INTENTS = frozenset({"AnswerIntent", "AddToCartIntent", "SetQuantityIntent"})
_YES_NO = frozenset({ReplyKind.YES, ReplyKind.NO})


def answers(question: Question, reply: Reply) -> bool:
    """Whether `reply` is an answer to `question` (rather than a new request)."""
    kind, item = reply.kind, reply.item
    match question.awaiting:
        case Awaiting.PURCHASE | Awaiting.CANCEL_ORDER | Awaiting.CLEAR_CART:
            return kind in _YES_NO
        case Awaiting.VOICE_CODE:
            if kind in _YES_NO or kind == ReplyKind.CODE:
                return True
            # "1 2 3 4" heard as a plain number.
            return (
                kind == ReplyKind.DETAILS
                and reply.intent == "AnswerIntent"
                and item is not None
                and item.quantity is not None
                and item.spoken is None
            )
        case Awaiting.PRODUCT_CHOICE | Awaiting.PRODUCT:
            if kind in _YES_NO:
                return kind == ReplyKind.NO or question.awaiting == Awaiting.PRODUCT_CHOICE
            if kind != ReplyKind.DETAILS or item is None:
                return False
            if item.spoken is None and item.sku is None:
                return False
            # A bare product name ("oat milk") reaches us as AddToCart's "{product} please".
            bare = item.quantity is None and item.unit is None and not item.all_of_it
            return reply.intent in _PRODUCT_INTENTS[question.action] or (
                bare and reply.intent == "AddToCartIntent"
            )
        case Awaiting.SIZE | Awaiting.QUANTITY:
            if kind == ReplyKind.NO:
                return True
            if kind != ReplyKind.DETAILS or item is None or reply.intent not in _DETAIL_INTENTS:
                return False
            about = question.item.sku if question.item else None
            names_other = item.sku is not None and item.sku != about
            names_other = names_other or (item.sku is None and item.spoken is not None)
            if question.awaiting == Awaiting.SIZE:
                return item.unit is not None and not names_other
            return item.quantity is not None and not names_other
    return False


class QuestionRouter(AbstractRequestInterceptor):
    """Runs before handler selection: marks an answer, or drops a question left behind."""

    def process(self, handler_input: HandlerInput) -> None:
        question = dialog(handler_input).question
        if question is None:
            return
        reply = read_reply(handler_input)
        if answers(question, reply):
            handler_input.attributes_manager.request_attributes[ANSWER_KEY] = reply
        elif reply.kind != ReplyKind.NEUTRAL:
            set_question(handler_input, None)


def pending_answer(handler_input: HandlerInput) -> Reply | None:
    found = handler_input.attributes_manager.request_attributes.get(ANSWER_KEY)
    return found if isinstance(found, Reply) else None
