import json
from pathlib import Path

import pytest

from voice_local.nlu import IntentMatcher, expand_samples, load_interaction_model, vocabulary

DATA = Path(__file__).parent / "data"
SHIPPED = Path(__file__).resolve().parents[2] / "interaction_models"


@pytest.fixture(scope="module")
def shop():
    return load_interaction_model(DATA / "shop-en-US.json")


def test_slots_are_filled_with_canonical_ids_and_numbers(shop) -> None:
    phrases = expand_samples(shop, max_per_sample=1000)
    phrase = next(p for p in phrases if p.text == "add twelve oatly to my cart")
    assert phrase.intent == "AddToCartIntent"
    assert dict(phrase.slots) == {"quantity": "12", "product": "GRO-OATMILK"}


def test_value_without_id_is_given_by_name() -> None:
    pizza = load_interaction_model(DATA / "pizza-en-GB.json")
    phrase = next(p for p in expand_samples(pizza) if p.intent == "OrderPizzaIntent")
    assert phrase.slots["size"] in {"small", "medium", "large"}


def test_number_slots_use_the_given_numbers(shop) -> None:
    phrases = expand_samples(shop, max_per_sample=1000, numbers=range(21, 22))
    quantities = {p.slots["quantity"] for p in phrases if "quantity" in p.slots}
    assert quantities == {"21"}
    assert any("twenty one" in p.text for p in phrases)


def test_four_digit_codes_are_read_digit_by_digit(shop) -> None:
    phrase = next(p for p in expand_samples(shop) if p.slots.get("code"))
    assert len(phrase.slots["code"]) == 4
    assert len(phrase.text.split()) >= 4


def test_each_sample_yields_at_most_max_per_sample_phrases(shop) -> None:
    phrases = expand_samples(shop, max_per_sample=3)
    per_sample = [p for p in phrases if p.text.startswith("put ")]
    assert len(per_sample) == 3


def test_sample_without_slots_yields_itself_once(shop) -> None:
    phrases = expand_samples(shop)
    assert [p.text for p in phrases].count("what's in my cart") == 1


def test_same_seed_gives_the_same_phrases(shop) -> None:
    assert expand_samples(shop, seed=7) == expand_samples(shop, seed=7)


def test_different_seeds_draw_different_phrases(shop) -> None:
    assert expand_samples(shop, seed=1) != expand_samples(shop, seed=2)


def test_built_in_intents_contribute_amazons_phrases(shop) -> None:
    texts = {(p.text, p.intent) for p in expand_samples(shop)}
    assert ("yes", "AMAZON.YesIntent") in texts


def test_samples_with_free_form_slots_are_left_out() -> None:
    pizza = load_interaction_model(DATA / "pizza-en-GB.json")
    assert all(p.intent != "FindStoreIntent" for p in expand_samples(pizza))


def test_korean_quantities_are_native_counting_words() -> None:
    korean = load_interaction_model(DATA / "shop-ko-KR.json")
    texts = {p.text for p in expand_samples(korean, max_per_sample=1000)}
    assert "바나나 두 개 담아 줘" in texts


def test_vocabulary_has_sample_words_values_synonyms_numbers_and_built_ins(shop) -> None:
    words = vocabulary(shop)
    assert {"cart", "oat", "milk", "oatly", "twenty", "dozen", "yes"} <= words
    assert not any("{" in word or "}" in word for word in words)


def test_korean_vocabulary_has_korean_number_words() -> None:
    korean = load_interaction_model(DATA / "shop-ko-KR.json")
    assert {"스물", "두", "개", "바나나", "네"} <= vocabulary(korean)


def test_vocabulary_has_no_number_words_without_number_slots(tmp_path: Path) -> None:
    path = tmp_path / "en-US.json"
    path.write_text(json.dumps({"interactionModel": {"languageModel": {
        "invocationName": "greeter",
        "intents": [{"name": "HelloIntent", "samples": ["hello there"]}]}}}))
    words = vocabulary(load_interaction_model(path))
    assert "hello" in words
    assert "twenty" not in words


@pytest.mark.parametrize(
    "path",
    [DATA / "shop-en-US.json", DATA / "shop-ko-KR.json", DATA / "pizza-en-GB.json",
     SHIPPED / "en-US.json", SHIPPED / "ko-KR.json"],
    ids=lambda path: f"{path.parent.name}/{path.name}",
)
def test_every_expanded_phrase_matches_back_to_its_intent_and_slots(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} is not written yet")
    model = load_interaction_model(path)
    matcher = IntentMatcher(model)
    wrong = []
    for phrase in expand_samples(model, max_per_sample=5):
        match = matcher.match(phrase.text)
        found = {name: slot.id or slot.value for name, slot in match.slots.items()}
        if (match.intent, found) != (phrase.intent, dict(phrase.slots)):
            wrong.append((phrase.text, phrase.intent, dict(phrase.slots), match.intent, found))
    assert wrong == []


def test_samples_differing_only_in_fillers_are_all_expanded(shop) -> None:
    texts = {p.text for p in expand_samples(shop)}
    assert {"please read my cart", "read my cart"} <= texts
