"""The pocketsphinx grammar shares each intent's long slot list instead of copying it per sample.

pocketsphinx copies a rule for every reference, and its grammar search slows with the copies:
with the product list in 54 samples, decoding ran slower than real time.
"""

import pytest

from voice_local.nlu.interaction_model import InteractionModel
from voice_local.nlu.locales import locale_table
from voice_local.stt import SpeechGrammar, build_speech_grammar
from voice_local.stt.jsgf import to_jsgf


@pytest.fixture(scope="module")
def english(english_interaction_model: InteractionModel) -> SpeechGrammar:
    return build_speech_grammar(english_interaction_model, locale_table("en-US").builtin_phrases)


def _product_intents(grammar: SpeechGrammar) -> set[str]:
    return {
        t.intent for t in grammar.templates if any(getattr(k, "slot_type", "") == "PRODUCT"
                                                   for k in t.tokens)
    }


def test_the_product_list_is_referenced_once_in_the_whole_grammar(
    english: SpeechGrammar,
) -> None:
    jsgf = to_jsgf(english)
    body = "\n".join(line for line in jsgf.splitlines() if not line.startswith("<slot_PRODUCT>"))
    assert len(_product_intents(english)) > 5
    assert body.count("<slot_PRODUCT>") == 1


def test_unfactored_grammar_copies_the_list_into_every_sample(english: SpeechGrammar) -> None:
    jsgf = to_jsgf(english, factor=False)
    uses = sum(1 for t in english.templates if any(
        getattr(k, "slot_type", "") == "PRODUCT" for k in t.tokens))
    assert jsgf.count("<slot_PRODUCT>") == uses + 1  # plus the list's own definition


def test_words_before_and_after_the_shared_slot_keep_their_samples(
    english: SpeechGrammar,
) -> None:
    jsgf = to_jsgf(english)
    before = next(line for line in jsgf.splitlines() if line.startswith("<shared_list_before>"))
    after = next(line for line in jsgf.splitlines() if line.startswith("<shared_list_after>"))
    assert "(add <slot_AMAZON_NUMBER> <slot_UNIT> of)" in before
    assert "(to my cart)" in after


def test_short_slot_lists_stay_inline(english: SpeechGrammar) -> None:
    jsgf = to_jsgf(english)
    assert "<intent_VoiceCodeIntent_before>" not in jsgf
    assert "(my code is " + " ".join(["<slot_AMAZON_FOUR_DIGIT_NUMBER>"] * 4) + ")" in jsgf
