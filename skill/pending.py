"""A question the skill asked and is waiting on, kept in the Alexa session between turns."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from ask_sdk_core.handler_input import HandlerInput

SESSION_KEY = "pending"


class PendingAction(StrEnum):
    CHECKOUT = "checkout"
    CANCEL_ORDER = "cancel_order"
    CHOOSE_PRODUCT = "choose_product"


@dataclass(frozen=True)
class Pending:
    action: PendingAction
    cart_version: int | None = None
    awaiting_code: bool = False
    order_number: str | None = None
    candidates: tuple[str, ...] = field(default_factory=tuple)
    quantity: int | None = None
    unit: str | None = None

    def to_session(self) -> dict[str, Any]:
        data = asdict(self)
        data["action"] = self.action.value
        data["candidates"] = list(self.candidates)
        return data

    @classmethod
    def from_session(cls, data: dict[str, Any]) -> Pending | None:
        try:
            return cls(
                action=PendingAction(data["action"]),
                cart_version=data.get("cart_version"),
                awaiting_code=bool(data.get("awaiting_code")),
                order_number=data.get("order_number"),
                candidates=tuple(data.get("candidates") or ()),
                quantity=data.get("quantity"),
                unit=data.get("unit"),
            )
        except (KeyError, ValueError, TypeError):
            return None  # a stale or tampered session is treated as nothing pending


def get_pending(handler_input: HandlerInput) -> Pending | None:
    data = handler_input.attributes_manager.session_attributes.get(SESSION_KEY)
    return Pending.from_session(data) if isinstance(data, dict) else None


def set_pending(handler_input: HandlerInput, pending: Pending | None) -> None:
    attributes = handler_input.attributes_manager.session_attributes
    if pending is None:
        attributes.pop(SESSION_KEY, None)
    else:
        attributes[SESSION_KEY] = pending.to_session()
