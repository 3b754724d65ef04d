"""Values the customer says that the best sample has no hole for still fill the intent's slots,
and each item keeps its own quantity and size (the shipped en-US and ko-KR models)."""

from pathlib import Path

import pytest

from voice_local.nlu.interaction_model import load_interaction_model
from voice_local.nlu.matcher import IntentMatcher

MODELS = Path(__file__).resolve().parents[2] / "interaction_models"


@pytest.fixture(scope="module")
def english() -> IntentMatcher:
    return IntentMatcher(load_interaction_model(MODELS / "en-US.json"))


@pytest.fixture(scope="module")
def korean() -> IntentMatcher:
    return IntentMatcher(load_interaction_model(MODELS / "ko-KR.json"))


def _slots(matcher: IntentMatcher, text: str) -> tuple[str, dict[str, str]]:
    match = matcher.match(text)
    return match.intent, {name: slot.value for name, slot in match.slots.items()}


def test_a_size_the_sample_does_not_name_still_fills_the_size_slot(
    english: IntentMatcher,
) -> None:
    assert _slots(english, "could i please have a large cappuccino") == (
        "AddToCartIntent", {"product": "cappuccino", "unit": "large"}
    )


def test_an_unnamed_reorder_source_still_fills_its_slot(english: IntentMatcher) -> None:
    assert _slots(english, "reorder my usual latte") == (
        "ReorderIntent", {"product": "latte", "which": "usual"}
    )


def test_three_items_without_a_matching_sample_keep_their_order_and_sizes(
    english: IntentMatcher,
) -> None:
    said = "i'd like a medium hot chocolate a brownie and a bottle of water"
    intent, slots = _slots(english, said)
    assert intent == "AddToCartIntent"
    assert slots == {
        "product": "hot chocolate", "unit": "medium",
        "secondProduct": "brownie",
        "thirdProduct": "bottled water",
    }


def test_a_lone_letter_is_not_taken_for_an_order_letter(english: IntentMatcher) -> None:
    assert _slots(english, "cancel the order i just placed") == ("CancelOrderIntent", {})


def test_a_near_miss_made_of_two_products_is_two_products(english: IntentMatcher) -> None:
    slots = _slots(english, "can i get hot chocolate a brownie and a croissant")[1]
    assert [slots.get(name) for name in ("product", "secondProduct", "thirdProduct")] == [
        "hot chocolate", "brownie", "croissant"
    ]


def test_a_near_miss_of_one_product_stays_a_near_miss(english: IntentMatcher) -> None:
    match = english.match("add oak milk")
    assert match.slots["product"].value == "oat milk"
    assert not match.slots["product"].exact


def test_korean_counts_after_the_item_stay_with_that_item(korean: IntentMatcher) -> None:
    intent, slots = _slots(korean, "바나나 일곱 봉지 하고 달걀 두 개 주세요")
    assert intent == "AddToCartIntent"
    assert (slots["quantity"], slots.get("secondQuantity")) == ("7", "2")


def test_a_leading_no_answers_even_when_the_rest_means_nothing_to_the_model(
    english: IntentMatcher,
) -> None:
    assert english.match("no, something different today").intent == "AMAZON.NoIntent"


def test_a_leading_no_does_not_override_a_request_that_follows(english: IntentMatcher) -> None:
    assert english.match("no, add two oat milks").intent == "AddToCartIntent"


def test_a_word_that_only_sometimes_means_yes_does_not_answer(english: IntentMatcher) -> None:
    assert english.match("perfect weather today").intent == "AMAZON.FallbackIntent"
