"""From Whisper's captions to spoken words, and to the nearest sentences of the grammar."""

import pytest

from voice_local.nlu.interaction_model import InteractionModel
from voice_local.nlu.locales import locale_table
from voice_local.stt.catalog_words import CatalogWords, sound_key
from voice_local.stt.factory import addressing_for
from voice_local.stt.grammar_snap import GrammarSnapper
from voice_local.stt.speech_grammar import build_speech_grammar
from voice_local.stt.whisper_text import number_words, spoken_words, without_repeats


@pytest.mark.parametrize(("caption", "words"), [
    ("At 2 bananas to my cart.", "at two bananas to my cart"),
    ("A 12-ounce latte, please!", "a twelve ounce latte please"),
    ("My code is 1234.", "my code is one two three four"),
    ("Cancel order B12.", "cancel order b twelve"),
    ("(coughing)", ""),
    ("[MUSIC] ♪", ""),
    ("What's in my cart?", "what's in my cart"),
])
def test_captions_become_spoken_words(caption: str, words: str) -> None:
    assert spoken_words(caption) == words


@pytest.mark.parametrize(("digits", "words"), [
    ("0", "zero"), ("7", "seven"), ("15", "fifteen"), ("40", "forty"), ("42", "forty two"),
    ("100", "one hundred"), ("305", "three hundred five"), ("0369", "zero three six nine"),
])
def test_numbers_are_read_as_a_customer_says_them(digits: str, words: str) -> None:
    assert number_words(digits) == words


@pytest.fixture(scope="module")
def snapper(english_interaction_model: InteractionModel) -> GrammarSnapper:
    model = english_interaction_model
    return GrammarSnapper(build_speech_grammar(
        model, locale_table(model.locale).builtin_phrases, addressing_for(model)
    ))


def test_a_misheard_verb_snaps_to_the_sample(snapper: GrammarSnapper) -> None:
    best = snapper.snaps("at two bananas to my cart")[0]
    assert best.sentence == "add two bananas to my cart"


def test_a_misheard_product_offers_the_catalog_names_it_sounds_like(
    snapper: GrammarSnapper,
) -> None:
    best = snapper.snaps("add a macho")[0]
    product = best.fills[-1]
    assert {"matcha", "macchiato"} <= set(product.phrases)


def test_a_product_split_into_pieces_is_put_back_together(snapper: GrammarSnapper) -> None:
    assert snapper.snaps("can i get a medium cap tune o")[0].sentence == (
        "can i get a medium cappuccino"
    )


def test_every_snap_is_a_sentence_the_grammar_accepts(snapper: GrammarSnapper) -> None:
    for heard in ("i would like two lattes please", "grab me some coffee beans", "hello"):
        for snap in snapper.snaps(heard):
            assert snapper.grammar.accepts(snap.sentence), snap.sentence


def test_addressing_words_heard_exactly_are_kept(snapper: GrammarSnapper) -> None:
    best = snapper.snaps("alexa ask corner shop to add milk please")[0]
    assert (best.sentence, best.cost) == ("alexa ask corner shop to add milk please", 0.0)


def test_a_slot_is_never_filled_with_a_value_nobody_said(snapper: GrammarSnapper) -> None:
    for snap in snapper.snaps("add to my cart"):
        assert all(fill.end > fill.start for fill in snap.fills)


def test_another_slot_phrase_renders_a_sentence_the_grammar_accepts(
    snapper: GrammarSnapper,
) -> None:
    best = snapper.snaps("add a macho")[0]
    other = best.render(len(best.fills) - 1, best.fills[-1].phrases[1])
    assert other != best.sentence and snapper.grammar.accepts(other)


@pytest.mark.parametrize(("heard", "kept"), [
    ("place my order place my order place my", "place my order"),
    ("what am i got what am i", "what am i got"),
    ("one one one one", "one one one one"),
    ("one two one two", "one two one two"),
    ("add three quasants add three", "add three quasants"),
    ("add free lemons add free le", "add free lemons"),
    ("add two bananas", "add two bananas"),
])
def test_a_sentence_said_over_and_over_is_kept_once(heard: str, kept: str) -> None:
    assert without_repeats(heard) == kept


@pytest.fixture(scope="module")
def catalog_words(english_interaction_model: InteractionModel) -> CatalogWords:
    model = english_interaction_model
    return CatalogWords(build_speech_grammar(
        model, locale_table(model.locale).builtin_phrases, addressing_for(model)
    ))


@pytest.mark.parametrize(("one", "other"), [
    ("latte", "light"), ("three", "free"), ("macchiato", "mokiato"),
])
def test_words_that_sound_alike_share_a_sound_key(one: str, other: str) -> None:
    assert sound_key(one) == sound_key(other)


@pytest.mark.parametrize(("heard", "meant"), [
    ("at a large light", "at a large latte"),  # the customer's "at" stays: the matcher copes
    ("add free lemons", "add three lemons"),
    ("add a macho", "add a mocha"),
])
def test_misheard_catalog_words_are_put_right_and_the_words_around_them_kept(
    catalog_words: CatalogWords, heard: str, meant: str
) -> None:
    assert meant in [text for text, _cost in catalog_words.rewrites(heard)]


@pytest.mark.parametrize("heard", [
    "where is my order", "hello", "add two bananas to my cart", "grab me some coffee beans",
])
def test_words_of_the_samples_and_catalog_words_heard_right_are_left_alone(
    catalog_words: CatalogWords, heard: str
) -> None:
    assert catalog_words.rewrites(heard) == []

