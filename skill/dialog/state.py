"""The dialog's state between turns, kept in the Alexa session: the question the skill is waiting
on (at most one), and what the conversation is about (the product just discussed, the last item
added).

Session attributes come back from the client, so they are read as untrusted input: anything of
the wrong type or out of range reads as "nothing pending" rather than reaching the cart.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from ask_sdk_core.handler_input import HandlerInput

QUESTION_KEY = "question"
MEMORY_KEY = "memory"
_MAX_TEXT = 100
_MAX_COUNT = 999_999
_MAX_QUEUE = 3


class Awaiting(StrEnum):
    PRODUCT = "product"  # "What would you like to add?"
    PRODUCT_CHOICE = "product_choice"  # "Did you mean oat milk or soy milk?"
    SIZE = "size"  # "Latte comes in small, medium or large. Which size?"
    QUANTITY = "quantity"  # "How many would you like?"
    PURCHASE = "purchase"  # "…, 14 dollars 93. Shall I place the order?"
    VOICE_CODE = "voice_code"  # "Please say your four digit voice code."
    CANCEL_ORDER = "cancel_order"  # "Cancel order A 1 0 0, …?"
    CLEAR_CART = "clear_cart"  # "Take all 5 items out of your cart?"


class CartAction(StrEnum):
    ADD = "add"
    REMOVE = "remove"
    SET = "set"


@dataclass(frozen=True)
class ItemRequest:
    """One item as the customer asked for it; what is missing is what the skill asks for."""

    spoken: str | None = None  # the product words as heard
    sku: str | None = None  # once known
    quantity: int | None = None
    unit: str | None = None  # a size, a pack ("dozen") or a count word ("couple")
    all_of_it: bool = False  # "remove all the bagels"

    def to_session(self) -> dict[str, Any]:
        return {
            "spoken": self.spoken,
            "sku": self.sku,
            "quantity": self.quantity,
            "unit": self.unit,
            "all": self.all_of_it,
        }

    @classmethod
    def from_session(cls, data: Any) -> ItemRequest:
        if not isinstance(data, dict):
            raise ValueError("item")
        return cls(
            spoken=_text(data.get("spoken")),
            sku=_text(data.get("sku")),
            quantity=_count(data.get("quantity")),
            unit=_text(data.get("unit")),
            all_of_it=data.get("all") is True,
        )


@dataclass(frozen=True)
class Restore:
    """A cart line's quantity before a proposal changed it (0: it was not there)."""

    sku: str
    variant_code: str
    quantity: int


@dataclass(frozen=True)
class Question:
    awaiting: Awaiting
    action: CartAction = CartAction.ADD
    item: ItemRequest | None = None
    candidates: tuple[str, ...] = ()  # SKUs for PRODUCT_CHOICE, size codes for SIZE
    queue: tuple[ItemRequest, ...] = ()  # the rest of "two oat milks and a latte"
    cart_version: int | None = None  # the cart read back for PURCHASE
    restore: tuple[Restore, ...] = ()  # what "no" to a proposed reorder puts back
    order_number: str | None = None  # CANCEL_ORDER

    def to_session(self) -> dict[str, Any]:
        return {
            "awaiting": self.awaiting.value,
            "action": self.action.value,
            "item": self.item.to_session() if self.item else None,
            "candidates": list(self.candidates),
            "queue": [item.to_session() for item in self.queue],
            "cart_version": self.cart_version,
            "restore": [[r.sku, r.variant_code, r.quantity] for r in self.restore],
            "order_number": self.order_number,
        }

    @classmethod
    def from_session(cls, data: Any) -> Question | None:
        """The question in the session, or None when there is none or it is not well formed."""
        if not isinstance(data, dict):
            return None
        try:
            item = data.get("item")
            queue = data.get("queue") or []
            candidates = data.get("candidates") or []
            restore = data.get("restore") or []
            if not isinstance(queue, list) or len(queue) > _MAX_QUEUE:
                raise ValueError("queue")
            if not isinstance(candidates, list) or not isinstance(restore, list):
                raise ValueError("lists")
            version = data.get("cart_version")
            return cls(
                awaiting=Awaiting(data["awaiting"]),
                action=CartAction(data.get("action") or CartAction.ADD),
                item=ItemRequest.from_session(item) if item is not None else None,
                candidates=tuple(_required_text(c) for c in candidates[:5]),
                queue=tuple(ItemRequest.from_session(entry) for entry in queue),
                cart_version=None if version is None else _required_count(version),
                restore=tuple(_restore(entry) for entry in restore[:50]),
                order_number=_text(data.get("order_number")),
            )
        except (KeyError, ValueError, TypeError):
            return None


@dataclass(frozen=True)
class Memory:
    """What "add one", "one more" and "make that a large" refer to."""

    subject: str | None = None  # SKU of the product just asked about
    subject_unit: str | None = None
    last_sku: str | None = None  # the line the customer last added or changed
    last_variant: str | None = None

    def to_session(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "subject_unit": self.subject_unit,
            "last_sku": self.last_sku,
            "last_variant": self.last_variant,
        }

    @classmethod
    def from_session(cls, data: Any) -> Memory:
        if not isinstance(data, dict):
            return cls()
        try:
            return cls(
                _text(data.get("subject")),
                _text(data.get("subject_unit")),
                _text(data.get("last_sku")),
                _text(data.get("last_variant")),
            )
        except ValueError:
            return cls()


@dataclass
class DialogState:
    """This turn's view of the session: read once, changed by handlers, written back once."""

    question: Question | None = None
    memory: Memory = field(default_factory=Memory)



def _text(value: Any) -> str | None:
    if value is None:
        return None
    return _required_text(value)


def _required_text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > _MAX_TEXT:
        raise ValueError("text")
    return value


def _count(value: Any) -> int | None:
    return None if value is None else _required_count(value)


def _required_count(value: Any) -> int:
    # bool is an int to Python; 2.5 and "3" are not counts.
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _MAX_COUNT:
        raise ValueError("count")
    return value


def _restore(entry: Any) -> Restore:
    if not isinstance(entry, list) or len(entry) != 3:
        raise ValueError("restore")
    return Restore(_required_text(entry[0]), _required_text(entry[1]), _required_count(entry[2]))


STATE_KEY = "vcom.dialog"


def dialog(handler_input: HandlerInput) -> DialogState:
    """This turn's dialog state (loaded from the session on first use)."""
    attributes = handler_input.attributes_manager.request_attributes
    state = attributes.get(STATE_KEY)
    if not isinstance(state, DialogState):
        session = handler_input.attributes_manager.session_attributes
        state = DialogState(
            Question.from_session(session.get(QUESTION_KEY)),
            Memory.from_session(session.get(MEMORY_KEY)),
        )
        attributes[STATE_KEY] = state
    return state


def set_question(handler_input: HandlerInput, question: Question | None) -> None:
    dialog(handler_input).question = question
    save(handler_input)


def remember(handler_input: HandlerInput, **changes: str | None) -> None:
    state = dialog(handler_input)
    state.memory = replace(state.memory, **changes)
    save(handler_input)


def save(handler_input: HandlerInput) -> None:
    state = dialog(handler_input)
    session = handler_input.attributes_manager.session_attributes
    if state.question is None:
        session.pop(QUESTION_KEY, None)
    else:
        session[QUESTION_KEY] = state.question.to_session()
    session[MEMORY_KEY] = state.memory.to_session()
