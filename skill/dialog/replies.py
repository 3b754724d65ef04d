"""What the customer's turn says, read from the request: yes, no, a code, some details of an
item (a product, a size, a number), or something else entirely."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import IntentConfirmationStatus, IntentRequest

from skill.dialog.state import ItemRequest
from skill.slots import resolved_id, slot_number, slot_text

MAX_SPOKEN_QUANTITY = 999_999
# AMOUNT slot ids: "an oat milk" is one, "a couple of" two, "all the bagels" every one.
_AMOUNTS = {"1": 1, "2": 2}
_ALL = "ALL"
ITEM_SLOTS = (("product", "quantity", "unit"),
              ("secondProduct", "secondQuantity", "secondUnit"),
              ("thirdProduct", "thirdQuantity", "thirdUnit"))
# Intents that carry one item's details and may answer a question about it.
DETAIL_INTENTS = frozenset(
    {"AnswerIntent", "AddToCartIntent", "RemoveFromCartIntent", "SetQuantityIntent"}
)
NEUTRAL_INTENTS = frozenset({"AMAZON.HelpIntent", "AMAZON.FallbackIntent"})


class ReplyKind(StrEnum):
    YES = "yes"
    NO = "no"
    CODE = "code"
    DETAILS = "details"  # a product, size or number, maybe with a verb ("add two", "large")
    NEUTRAL = "neutral"  # help, not understood: the open question stays open
    OTHER = "other"  # a request of its own


@dataclass(frozen=True)
class Reply:
    kind: ReplyKind
    intent: str
    item: ItemRequest | None = None
    code: str | None = None


def intent_name(handler_input: HandlerInput) -> str:
    request = handler_input.request_envelope.request
    if not isinstance(request, IntentRequest) or request.intent is None:
        return request.object_type or ""
    return str(request.intent.name)


def read_reply(handler_input: HandlerInput) -> Reply:
    name = intent_name(handler_input)
    request = handler_input.request_envelope.request
    status = getattr(getattr(request, "intent", None), "confirmation_status", None)
    # Alexa answers Dialog.ConfirmIntent by resending the intent with the customer's verdict.
    if status == IntentConfirmationStatus.CONFIRMED or name == "AMAZON.YesIntent":
        return Reply(ReplyKind.YES, name)
    if status == IntentConfirmationStatus.DENIED or name == "AMAZON.NoIntent":
        return Reply(ReplyKind.NO, name)
    if name == "VoiceCodeIntent":
        return Reply(ReplyKind.CODE, name, code=slot_text(handler_input, "code"))
    if name in NEUTRAL_INTENTS:
        return Reply(ReplyKind.NEUTRAL, name)
    if name in DETAIL_INTENTS and slot_text(handler_input, "secondProduct") is None:
        return Reply(ReplyKind.DETAILS, name, item=item_from_slots(handler_input))
    return Reply(ReplyKind.OTHER, name)


def item_from_slots(
    handler_input: HandlerInput, names: tuple[str, str, str] = ITEM_SLOTS[0]
) -> ItemRequest:
    product, quantity_slot, unit_slot = names
    quantity = slot_number(handler_input, quantity_slot, low=0, high=MAX_SPOKEN_QUANTITY)
    all_of_it = False
    if names == ITEM_SLOTS[0]:
        amount = resolved_id(handler_input, "amount")
        if quantity is None and amount in _AMOUNTS:
            quantity = _AMOUNTS[amount]
        all_of_it = amount == _ALL
    return ItemRequest(
        spoken=slot_text(handler_input, product),
        sku=resolved_id(handler_input, product),
        quantity=quantity,
        unit=resolved_id(handler_input, unit_slot) or slot_text(handler_input, unit_slot),
        all_of_it=all_of_it,
    )


def items_from_slots(handler_input: HandlerInput) -> list[ItemRequest]:
    """Every item of "two oat milks and a large latte": the first, then those Alexa put in the
    second and third item's slots."""
    items = [item_from_slots(handler_input, ITEM_SLOTS[0])]
    for names in ITEM_SLOTS[1:]:
        if slot_text(handler_input, names[0]) is not None:
            items.append(item_from_slots(handler_input, names))
    return items
