"""The interaction model turned into the closed language a recognizer may hear."""

from collections import defaultdict

import pytest

from voice_local.nlu.interaction_model import InteractionModel
from voice_local.nlu.locales import locale_table
from voice_local.stt import SpeechGrammar, build_speech_grammar
from voice_local.stt.arpa import build_arpa
from voice_local.stt.jsgf import to_jsgf
from voice_local.stt.speech_grammar import SlotRef


@pytest.fixture(scope="module")
def english(english_interaction_model: InteractionModel) -> SpeechGrammar:
    return build_speech_grammar(
        english_interaction_model, locale_table("en-US").builtin_phrases
    )


def test_samples_become_templates_with_slot_references(english: SpeechGrammar) -> None:
    template = next(t for t in english.templates if t.tokens == ("add", SlotRef("PRODUCT")))
    assert template.intent == "AddToCartIntent"


def test_custom_slot_words_include_values_and_synonyms(english: SpeechGrammar) -> None:
    products = english.slot_words("PRODUCT").phrases
    assert {"oat milk", "oatly", "whole milk", "milk"} <= set(products)


def test_builtin_intents_without_samples_get_the_locale_phrases(english: SpeechGrammar) -> None:
    intents = {t.intent for t in english.templates}
    assert {"AMAZON.YesIntent", "AMAZON.StopIntent", "AMAZON.HelpIntent"} <= intents


def test_four_digit_codes_are_four_digit_words(english: SpeechGrammar) -> None:
    assert english.accepts("my code is one two three four")
    assert not english.accepts("my code is one two three")


def test_accepts_only_sentences_some_template_can_say(english: SpeechGrammar) -> None:
    assert english.accepts("add two bananas to my cart")
    assert not english.accepts("add bananas two to my cart")


def test_unknown_words_drop_whole_phrases_not_single_words(english: SpeechGrammar) -> None:
    smaller, dropped = english.restricted_to(lambda word: word != "cart")
    assert dropped == {"cart"}
    assert not smaller.accepts("add bananas to my")  # no truncated template left behind
    assert not any("cart" in phrase for phrase in smaller.phrases())
    assert smaller.accepts("add bananas to my basket")


def test_each_template_weighs_one_in_the_language_model(english: SpeechGrammar) -> None:
    per_template: dict[int, float] = defaultdict(float)
    for i, template in enumerate(english.templates):
        single = type(english)(english.locale, (template,), english.slots)
        for _phrase, weight in single.weighted_phrases():
            per_template[i] += weight
    assert all(total == pytest.approx(1.0) for total in per_template.values())


def test_every_product_appears_in_the_phrase_list(english: SpeechGrammar) -> None:
    said = " | ".join(english.phrases())
    assert all(product in said for product in english.slot_words("PRODUCT").phrases)


def test_jsgf_has_one_public_rule_and_a_rule_per_slot_type(english: SpeechGrammar) -> None:
    jsgf = to_jsgf(english)
    assert jsgf.count("public <command>") == 1
    assert "<slot_PRODUCT> = " in jsgf
    assert "<slot_AMAZON_FOUR_DIGIT_NUMBER> <slot_AMAZON_FOUR_DIGIT_NUMBER>" in jsgf


def test_arpa_lists_every_grammar_word_as_a_unigram(english: SpeechGrammar) -> None:
    arpa = build_arpa(english.weighted_phrases())
    unigrams = arpa.split("\\1-grams:")[1].split("\\2-grams:")[0]
    listed = {line.split("\t")[1] for line in unigrams.strip().splitlines()}
    assert english.words() <= listed


def test_korean_model_speaks_korean_numbers(korean_interaction_model: InteractionModel) -> None:
    korean = build_speech_grammar(
        korean_interaction_model, locale_table("ko-KR").builtin_phrases
    )
    assert korean.accepts("바나나 세 개 넣어 줘")
