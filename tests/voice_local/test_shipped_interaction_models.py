"""Both interaction models we ship pass the same check Alexa's rules are written into."""

import json
from pathlib import Path

import pytest

from skill.interaction_model.check import MIN_CUSTOM_SAMPLES, check_model
from tests.voice_local.conftest import INTERACTION_MODELS
from voice_local.nlu.interaction_model import InteractionModel
from voice_local.stt import SpeechToText

SHIPPED = sorted(INTERACTION_MODELS.glob("*.json"))


def test_we_ship_the_english_and_korean_models() -> None:
    assert {path.name for path in SHIPPED} >= {"en-US.json", "ko-KR.json"}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_shipped_model_passes_the_check(path: Path) -> None:
    assert check_model(json.loads(path.read_text(encoding="utf-8"))) == []


def test_korean_model_has_the_same_custom_intents_as_the_english(
    english_interaction_model: InteractionModel, korean_interaction_model: InteractionModel,
) -> None:
    def custom(model: InteractionModel) -> set[str]:
        return {i.name for i in model.intents if not i.name.startswith("AMAZON.")}

    assert custom(korean_interaction_model) == custom(english_interaction_model)


@pytest.mark.slow
def test_korean_vosk_can_say_enough_samples_of_every_custom_intent(
    korean_vosk: SpeechToText, korean_interaction_model: InteractionModel,
) -> None:
    sayable = [t.intent for t in korean_vosk.grammar.templates]  # type: ignore[attr-defined]
    custom = [i.name for i in korean_interaction_model.intents if i.samples
              and not i.name.startswith("AMAZON.")]
    assert all(sayable.count(name) >= MIN_CUSTOM_SAMPLES // 2 for name in custom), {
        name: sayable.count(name) for name in custom
    }
