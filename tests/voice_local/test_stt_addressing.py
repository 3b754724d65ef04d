"""The speech grammar hears how customers address the assistant: launch phrases, "ask corner
shop to …", wake words and fillers around a command."""

import pytest

from tests.voice_local.conftest import Say
from voice_local.audio import load_wav
from voice_local.nlu.interaction_model import InteractionModel
from voice_local.nlu.locales import locale_table
from voice_local.nlu.matcher import IntentMatcher
from voice_local.stt import SpeechGrammar, SpeechToText, build_speech_grammar
from voice_local.stt.arpa import build_arpa
from voice_local.stt.factory import addressing_for
from voice_local.stt.jsgf import to_jsgf
from voice_local.stt.speech_grammar import LAUNCH_INTENT


@pytest.fixture(scope="module")
def english(english_interaction_model: InteractionModel) -> SpeechGrammar:
    return build_speech_grammar(
        english_interaction_model, locale_table("en-US").builtin_phrases,
        addressing_for(english_interaction_model),
    )


def test_launch_phrases_come_from_the_invocation_name(english: SpeechGrammar) -> None:
    launches = {" ".join(t.tokens) for t in english.templates if t.intent == LAUNCH_INTENT}
    assert {"open corner shop", "ask corner shop", "launch corner shop"} <= launches


def test_a_launch_phrase_may_follow_the_wake_word(english: SpeechGrammar) -> None:
    assert english.accepts("alexa open corner shop")


def test_ask_invocation_to_may_precede_any_command(english: SpeechGrammar) -> None:
    assert english.accepts("alexa ask corner shop to add two bananas")
    assert english.accepts("ask corner shop where is my order")


def test_fillers_may_come_before_and_after_a_command(english: SpeechGrammar) -> None:
    assert english.accepts("could you add two bananas please")


def test_addressing_words_alone_are_not_a_command(english: SpeechGrammar) -> None:
    assert not english.accepts("alexa please")
    assert not english.accepts("ask corner shop to")


def test_without_addressing_only_the_samples_are_accepted(
    english_interaction_model: InteractionModel,
) -> None:
    plain = build_speech_grammar(english_interaction_model, locale_table("en-US").builtin_phrases)
    assert not plain.accepts("open corner shop")
    assert not plain.accepts("could you add two bananas please")


def test_the_recognizer_knows_the_invocation_and_filler_words(english: SpeechGrammar) -> None:
    assert {"corner", "shop", "alexa", "could", "please"} <= english.words()


def test_the_language_model_puts_addressing_words_in_context(english: SpeechGrammar) -> None:
    arpa = build_arpa(english.weighted_phrases())
    bigrams = arpa.split("\\2-grams:")[1].split("\\3-grams:")[0]
    assert "\tcorner shop\t" in bigrams


def test_jsgf_wraps_the_shared_commands_in_optional_parts_once(english: SpeechGrammar) -> None:
    jsgf = to_jsgf(english)
    root = next(line for line in jsgf.splitlines() if line.startswith("public <command>"))
    assert root == "public <command> = [<before_0>] [<before_1>] [<before_2>] <shop> [<after_0>];"
    assert "corner shop to" in jsgf


def test_words_unknown_to_the_recognizer_drop_only_that_addressing_phrase(
    english: SpeechGrammar,
) -> None:
    smaller, _dropped = english.restricted_to(lambda word: word != "kindly")
    assert not smaller.accepts("kindly add two bananas")
    assert smaller.accepts("please add two bananas")


def test_korean_grammar_takes_the_korean_wake_word(
    korean_interaction_model: InteractionModel,
) -> None:
    korean = build_speech_grammar(
        korean_interaction_model, locale_table("ko-KR").builtin_phrases,
        addressing_for(korean_interaction_model),
    )
    assert korean.accepts("알렉사 바나나 세 개 넣어 줘")


@pytest.mark.slow
def test_a_spoken_launch_phrase_is_heard_as_itself(
    english_pocketsphinx: SpeechToText, say: Say
) -> None:
    transcript = english_pocketsphinx.transcribe(load_wav(say("open corner shop")))
    assert transcript.text == "open corner shop"


@pytest.mark.slow
def test_a_command_addressed_to_the_shop_reaches_its_intent(
    english_pocketsphinx: SpeechToText, english_interaction_model: InteractionModel, say: Say
) -> None:
    audio = load_wav(say("alexa ask corner shop to add two bananas"))
    match = IntentMatcher(english_interaction_model).match(
        english_pocketsphinx.transcribe(audio).text
    )
    assert (match.intent, match.slots["quantity"].value, match.slots["product"].id) == (
        "AddToCartIntent", "2", "GRO-BANANAS"
    )
