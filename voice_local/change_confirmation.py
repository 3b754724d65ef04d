"""Cart changes heard with low confidence are confirmed before they reach the skill.

A misheard "add two oat milks" ("add two oatmeal") should not silently change the cart. When
the recognizer's confidence in an add or a remove is below the threshold, the kiosk asks "Did you
say add two oatmeal?"; "yes" sends the held request on, "no" drops it, and anything else drops
it and is answered as itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from voice_local.kiosk_strings import kiosk_text
from voice_local.nlu.matcher import IntentMatch
from voice_local.stt import Transcript

CART_CHANGES = {"AddToCartIntent": "confirm_add", "RemoveFromCartIntent": "confirm_remove"}
YES, NO = "AMAZON.YesIntent", "AMAZON.NoIntent"
# Mean word confidence (0..1) below which a cart change is confirmed. Measured with pocketsphinx
# on espeak-ng voices: misheard adds scored 0.876–0.885, right ones 0.81–1.0; see README.
DEFAULT_THRESHOLD = 0.9
# Whisper's word confidences (the model's token probabilities of the sentence chosen) sit lower:
# on adds and removes from the model's samples, four voices of three synthesizers, the 52 heard
# right scored 0.21–0.91 and the 10 misheard 0.32–0.72. 0.5 asks back 7 of those 10 and 16 of
# the 52; at 0.9 nearly every add would be asked back.
ENGINE_THRESHOLDS = {"whisper": 0.5}


def default_threshold(engine: str) -> float:
    """The confirmation threshold measured for a speech engine (by its name)."""
    return ENGINE_THRESHOLDS.get(engine, DEFAULT_THRESHOLD)
_SLOT_ORDER = ("quantity", "unit", "product")


@dataclass(frozen=True)
class Decision:
    """What to do with an utterance: send `match` to the skill, or say `speech` instead."""

    match: IntentMatch | None
    speech: str | None = None
    asked: bool = False  # the kiosk asked a confirmation question (the change is held)


class ChangeConfirmation:
    def __init__(self, locale: str, threshold: float = DEFAULT_THRESHOLD) -> None:
        self._locale = locale
        self.threshold = threshold
        self.held: IntentMatch | None = None

    def decide(self, transcript: Transcript, match: IntentMatch) -> Decision:
        held, self.held = self.held, None
        if held is not None:
            if match.intent == YES:
                return Decision(held)
            if match.intent == NO:
                return Decision(None, kiosk_text(self._locale, "change_dropped"))
        key = CART_CHANGES.get(match.intent)
        if key is not None and transcript.confidence < self.threshold:
            self.held = match
            question = kiosk_text(self._locale, key, what=heard_words(match, self._locale))
            return Decision(None, question, asked=True)
        return Decision(match)

    def forget(self) -> None:
        """A new customer: nothing they did not say is held."""
        self.held = None


def heard_words(match: IntentMatch, locale: str = "en-US") -> str:
    """The change as heard: "two oatmeal", "a small cappuccino" (slot words in speaking order)."""
    slots = [match.slots[name] for name in _SLOT_ORDER if name in match.slots]
    words = " ".join(slot.spoken for slot in slots)
    if locale.startswith("en") and "quantity" not in match.slots and slots:
        words = f"a {words}" if match.intent == "AddToCartIntent" else f"the {words}"
    return words or match.transcript
