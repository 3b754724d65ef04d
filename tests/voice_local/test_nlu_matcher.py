import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voice_local.nlu import IntentMatcher, load_interaction_model

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def shop() -> IntentMatcher:
    return IntentMatcher(load_interaction_model(DATA / "shop-en-US.json"))


@pytest.fixture(scope="module")
def korean_shop() -> IntentMatcher:
    return IntentMatcher(load_interaction_model(DATA / "shop-ko-KR.json"))


@pytest.fixture(scope="module")
def pizza() -> IntentMatcher:
    return IntentMatcher(load_interaction_model(DATA / "pizza-en-GB.json"))


def _values(match) -> dict[str, str]:
    return {name: slot.value for name, slot in match.slots.items()}


def test_exact_sample_matches_with_full_confidence(shop: IntentMatcher) -> None:
    match = shop.match("add two oat milk to my cart")
    assert match.intent == "AddToCartIntent"
    assert match.confidence == pytest.approx(1.0)
    assert match.sample == "add {quantity} {product} to my cart"


def test_sample_without_slots_matches_with_full_confidence(shop: IntentMatcher) -> None:
    match = shop.match("what's in my cart")
    assert (match.intent, match.confidence) == ("ReadCartIntent", pytest.approx(1.0))


def test_fillers_are_ignored(shop: IntentMatcher) -> None:
    match = shop.match("um alexa could you uh please add two oat milk to my cart")
    assert match.intent == "AddToCartIntent"
    assert match.confidence == pytest.approx(1.0)


def test_addressing_the_skill_by_invocation_name_is_ignored(shop: IntentMatcher) -> None:
    match = shop.match("Alexa, ask corner shop to add oat milk")
    assert match.intent == "AddToCartIntent"
    assert match.confidence == pytest.approx(1.0)


def test_punctuation_and_case_are_ignored(shop: IntentMatcher) -> None:
    assert shop.match("Add TWO oat-milk to my cart!").confidence == pytest.approx(1.0)


def test_different_word_order_is_tolerated(shop: IntentMatcher) -> None:
    match = shop.match("to my cart add two oat milks")
    assert match.intent == "AddToCartIntent"
    assert _values(match) == {"quantity": "2", "product": "oat milk"}


def test_sample_word_order_scores_higher_than_reordered_words(shop: IntentMatcher) -> None:
    in_order = shop.match("add two oat milk to my cart").confidence
    assert shop.match("to my cart add two oat milk").confidence < in_order


def test_small_recognition_errors_in_slot_values_are_tolerated(shop: IntentMatcher) -> None:
    match = shop.match("add two oat mills")
    assert match.intent == "AddToCartIntent"
    assert match.slots["product"].id == "GRO-OATMILK"
    assert match.slots["product"].spoken == "oat mills"


def test_small_recognition_errors_in_sample_words_are_tolerated(shop: IntentMatcher) -> None:
    match = shop.match("remoove oat milk")
    assert match.intent == "RemoveFromCartIntent"


def test_fuzzy_value_scores_lower_than_exact_value(shop: IntentMatcher) -> None:
    assert shop.match("add oat mill").confidence < shop.match("add oat milk").confidence


def test_number_words_are_not_fuzzily_taken_for_products(pizza: IntentMatcher) -> None:
    # "four" is one letter away from "flour"-like values; a known number is never a product.
    match = pizza.match("order four large pepperoni pizzas")
    assert _values(match) == {"count": "4", "size": "large", "topping": "pepperoni"}


def test_plural_resolves_to_the_singular_value(shop: IntentMatcher) -> None:
    match = shop.match("add three lattes")
    assert match.slots["product"].value == "latte"


def test_irregular_english_plural_resolves(shop: IntentMatcher) -> None:
    assert shop.match("add two tomatoes").slots["product"].id == "GRO-TOMATO"


def test_entity_resolution_returns_the_value_id(shop: IntentMatcher) -> None:
    slot = shop.match("add oatly").slots["product"]
    assert (slot.spoken, slot.value, slot.id) == ("oatly", "oat milk", "GRO-OATMILK")


def test_value_without_id_resolves_to_its_name(pizza: IntentMatcher) -> None:
    slot = pizza.match("a family size hawaiian pizza").slots["size"]
    assert (slot.value, slot.id) == ("large", None)


@pytest.mark.parametrize(
    ("spoken", "quantity"),
    [("two", "2"), ("a dozen", "12"), ("twenty one", "21"), ("3", "3")],
)
def test_spoken_numbers_fill_number_slots(shop: IntentMatcher, spoken: str, quantity: str) -> None:
    match = shop.match(f"add {spoken} bananas to my cart")
    assert _values(match) == {"quantity": quantity, "product": "banana"}


def test_four_digit_number_is_read_digit_by_digit(shop: IntentMatcher) -> None:
    match = shop.match("my code is four seven one nine")
    assert match.intent == "VoiceCodeIntent"
    assert match.slots["code"].value == "4719"


def test_four_digit_code_keeps_its_leading_zero(shop: IntentMatcher) -> None:
    assert shop.match("the code is zero four one nine").slots["code"].value == "0419"


def test_letter_and_number_are_split_between_two_slots(shop: IntentMatcher) -> None:
    match = shop.match("a four one seven")
    assert match.intent == "OrderStatusIntent"
    assert match.slots["orderLetter"].id == "A"
    assert match.slots["orderNumber"].value == "417"


def test_letter_glued_to_digits_is_split(shop: IntentMatcher) -> None:
    match = shop.match("where is order B12")
    assert _values(match) == {"orderLetter": "B", "orderNumber": "12"}


@pytest.mark.parametrize(
    "gibberish", ["purple monkey dishwasher", "xyzzy plugh", "the weather in paris tomorrow"]
)
def test_gibberish_falls_back_with_low_confidence(shop: IntentMatcher, gibberish: str) -> None:
    match = shop.match(gibberish)
    assert match.intent == "AMAZON.FallbackIntent"
    assert match.confidence < 0.6
    assert match.slots == {}
    assert match.sample is None


def test_empty_transcript_falls_back_with_zero_confidence(shop: IntentMatcher) -> None:
    match = shop.match("  um  ")
    assert (match.intent, match.confidence) == ("AMAZON.FallbackIntent", 0.0)


def test_threshold_decides_between_intent_and_fallback() -> None:
    model = load_interaction_model(DATA / "shop-en-US.json")
    spoken = "add two oat mills"
    confidence = IntentMatcher(model).match(spoken).confidence
    assert IntentMatcher(model, threshold=confidence).match(spoken).intent == "AddToCartIntent"
    strict = IntentMatcher(model, threshold=confidence + 0.01)
    assert strict.match(spoken).intent == "AMAZON.FallbackIntent"


@pytest.mark.parametrize(
    ("spoken", "intent"),
    [
        ("yes", "AMAZON.YesIntent"),
        ("yeah", "AMAZON.YesIntent"),
        ("sure", "AMAZON.YesIntent"),
        ("no", "AMAZON.NoIntent"),
        ("nope", "AMAZON.NoIntent"),
        ("stop", "AMAZON.StopIntent"),
        ("cancel", "AMAZON.CancelIntent"),
        ("help", "AMAZON.HelpIntent"),
        ("go home", "AMAZON.NavigateHomeIntent"),
    ],
)
def test_english_built_in_intents_need_no_samples(
    shop: IntentMatcher, spoken: str, intent: str
) -> None:
    assert shop.match(spoken).intent == intent


def test_required_built_in_intents_work_even_when_the_model_omits_them(
    pizza: IntentMatcher,
) -> None:
    assert pizza.match("help").intent == "AMAZON.HelpIntent"


def test_undeclared_optional_built_in_intent_is_not_matched(pizza: IntentMatcher) -> None:
    assert pizza.match("yes").intent == "AMAZON.FallbackIntent"


@pytest.mark.parametrize(
    ("spoken", "intent"),
    [
        ("네", "AMAZON.YesIntent"),
        ("응", "AMAZON.YesIntent"),
        ("아니요", "AMAZON.NoIntent"),
        ("그만", "AMAZON.StopIntent"),
        ("도움말", "AMAZON.HelpIntent"),
    ],
)
def test_korean_built_in_intents_need_no_samples(
    korean_shop: IntentMatcher, spoken: str, intent: str
) -> None:
    assert korean_shop.match(spoken).intent == intent


def test_korean_native_number_and_counter_fill_the_quantity(korean_shop: IntentMatcher) -> None:
    match = korean_shop.match("바나나 두 개 담아 줘")
    assert match.intent == "AddToCartIntent"
    assert match.confidence == pytest.approx(1.0)
    assert _values(match) == {"product": "바나나", "quantity": "2"}


def test_korean_particle_glued_to_a_product_is_split_off(korean_shop: IntentMatcher) -> None:
    match = korean_shop.match("라떼를 장바구니에 넣어 줘")
    assert match.slots["product"].id == "COF-LATTE"
    assert match.confidence == pytest.approx(1.0)


def test_korean_particle_variant_after_a_consonant_matches(korean_shop: IntentMatcher) -> None:
    # The sample writes 를; after 귀리 우유 the recogniser may write either form.
    match = korean_shop.match("귀리 우유을 장바구니에 넣어 줘")
    assert match.slots["product"].id == "GRO-OATMILK"
    assert match.confidence == pytest.approx(1.0)


def test_korean_word_ending_like_a_particle_stays_whole(korean_shop: IntentMatcher) -> None:
    assert korean_shop.match("오이 빼 줘").slots["product"].id == "GRO-CUCUMBER"


def test_korean_spacing_differences_are_tolerated(korean_shop: IntentMatcher) -> None:
    match = korean_shop.match("바나나 세개 담아줘")
    assert _values(match) == {"product": "바나나", "quantity": "3"}
    assert match.confidence == pytest.approx(1.0)


def test_korean_code_is_read_with_sino_digits(korean_shop: IntentMatcher) -> None:
    assert korean_shop.match("내 코드는 사 칠 일 구").slots["code"].value == "4719"


def test_free_form_slot_captures_the_words_as_spoken(pizza: IntentMatcher) -> None:
    match = pizza.match("find a store near king's cross station")
    assert match.intent == "FindStoreIntent"
    assert match.slots["query"].value == "king's cross station"


def test_match_records_the_transcript_as_given(shop: IntentMatcher) -> None:
    assert shop.match("Add oat milk, please.").transcript == "Add oat milk, please."


def test_value_words_in_the_wrong_order_still_resolve(shop: IntentMatcher) -> None:
    assert shop.match("add beans coffee").slots["product"].id == "GRO-COFFEEBEANS"


def test_on_equal_scores_the_template_explaining_every_spoken_word_wins(tmp_path: Path) -> None:
    # "delete oat milk" misses "the" of one sample and leaves "delete" unexplained by the
    # other: equal F-measures; the sample that accounts for everything said should win.
    product = {"name": "product", "type": "PRODUCT"}
    document = {"interactionModel": {"languageModel": {
        "invocationName": "shop",
        "intents": [
            {"name": "AddIntent", "slots": [product], "samples": ["{product} please"]},
            {"name": "RemoveIntent", "slots": [product], "samples": ["delete the {product}"]},
        ],
        "types": [{"name": "PRODUCT", "values": [{"name": {"value": "oat milk"}}]}],
    }}}
    path = tmp_path / "en-US.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    matcher = IntentMatcher(load_interaction_model(path))
    assert matcher.match("delete oat milk").intent == "RemoveIntent"


def test_value_spoken_without_its_space_resolves(korean_shop: IntentMatcher) -> None:
    assert korean_shop.match("귀리우유 담아 줘").slots["product"].id == "GRO-OATMILK"


_SHOP = IntentMatcher(load_interaction_model(DATA / "shop-en-US.json"))
_SHOP_INTENTS = {intent.name for intent in _SHOP.model.intents}


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_text_gets_an_intent_and_a_confidence_between_0_and_1(text: str) -> None:
    match = _SHOP.match(text)
    assert 0.0 <= match.confidence <= 1.0
    assert match.intent in _SHOP_INTENTS
    assert set(match.slots) <= {slot.name for slot in _SHOP.model.intent(match.intent).slots}

