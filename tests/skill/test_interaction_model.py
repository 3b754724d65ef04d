"""The committed en-US interaction model, its build from the catalog, and the model linter."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from backend.catalog_data import CatalogSpec, ProductSpec, VariantSpec, load_catalog
from skill.interaction_model.build import (
    DEFAULT_MODEL_PATH,
    build_model,
    package_model_path,
    pluralize,
    read_model,
    render_model,
    write_model,
)
from skill.interaction_model.check import check_model
from skill.interaction_model.cli import model as model_cli

REPO = Path(__file__).resolve().parents[2]
MODEL_PATH = REPO / "interaction_models" / "en-US.json"
PACKAGE_DIR = REPO / "skill-package"


@pytest.fixture(scope="module")
def catalog() -> CatalogSpec:
    return load_catalog()


@pytest.fixture(scope="module")
def committed() -> dict[str, Any]:
    return read_model(MODEL_PATH)


def _intents(model: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["name"]: i for i in model["interactionModel"]["languageModel"]["intents"]}


def _type_values(model: dict[str, Any], name: str) -> dict[str, dict[str, Any]]:
    types = model["interactionModel"]["languageModel"]["types"]
    (slot_type,) = [t for t in types if t["name"] == name]
    return {v["id"]: v["name"] for v in slot_type["values"]}


def _product(sku: str, name: str, *aliases: str) -> ProductSpec:
    return ProductSpec(sku, name, "grocery", aliases, (VariantSpec("each", "each", 100),))


# --- the committed model --------------------------------------------------------------------


def test_committed_model_is_exactly_what_the_build_produces(catalog: CatalogSpec) -> None:
    built = render_model(build_model(read_model(MODEL_PATH), catalog))
    assert MODEL_PATH.read_text(encoding="utf-8") == built, "run `vcom model build`"


def test_skill_package_holds_an_identical_copy_of_the_model() -> None:
    copy_path = PACKAGE_DIR / "interactionModels" / "custom" / "en-US.json"
    assert copy_path.read_bytes() == MODEL_PATH.read_bytes(), "run `vcom model build`"


def test_committed_model_has_no_problems(committed: dict[str, Any]) -> None:
    assert check_model(committed) == []


def test_every_sample_uses_only_declared_slots(committed: dict[str, Any]) -> None:
    undeclared = [
        (name, sample)
        for name, intent in _intents(committed).items()
        for sample in intent.get("samples", [])
        for slot in re.findall(r"\{(\w+)\}", sample)
        if slot not in {s["name"] for s in intent.get("slots", [])}
    ]
    assert undeclared == []


# The skill handlers and the kiosk matcher are written against these names.
@pytest.mark.parametrize(
    ("intent", "slots"),
    [
        (
            "AddToCartIntent",
            {
                "product": "PRODUCT", "quantity": "AMAZON.NUMBER", "unit": "UNIT",
                "secondProduct": "PRODUCT", "secondQuantity": "AMAZON.NUMBER",
                "secondUnit": "UNIT",
                "thirdProduct": "PRODUCT", "thirdQuantity": "AMAZON.NUMBER", "thirdUnit": "UNIT",
            },
        ),
        (
            "RemoveFromCartIntent",
            {"product": "PRODUCT", "quantity": "AMAZON.NUMBER", "unit": "UNIT", "amount": "AMOUNT"},
        ),
        ("AnswerIntent", {"product": "PRODUCT", "quantity": "AMAZON.NUMBER", "unit": "UNIT"}),
        ("SetQuantityIntent", {"product": "PRODUCT", "quantity": "AMAZON.NUMBER", "unit": "UNIT"}),
        ("ClearCartIntent", {}),
        ("FinishedIntent", {}),
        ("LastOrderIntent", {}),
        ("OneMoreIntent", {}),
        ("PriceIntent", {"product": "PRODUCT", "unit": "UNIT"}),
        ("AvailabilityIntent", {"product": "PRODUCT"}),
        ("CategoryIntent", {"category": "CATEGORY"}),
        ("ProductOptionsIntent", {"product": "PRODUCT"}),
        ("RecommendIntent", {"product": "PRODUCT"}),
        ("ReadCartIntent", {}),
        ("CheckoutIntent", {}),
        ("ReorderIntent", {"which": "REORDER_WHICH", "product": "PRODUCT"}),
        ("OrderStatusIntent", {"orderLetter": "ORDER_LETTER", "orderNumber": "AMAZON.NUMBER"}),
        ("CancelOrderIntent", {"orderLetter": "ORDER_LETTER", "orderNumber": "AMAZON.NUMBER"}),
        ("VoiceCodeIntent", {"code": "AMAZON.FOUR_DIGIT_NUMBER"}),
    ],
)
def test_custom_intent_has_the_agreed_slots(
    committed: dict[str, Any], intent: str, slots: dict[str, str]
) -> None:
    declared = {s["name"]: s["type"] for s in _intents(committed)[intent].get("slots", [])}
    assert declared == slots


def test_model_has_the_built_in_intents_the_skill_handles(committed: dict[str, Any]) -> None:
    built_ins = {n for n in _intents(committed) if n.startswith("AMAZON.")}
    assert built_ins == {
        "AMAZON.HelpIntent",
        "AMAZON.StopIntent",
        "AMAZON.CancelIntent",
        "AMAZON.FallbackIntent",
        "AMAZON.YesIntent",
        "AMAZON.NoIntent",
        "AMAZON.NavigateHomeIntent",
    }


def test_checkout_asks_for_confirmation_and_leaves_the_dialog_to_the_skill(
    committed: dict[str, Any],
) -> None:
    dialog = {i["name"]: i for i in committed["interactionModel"]["dialog"]["intents"]}
    checkout = dialog["CheckoutIntent"]
    assert checkout["confirmationRequired"] is True
    assert checkout["delegationStrategy"] == "SKILL_RESPONSE"
    prompts = {p["id"]: p for p in committed["interactionModel"]["prompts"]}
    variations = prompts[checkout["prompts"]["confirmation"]]["variations"]
    assert "Shall I place the order?" in [v["value"] for v in variations]


def test_reorder_which_resolves_last_and_usual(committed: dict[str, Any]) -> None:
    values = _type_values(committed, "REORDER_WHICH")
    assert set(values) == {"LAST", "USUAL"}
    assert {"previous", "last time", "same as last time"} <= set(values["LAST"]["synonyms"])
    assert {"regular", "the usual"} <= set(values["USUAL"]["synonyms"])


def test_order_letters_cover_the_alphabet_with_spelling_words(committed: dict[str, Any]) -> None:
    values = _type_values(committed, "ORDER_LETTER")
    assert sorted(values) == [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    assert "alpha" in values["A"]["synonyms"]


def test_product_values_are_the_catalog_skus(
    committed: dict[str, Any], catalog: CatalogSpec
) -> None:
    assert set(_type_values(committed, "PRODUCT")) == {p.sku for p in catalog.products}


def test_oat_milk_resolves_from_its_alias_and_its_plural(committed: dict[str, Any]) -> None:
    oat_milk = _type_values(committed, "PRODUCT")["GRO-OATMILK"]
    assert oat_milk["value"] == "oat milk"
    assert {"oatly", "oat milks"} <= set(oat_milk["synonyms"])


def test_every_variant_code_is_a_unit_value(
    committed: dict[str, Any], catalog: CatalogSpec
) -> None:
    codes = {v.code for p in catalog.products for v in p.variants}
    assert set(_type_values(committed, "UNIT")) == codes


def test_big_means_large(committed: dict[str, Any]) -> None:
    assert "big" in _type_values(committed, "UNIT")["large"]["synonyms"]


# --- build ----------------------------------------------------------------------------------


def test_build_does_not_depend_on_catalog_order(
    committed: dict[str, Any], catalog: CatalogSpec
) -> None:
    shuffled = replace(catalog, products=tuple(reversed(catalog.products)))
    assert build_model(committed, shuffled) == build_model(committed, catalog)


def test_build_changes_nothing_but_product_and_unit_values(
    committed: dict[str, Any], catalog: CatalogSpec
) -> None:
    small = CatalogSpec("USD", (_product("GRO-HONEY", "honey"),))
    rebuilt = build_model(committed, small)

    def without_generated(model: dict[str, Any]) -> dict[str, Any]:
        stripped = copy.deepcopy(model)
        for slot_type in stripped["interactionModel"]["languageModel"]["types"]:
            if slot_type["name"] in {"PRODUCT", "UNIT"}:
                slot_type["values"] = []
        return stripped

    assert without_generated(rebuilt) == without_generated(committed)
    assert list(_type_values(rebuilt, "PRODUCT")) == ["GRO-HONEY"]


def test_build_leaves_its_input_untouched(committed: dict[str, Any]) -> None:
    before = copy.deepcopy(committed)
    build_model(committed, CatalogSpec("USD", (_product("GRO-HONEY", "honey"),)))
    assert committed == before


def test_plural_naming_another_product_is_left_out() -> None:
    catalog = CatalogSpec("USD", (_product("BAK-COOKIE", "cookie"), _product("BAK-TIN", "cookies")))
    model = build_model(_minimal_model(), catalog)
    assert "cookies" not in _type_values(model, "PRODUCT")["BAK-COOKIE"].get("synonyms", [])


def test_plural_shared_by_two_products_is_given_to_neither() -> None:
    # Two different singulars, one plural: "tomato" (irregular) and "tomatoe" (+s).
    catalog = CatalogSpec("USD", (_product("GRO-A", "tomato"), _product("GRO-B", "tomatoe")))
    values = _type_values(build_model(_minimal_model(), catalog), "PRODUCT")
    assert "synonyms" not in values["GRO-A"]
    assert "synonyms" not in values["GRO-B"]


@pytest.mark.parametrize(
    ("phrase", "plural"),
    [
        ("oat milk", "oat milks"),
        ("latte", "lattes"),
        ("strawberry", "strawberries"),
        ("peach", "peaches"),
        ("tomato", "tomatoes"),
        ("loaf of bread", "loaves of bread"),
        ("shot of espresso", "shots of espresso"),
        ("paper towels", None),
        ("oatly", None),
        ("double a", None),
    ],
)
def test_pluralize(phrase: str, plural: str | None) -> None:
    assert pluralize(phrase) == plural


def test_unit_named_differently_by_two_products_keeps_both_names() -> None:
    a = ProductSpec("GRO-A", "a", "grocery", (), (VariantSpec("each", "each", 1),))
    b = ProductSpec("GRO-B", "b", "grocery", (), (VariantSpec("each", "one item", 1),))
    c = ProductSpec("GRO-C", "c", "grocery", (), (VariantSpec("each", "each", 1),))
    unit = _type_values(build_model(_minimal_model(), CatalogSpec("USD", (a, b, c))), "UNIT")
    assert unit["each"]["value"] == "each"
    assert "one item" in unit["each"]["synonyms"]


def test_write_model_rewrites_only_when_the_content_changes(
    tmp_path: Path, catalog: CatalogSpec
) -> None:
    path = tmp_path / "en-US.json"
    path.write_text(json.dumps(_minimal_model()), encoding="utf-8")
    assert write_model(path, catalog) is True
    written = path.read_text(encoding="utf-8")
    assert write_model(path, catalog) is False
    assert path.read_text(encoding="utf-8") == written


def test_written_model_is_indented_utf8_json_with_a_final_newline(tmp_path: Path) -> None:
    path = tmp_path / "en-US.json"
    path.write_text(json.dumps(_minimal_model()), encoding="utf-8")
    catalog = CatalogSpec("USD", (_product("COF-LATTE", "latte", "café latte"),))
    write_model(path, catalog)
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert '\n  "interactionModel": {' in text
    assert "café lattes" in text


def test_write_model_writes_the_same_content_to_its_mirrors(
    tmp_path: Path, catalog: CatalogSpec
) -> None:
    path = tmp_path / "en-US.json"
    path.write_text(json.dumps(_minimal_model()), encoding="utf-8")
    mirror = package_model_path(path, tmp_path / "skill-package")
    assert write_model(path, catalog, mirrors=[mirror]) is True
    assert mirror == tmp_path / "skill-package" / "interactionModels" / "custom" / "en-US.json"
    assert mirror.read_bytes() == path.read_bytes()


def test_default_model_path_is_the_committed_file() -> None:
    assert MODEL_PATH == DEFAULT_MODEL_PATH


# --- check_model on small broken models -----------------------------------------------------


def _samples(n: int, stem: str = "say thing") -> list[str]:
    words = [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
    ]
    return [f"{stem} number {w}" for w in words[:n]]


def _minimal_model() -> dict[str, Any]:
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": "corner shop",
                "intents": [
                    {"name": "AMAZON.StopIntent", "samples": []},
                    {
                        "name": "AddToCartIntent",
                        "slots": [
                            {"name": "product", "type": "PRODUCT"},
                            {"name": "unit", "type": "UNIT"},
                            {"name": "quantity", "type": "AMAZON.NUMBER"},
                        ],
                        "samples": ["add {quantity} {unit} {product}", *_samples(14, "add")],
                    },
                    {"name": "CheckoutIntent", "samples": _samples(15, "check out")},
                ],
                "types": [
                    {"name": "PRODUCT", "values": [{"id": "X", "name": {"value": "x"}}]},
                    {"name": "UNIT", "values": [{"id": "each", "name": {"value": "each"}}]},
                ],
            },
            "dialog": {
                "intents": [
                    {
                        "name": "CheckoutIntent",
                        "delegationStrategy": "SKILL_RESPONSE",
                        "confirmationRequired": True,
                        "prompts": {"confirmation": "Confirm.Intent.Checkout"},
                        "slots": [],
                    }
                ],
                "delegationStrategy": "SKILL_RESPONSE",
            },
            "prompts": [
                {
                    "id": "Confirm.Intent.Checkout",
                    "variations": [{"type": "PlainText", "value": "Shall I place the order?"}],
                }
            ],
        }
    }


def _broken(change: Callable[[dict[str, Any]], None]) -> list[str]:
    model = _minimal_model()
    change(model)
    return check_model(model)


def _lm(model: dict[str, Any]) -> dict[str, Any]:
    return model["interactionModel"]["languageModel"]


def _intent(model: dict[str, Any], name: str) -> dict[str, Any]:
    return next(i for i in _lm(model)["intents"] if i["name"] == name)


def _one_problem(problems: list[str], *fragments: str) -> None:
    assert len(problems) == 1, problems
    for fragment in fragments:
        assert fragment in problems[0]


def test_minimal_model_is_fine() -> None:
    assert check_model(_minimal_model()) == []


def test_undefined_slot_type_is_reported() -> None:
    def change(m: dict[str, Any]) -> None:
        _intent(m, "AddToCartIntent")["slots"][1]["type"] = "UNITS"
        _lm(m)["types"].pop()

    _one_problem(_broken(change), "slot unit uses undefined slot type UNITS")


def test_slot_in_sample_that_the_intent_does_not_declare_is_reported() -> None:
    def change(m: dict[str, Any]) -> None:
        _intent(m, "AddToCartIntent")["samples"].append("add {product} for {person}")

    _one_problem(_broken(change), "AddToCartIntent", "undeclared slot {person}")


def test_sample_used_by_two_intents_is_reported() -> None:
    def change(m: dict[str, Any]) -> None:
        _intent(m, "CheckoutIntent")["samples"].append("Add  number one")

    _one_problem(_broken(change), "belongs to both AddToCartIntent and CheckoutIntent")


def test_sample_listed_twice_in_one_intent_is_reported() -> None:
    def change(m: dict[str, Any]) -> None:
        _intent(m, "CheckoutIntent")["samples"].append("check out number one")

    _one_problem(_broken(change), "CheckoutIntent: sample 'check out number one' is listed twice")


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("Corner Shop", "must be two or more lowercase words"),
        ("cornershop", "must be two or more lowercase words"),
        ("shop 24", "must be two or more lowercase words"),
        ("alexa corner shop", "uses reserved words: alexa"),
        ("the shop", "a two-word name cannot contain"),
        ("corner  shop", "must be two or more lowercase words"),
    ],
)
def test_invocation_name_breaking_the_rules_is_reported(name: str, fragment: str) -> None:
    def change(m: dict[str, Any]) -> None:
        _lm(m)["invocationName"] = name

    _one_problem(_broken(change), fragment)


def test_invocation_name_in_a_script_without_capitals_is_accepted() -> None:
    model = _minimal_model()
    _lm(model)["invocationName"] = "보이스 장보기"
    assert check_model(model) == []


def test_custom_intent_with_too_few_samples_is_reported() -> None:
    def change(m: dict[str, Any]) -> None:
        del _intent(m, "CheckoutIntent")["samples"][5:]

    _one_problem(_broken(change), "CheckoutIntent has 5 samples", "at least 15")


def test_built_in_intent_needs_no_samples() -> None:
    assert _intent(_minimal_model(), "AMAZON.StopIntent")["samples"] == []
    assert check_model(_minimal_model()) == []


def test_dialog_for_an_unknown_intent_is_reported() -> None:
    def change(m: dict[str, Any]) -> None:
        m["interactionModel"]["dialog"]["intents"][0]["name"] = "PayIntent"

    _one_problem(_broken(change), "dialog intent PayIntent is not an intent of the language model")


def test_dialog_slot_the_intent_does_not_declare_is_reported() -> None:
    def change(m: dict[str, Any]) -> None:
        m["interactionModel"]["dialog"]["intents"][0]["slots"] = [
            {"name": "tip", "type": "AMAZON.NUMBER"}
        ]

    _one_problem(_broken(change), "dialog intent CheckoutIntent: slot tip is not declared")


def test_reference_to_a_missing_prompt_is_reported() -> None:
    def change(m: dict[str, Any]) -> None:
        m["interactionModel"]["prompts"][0]["id"] = "Confirm.Intent.Other"

    _one_problem(_broken(change), "prompt 'Confirm.Intent.Checkout' is referenced but not defined")


def test_required_confirmation_without_a_prompt_is_reported() -> None:
    def change(m: dict[str, Any]) -> None:
        del m["interactionModel"]["dialog"]["intents"][0]["prompts"]

    _one_problem(_broken(change), "confirmationRequired is true but there is no confirmation")


def test_unknown_delegation_strategy_is_reported() -> None:
    def change(m: dict[str, Any]) -> None:
        m["interactionModel"]["dialog"]["delegationStrategy"] = "AUTO"

    _one_problem(_broken(change), "delegationStrategy 'AUTO' must be ALWAYS or SKILL_RESPONSE")


def test_overlong_sample_is_reported() -> None:
    def change(m: dict[str, Any]) -> None:
        _intent(m, "CheckoutIntent")["samples"].append(" ".join(["please"] * 40))

    _one_problem(_broken(change), "is longer than 200 characters or 20 words")


def test_sample_with_digits_is_reported() -> None:
    def change(m: dict[str, Any]) -> None:
        _intent(m, "AddToCartIntent")["samples"].append("add 2 {product}")

    _one_problem(_broken(change), "has digits; spell numbers out")


def test_sample_with_punctuation_alexa_rejects_is_reported() -> None:
    def change(m: dict[str, Any]) -> None:
        _intent(m, "CheckoutIntent")["samples"].append("can i check out now?")

    _one_problem(_broken(change), "contains characters Alexa rejects: ?")


def test_sample_with_an_unmatched_brace_is_reported() -> None:
    def change(m: dict[str, Any]) -> None:
        _intent(m, "AddToCartIntent")["samples"].append("add {product please")

    _one_problem(_broken(change), "has an unmatched brace")


def test_spoken_form_resolving_to_two_values_is_reported() -> None:
    def change(m: dict[str, Any]) -> None:
        _lm(m)["types"][0]["values"].append({"id": "Y", "name": {"value": "y", "synonyms": ["X"]}})

    _one_problem(_broken(change), "slot type PRODUCT: 'X' resolves to both 'X' and 'Y'")


def test_custom_slot_type_no_slot_uses_is_reported() -> None:
    def change(m: dict[str, Any]) -> None:
        _lm(m)["types"].append({"name": "SIZE", "values": [{"id": "S", "name": {"value": "s"}}]})

    _one_problem(_broken(change), "slot type SIZE is not used by any intent slot")


def test_intent_defined_twice_is_reported() -> None:
    def change(m: dict[str, Any]) -> None:
        _lm(m)["intents"].append({"name": "AMAZON.StopIntent", "samples": []})

    _one_problem(_broken(change), "intent AMAZON.StopIntent is defined twice")


def test_slot_type_defined_twice_is_reported() -> None:
    def change(m: dict[str, Any]) -> None:
        _lm(m)["types"].append({"name": "UNIT", "values": [{"id": "kg", "name": {"value": "kg"}}]})

    _one_problem(_broken(change), "slot type UNIT is defined twice")


def test_prompt_without_an_id_is_reported() -> None:
    def change(m: dict[str, Any]) -> None:
        m["interactionModel"]["prompts"].append({"variations": []})

    _one_problem(_broken(change), "prompt #2 has no id")


def test_malformed_document_is_reported_not_raised() -> None:
    assert check_model({"interactionModel": {}}) == [
        "the model has no interactionModel.languageModel object"
    ]
    problems = check_model({"interactionModel": {"languageModel": {"intents": "many"}}})
    assert "invocationName is missing" in problems
    assert "languageModel.intents must be a non-empty list" in problems


# --- the click commands ---------------------------------------------------------------------


def test_check_command_passes_the_committed_model() -> None:
    result = CliRunner().invoke(model_cli, ["check", str(MODEL_PATH)])
    assert result.exit_code == 0, result.output
    assert "ok" in result.output


def test_check_command_exits_1_listing_the_problems(tmp_path: Path) -> None:
    broken = _minimal_model()
    _lm(broken)["invocationName"] = "Shop"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    result = CliRunner().invoke(model_cli, ["check", str(path)])
    assert result.exit_code == 1
    assert f"{path}: invocationName 'Shop' must be two or more lowercase words" in result.output


def test_build_command_writes_the_model_and_its_package_copy(tmp_path: Path) -> None:
    path = tmp_path / "en-US.json"
    path.write_text(json.dumps(_minimal_model()), encoding="utf-8")
    package = tmp_path / "skill-package"
    args = ["build", "--model", str(path), "--package-dir", str(package)]
    result = CliRunner().invoke(model_cli, args)
    assert result.exit_code == 0, result.output
    assert "updated" in result.output
    package_copy = package / "interactionModels" / "custom" / "en-US.json"
    assert package_copy.read_bytes() == path.read_bytes()
    assert "GRO-OATMILK" in path.read_text(encoding="utf-8")


def test_build_check_only_fails_on_a_stale_model_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "en-US.json"
    path.write_text(json.dumps(_minimal_model()), encoding="utf-8")
    before = path.read_bytes()
    args = ["build", "--check-only", "--model", str(path), "--package-dir", str(tmp_path / "pkg")]
    result = CliRunner().invoke(model_cli, args)
    assert result.exit_code == 1
    assert "out of date" in result.output
    assert path.read_bytes() == before
    assert not (tmp_path / "pkg").exists()


def test_build_check_only_passes_on_the_committed_model() -> None:
    result = CliRunner().invoke(model_cli, ["build", "--check-only"])
    assert result.exit_code == 0, result.output


def test_build_command_reports_a_broken_catalog(tmp_path: Path) -> None:
    bad = tmp_path / "catalog.json"
    bad.write_text('{"currency": "usd", "products": []}', encoding="utf-8")
    result = CliRunner().invoke(model_cli, ["build", "--catalog", str(bad), "--check-only"])
    assert result.exit_code == 1
    assert "catalog file" in result.output and "currency 'usd'" in result.output


# --- the ASK CLI skill manifest -------------------------------------------------------------


def test_skill_manifest_invites_users_with_the_models_invocation_name(
    committed: dict[str, Any],
) -> None:
    manifest = json.loads((PACKAGE_DIR / "skill.json").read_text(encoding="utf-8"))["manifest"]
    en_us = manifest["publishingInformation"]["locales"]["en-US"]
    invocation = _lm(committed)["invocationName"]
    assert en_us["name"] == "Corner Shop"
    assert en_us["examplePhrases"][0] == f"Alexa, open {invocation}"
    assert all(invocation in phrase for phrase in en_us["examplePhrases"])


def test_skill_manifest_points_at_a_placeholder_https_endpoint() -> None:
    manifest = json.loads((PACKAGE_DIR / "skill.json").read_text(encoding="utf-8"))["manifest"]
    assert manifest["manifestVersion"] == "1.0"
    assert manifest["apis"]["custom"]["endpoint"] == {
        "uri": "https://YOUR-HOST/alexa",
        "sslCertificateType": "Wildcard",
    }
    assert manifest["permissions"] == []
