"""What a handler needs for one request, set up once by the request interceptors."""

from __future__ import annotations

from dataclasses import dataclass

from ask_sdk_core.handler_input import HandlerInput

from backend.runtime import Backend
from backend.services.customers import CustomerView
from skill.localization import Translator
from skill.settings import SkillSettings
from skill.speech import Speech

TURN_KEY = "vcom.turn"


@dataclass(frozen=True)
class Turn:
    backend: Backend
    settings: SkillSettings
    t: Translator
    customer: CustomerView
    device_id: str | None
    request_id: str
    session_id: str | None

    @property
    def say(self) -> Speech:
        """Money, items, times and order numbers in this turn's language."""
        return self.t.say


def turn(handler_input: HandlerInput) -> Turn:
    current = handler_input.attributes_manager.request_attributes.get(TURN_KEY)
    assert isinstance(current, Turn), "the customer interceptor did not run"
    return current
