"""Natural-language understanding for the kiosk: any Alexa interaction model → intent + slots."""

from voice_local.nlu.interaction_model import (
    Intent,
    InteractionModel,
    InteractionModelError,
    Slot,
    SlotType,
    SlotValue,
    load_interaction_model,
)
from voice_local.nlu.matcher import IntentMatch, IntentMatcher, ResolvedSlot
from voice_local.nlu.numbers import number_words, parse_number
from voice_local.nlu.phrases import ExpandedPhrase, expand_samples, vocabulary

__all__ = [
    "ExpandedPhrase",
    "Intent",
    "IntentMatch",
    "IntentMatcher",
    "InteractionModel",
    "InteractionModelError",
    "ResolvedSlot",
    "Slot",
    "SlotType",
    "SlotValue",
    "expand_samples",
    "load_interaction_model",
    "number_words",
    "parse_number",
    "vocabulary",
]
