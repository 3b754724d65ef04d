import json
from pathlib import Path

import pytest

from voice_local.nlu import InteractionModelError, Slot, load_interaction_model

DATA = Path(__file__).parent / "data"


def _write(tmp_path: Path, name: str, document: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _model(intents: list[dict], types: list[dict] | None = None) -> dict:
    return {"interactionModel": {"languageModel": {
        "invocationName": "test shop", "intents": intents, "types": types or []}}}


def test_locale_is_taken_from_the_file_name() -> None:
    assert load_interaction_model(DATA / "shop-ko-KR.json").locale == "ko-KR"


def test_explicit_locale_overrides_the_file_name() -> None:
    assert load_interaction_model(DATA / "shop-en-US.json", locale="en-GB").locale == "en-GB"


def test_file_name_without_locale_needs_an_explicit_one(tmp_path: Path) -> None:
    path = _write(tmp_path, "model.json", _model([{"name": "A", "samples": ["a"]}]))
    with pytest.raises(InteractionModelError, match=r"model\.json.*locale"):
        load_interaction_model(path)


def test_intents_slots_and_samples_are_read() -> None:
    model = load_interaction_model(DATA / "shop-en-US.json")
    add = model.intent("AddToCartIntent")
    assert model.invocation_name == "corner shop"
    assert Slot(name="quantity", type="AMAZON.NUMBER") in add.slots
    assert "add {quantity} {product} to my cart" in add.samples


def test_slot_values_keep_ids_and_synonyms() -> None:
    product = load_interaction_model(DATA / "shop-en-US.json").slot_type("PRODUCT")
    assert product is not None
    oat_milk = next(value for value in product.values if value.id == "GRO-OATMILK")
    assert oat_milk.name == "oat milk"
    assert "oatly" in oat_milk.synonyms


def test_built_in_types_have_no_slot_type_entry() -> None:
    assert load_interaction_model(DATA / "shop-en-US.json").slot_type("AMAZON.NUMBER") is None


def test_unknown_intent_name_raises_key_error() -> None:
    with pytest.raises(KeyError, match="NoSuchIntent"):
        load_interaction_model(DATA / "shop-en-US.json").intent("NoSuchIntent")


def test_invalid_json_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "en-US.json"
    path.write_text('{"interactionModel":\n  {oops}', encoding="utf-8")
    with pytest.raises(InteractionModelError, match=r"en-US.json.*line 2"):
        load_interaction_model(path)


def test_missing_file_is_an_interaction_model_error(tmp_path: Path) -> None:
    with pytest.raises(InteractionModelError, match="cannot read"):
        load_interaction_model(tmp_path / "en-US.json")


def test_sample_using_an_undeclared_slot_is_rejected(tmp_path: Path) -> None:
    intents = [{"name": "AddIntent", "samples": ["add {thing}"]}]
    path = _write(tmp_path, "en-US.json", _model(intents))
    with pytest.raises(InteractionModelError, match=r"AddIntent.*undeclared slot \{thing\}"):
        load_interaction_model(path)


def test_slot_of_an_undefined_custom_type_is_rejected(tmp_path: Path) -> None:
    intents = [{"name": "AddIntent", "slots": [{"name": "thing", "type": "THING"}],
                "samples": ["add {thing}"]}]
    path = _write(tmp_path, "en-US.json", _model(intents))
    with pytest.raises(InteractionModelError, match=r"THING.*not defined"):
        load_interaction_model(path)


def test_wrongly_shaped_model_names_the_offending_part(tmp_path: Path) -> None:
    path = _write(tmp_path, "en-US.json", {"interactionModel": {"languageModel": {
        "invocationName": "x", "intents": {"name": "A"}}}})
    with pytest.raises(InteractionModelError, match="intents must be a list"):
        load_interaction_model(path)


def test_duplicate_intents_are_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "en-US.json", _model([{"name": "A"}, {"name": "A"}]))
    with pytest.raises(InteractionModelError, match="'A' is defined twice"):
        load_interaction_model(path)
