"""pocketsphinx end to end on English commands spoken by espeak-ng (embedded en-US model)."""

import time

import pytest
from rapidfuzz import fuzz

from tests.voice_local.conftest import Say
from voice_local.audio import load_wav
from voice_local.nlu.interaction_model import InteractionModel
from voice_local.nlu.matcher import IntentMatcher
from voice_local.stt import SpeechToText, create_engine

pytestmark = pytest.mark.slow

COMMANDS = [
    ("add two bananas to my cart", "AddToCartIntent"),
    ("remove the coffee beans", "RemoveFromCartIntent"),
    ("what's in my cart", "ReadCartIntent"),
    ("where is my order", "OrderStatusIntent"),
    ("cancel my order", "CancelOrderIntent"),
    ("my code is one two three four", "VoiceCodeIntent"),
    ("add a large latte", "AddToCartIntent"),
    ("place my order", "CheckoutIntent"),
]


@pytest.mark.parametrize(("spoken", "intent"), COMMANDS)
def test_command_is_transcribed_close_to_what_was_said(
    english_pocketsphinx: SpeechToText, say: Say, spoken: str, intent: str
) -> None:
    transcript = english_pocketsphinx.transcribe(load_wav(say(spoken)))
    assert fuzz.ratio(transcript.text, spoken) >= 85, transcript.text


@pytest.mark.parametrize(("spoken", "intent"), COMMANDS)
def test_command_reaches_the_right_intent(
    english_pocketsphinx: SpeechToText, english_interaction_model: InteractionModel, say: Say,
    spoken: str, intent: str,
) -> None:
    transcript = english_pocketsphinx.transcribe(load_wav(say(spoken)))
    assert IntentMatcher(english_interaction_model).match(transcript.text).intent == intent


def test_slot_values_come_through_to_the_matcher(
    english_pocketsphinx: SpeechToText, english_interaction_model: InteractionModel, say: Say
) -> None:
    transcript = english_pocketsphinx.transcribe(load_wav(say("add two bananas to my cart")))
    match = IntentMatcher(english_interaction_model).match(transcript.text)
    assert (match.slots["quantity"].value, match.slots["product"].id) == ("2", "GRO-BANANAS")


def test_words_have_confidences_and_times_inside_the_audio(
    english_pocketsphinx: SpeechToText, say: Say
) -> None:
    audio = load_wav(say("where is my order"))
    transcript = english_pocketsphinx.transcribe(audio)
    assert [word.text for word in transcript.words] == ["where", "is", "my", "order"]
    assert all(0.0 < word.confidence <= 1.0 for word in transcript.words)
    assert all(0 <= w.start_s < w.end_s <= audio.duration_s + 0.05 for w in transcript.words)


def test_grammar_words_missing_from_the_dictionary_are_reported(
    english_pocketsphinx: SpeechToText,
) -> None:
    assert "macchiato" in english_pocketsphinx.dropped_words  # type: ignore[attr-defined]


def test_in_grammar_commands_decode_faster_than_real_time(
    english_pocketsphinx: SpeechToText, say: Say
) -> None:
    audio = load_wav(say("add two bananas to my cart"))
    # CPU time, not wall time: on a shared 2-core machine the wall clock measures the neighbours.
    started = time.process_time()
    english_pocketsphinx.transcribe(audio)
    assert time.process_time() - started < audio.duration_s


def test_jsgf_only_search_also_recognizes_a_command(
    english_interaction_model: InteractionModel, say: Say
) -> None:
    from voice_local.stt.factory import build_speech_grammar
    from voice_local.stt.pocketsphinx_engine import PocketsphinxEngine

    grammar = build_speech_grammar(english_interaction_model)
    engine = PocketsphinxEngine(grammar, search="jsgf")
    assert engine.transcribe(load_wav(say("what's in my cart"))).text == "what's in my cart"


def test_free_mode_returns_some_english_words(
    english_interaction_model: InteractionModel, say: Say
) -> None:
    engine = create_engine("pocketsphinx", english_interaction_model, grammar=False)
    assert engine.transcribe(load_wav(say("where is my order"))).words


def test_derived_pronunciations_keep_compound_products_sayable(
    english_pocketsphinx: SpeechToText,
) -> None:
    grammar = english_pocketsphinx.grammar  # type: ignore[attr-defined]
    assert grammar.accepts("add a sourdough loaf")
    assert "sourdough" in english_pocketsphinx.added_pronunciations  # type: ignore[attr-defined]
