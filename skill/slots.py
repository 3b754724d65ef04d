"""Reading slots safely: resolved ids when Alexa found one, bounded numbers, nothing absurd."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_slot
from ask_sdk_model.slu.entityresolution import StatusCode

MAX_SLOT_TEXT = 100


class UnusableSlot(ValueError):
    """A slot value no person would say (huge number, 10 kB of text): answer "I didn't get that"."""


def slot_text(handler_input: HandlerInput, name: str) -> str | None:
    slot = get_slot(handler_input, name)
    value = slot.value if slot is not None else None
    if value is None or not str(value).strip() or str(value).strip() == "?":
        return None
    text = str(value).strip()
    if len(text) > MAX_SLOT_TEXT:
        raise UnusableSlot(name)
    return text


def resolved_id(handler_input: HandlerInput, name: str) -> str | None:
    """The id of the value Alexa matched (entity resolution), if it matched one."""
    slot = get_slot(handler_input, name)
    if slot is None or slot.resolutions is None:
        return None
    for authority in slot.resolutions.resolutions_per_authority or []:
        # Every level may be missing from a hand-made request; Alexa's always has them all.
        status = getattr(authority, "status", None)
        values = getattr(authority, "values", None) or []
        if getattr(status, "code", None) == StatusCode.ER_SUCCESS_MATCH and values:
            value_id = getattr(getattr(values[0], "value", None), "id", None)
            if value_id is not None and str(value_id).strip():
                return str(value_id)
    return None


def slot_number(handler_input: HandlerInput, name: str, *, low: int, high: int) -> int | None:
    text = slot_text(handler_input, name)
    if text is None:
        return None
    # isdigit() also accepts "²" and other digits int() refuses; Alexa sends ASCII digits.
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        raise UnusableSlot(name)
    number = int(text)
    if not low <= number <= high:
        raise UnusableSlot(name)
    return number
