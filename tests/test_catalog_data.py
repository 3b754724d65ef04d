"""The demo catalog file and the loader's validation messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from backend.catalog_data import (
    DEFAULT_CATALOG_PATH,
    CatalogFileError,
    CatalogSpec,
    ProductSpec,
    VariantSpec,
    load_catalog,
)


def _variant(code: str = "each", price: Any = 199) -> dict[str, Any]:
    return {"code": code, "name": code.replace("-", " "), "price_minor": price, "available": True}


def _product(sku: str, name: str, aliases: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    product: dict[str, Any] = {
        "sku": sku,
        "name": name,
        "category": "grocery",
        "aliases": aliases or [],
        "available": True,
        "unavailable_reason": None,
        "variants": [_variant()],
    }
    product.update(extra)
    return product


def _write(tmp_path: Path, products: list[dict[str, Any]], currency: Any = "USD") -> Path:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps({"currency": currency, "products": products}), encoding="utf-8")
    return path


def _problems(path: Path) -> str:
    with pytest.raises(CatalogFileError) as caught:
        load_catalog(path)
    return str(caught.value)


# --- the shipped demo catalog -------------------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> CatalogSpec:
    return load_catalog()


def test_default_catalog_path_is_the_packaged_json_file() -> None:
    expected = Path(__file__).parents[1] / "backend" / "data" / "catalog.json"
    assert expected == DEFAULT_CATALOG_PATH
    assert DEFAULT_CATALOG_PATH.is_file()


def test_demo_catalog_is_priced_in_us_dollars(demo: CatalogSpec) -> None:
    assert demo.currency == "USD"


def test_demo_catalog_has_at_least_sixty_products(demo: CatalogSpec) -> None:
    assert len(demo.products) >= 60


def test_demo_catalog_has_both_a_coffee_bar_and_groceries(demo: CatalogSpec) -> None:
    categories = {p.category for p in demo.products}
    assert {"coffee", "grocery"} <= categories


def test_coffee_drinks_come_in_three_sizes_cheapest_first(demo: CatalogSpec) -> None:
    latte = demo.product("COF-LATTE")
    assert [v.code for v in latte.variants] == ["small", "medium", "large"]
    assert [v.price_minor for v in latte.variants] == [395, 445, 495]
    assert latte.default_variant == VariantSpec("small", "small", 395)


def test_eggs_are_sold_by_the_dozen_or_half_dozen(demo: CatalogSpec) -> None:
    assert {v.code for v in demo.product("GRO-EGGS").variants} == {"dozen", "half-dozen"}


def test_oat_milk_answers_to_oatly(demo: CatalogSpec) -> None:
    oat_milk = demo.product("GRO-OATMILK")
    assert oat_milk.name == "oat milk"
    assert "oatly" in oat_milk.aliases


def test_two_or_three_demo_products_are_unavailable_with_a_reason(demo: CatalogSpec) -> None:
    unavailable = [p for p in demo.products if not p.available]
    assert 2 <= len(unavailable) <= 3
    assert all(p.unavailable_reason for p in unavailable)


def test_every_spoken_form_in_the_demo_catalog_names_one_product(demo: CatalogSpec) -> None:
    owners: dict[str, set[str]] = {}
    for product in demo.products:
        for form in (product.name, *product.aliases):
            owners.setdefault(form.casefold(), set()).add(product.sku)
    assert {form: skus for form, skus in owners.items() if len(skus) > 1} == {}


def test_unknown_sku_raises_key_error(demo: CatalogSpec) -> None:
    with pytest.raises(KeyError):
        demo.product("NOPE-NOTHING")


def test_specs_are_immutable(demo: CatalogSpec) -> None:
    with pytest.raises(AttributeError):
        demo.products[0].name = "renamed"  # type: ignore[misc]


# --- loading a valid file -----------------------------------------------------------------


def test_a_minimal_catalog_loads_into_specs(tmp_path: Path) -> None:
    path = _write(tmp_path, [_product("GRO-OATMILK", "oat milk", ["oatly"])])
    assert load_catalog(path) == CatalogSpec(
        currency="USD",
        products=(
            ProductSpec(
                sku="GRO-OATMILK",
                name="oat milk",
                category="grocery",
                aliases=("oatly",),
                variants=(VariantSpec("each", "each", 199),),
            ),
        ),
    )


def test_first_variant_is_the_default(tmp_path: Path) -> None:
    variants = [_variant("dozen", 499), _variant("half-dozen", 299)]
    eggs = _product("GRO-EGGS", "eggs", variants=variants)
    catalog = load_catalog(_write(tmp_path, [eggs]))
    assert catalog.product("GRO-EGGS").default_variant.code == "dozen"


# --- every validation error names the file, the product and the problem --------------------


def test_error_message_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, [_product("GRO-A", "a"), _product("GRO-A", "b")])
    assert str(path) in _problems(path)


def test_duplicate_sku_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, [_product("GRO-A", "apples"), _product("GRO-A", "avocados")])
    assert "product GRO-A: duplicate SKU" in _problems(path)


def test_alias_shared_by_two_products_is_rejected(tmp_path: Path) -> None:
    oat = _product("GRO-OATMILK", "oat milk", ["milk"])
    whole = _product("GRO-WHOLEMILK", "whole milk", ["milk"])
    path = _write(tmp_path, [oat, whole])
    expected = "alias 'milk' is ambiguous: it is also a name or alias of GRO-OATMILK"
    assert f"product GRO-WHOLEMILK: {expected}" in _problems(path)


def test_alias_equal_to_another_products_name_is_rejected(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [_product("COF-DRIP", "coffee"), _product("GRO-BEANS", "coffee beans", ["Coffee"])],
    )
    assert "alias 'Coffee' is ambiguous: it is also a name or alias of COF-DRIP" in _problems(path)


@pytest.mark.parametrize("price", [0, -5, 3.95, "395", True, None])
def test_price_that_is_not_a_positive_integer_is_rejected(tmp_path: Path, price: Any) -> None:
    path = _write(tmp_path, [_product("COF-LATTE", "latte", variants=[_variant("small", price)])])
    assert (
        f"product COF-LATTE, variant 'small': price_minor {price!r} must be a positive whole number"
        in _problems(path)
    )


def test_product_without_variants_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, [_product("GRO-HONEY", "honey", variants=[])])
    assert "product GRO-HONEY: has no variants" in _problems(path)


def test_duplicate_variant_code_is_rejected(tmp_path: Path) -> None:
    path = _write(
        tmp_path, [_product("COF-LATTE", "latte", variants=[_variant("small"), _variant("small")])]
    )
    assert "product COF-LATTE: variant code 'small' is used twice" in _problems(path)


@pytest.mark.parametrize("currency", ["usd", "US", "DOLLARS", None, 840])
def test_currency_that_is_not_an_iso_code_is_rejected(tmp_path: Path, currency: Any) -> None:
    path = _write(tmp_path, [_product("GRO-A", "apples")], currency=currency)
    assert f"currency {currency!r} is not an ISO 4217 code" in _problems(path)


def test_badly_formed_sku_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, [_product("gro_oatmilk", "oat milk")])
    assert "sku 'gro_oatmilk' must be capital letters, digits and dashes" in _problems(path)


def test_badly_formed_variant_code_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, [_product("GRO-EGGS", "eggs", variants=[_variant("Half Dozen")])])
    assert "code 'Half Dozen' must be lowercase words joined by dashes" in _problems(path)


def test_misspelt_field_is_reported_as_unknown(tmp_path: Path) -> None:
    variant = {"code": "each", "name": "each", "price": 199}
    path = _write(tmp_path, [_product("GRO-HONEY", "honey", variants=[variant])])
    message = _problems(path)
    assert "product GRO-HONEY, variant 'each': unknown field 'price'" in message
    assert "price_minor None must be a positive whole number" in message


def test_product_without_sku_is_named_by_its_position(tmp_path: Path) -> None:
    nameless = _product("GRO-A", "apples")
    del nameless["sku"]
    path = _write(tmp_path, [_product("GRO-B", "bananas"), nameless])
    assert "product #2: sku None must be capital letters" in _problems(path)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [_product("GRO-A", "apples", variants=[]), _product("GRO-A", "avocados")],
        currency="usd",
    )
    with pytest.raises(CatalogFileError) as caught:
        load_catalog(path)
    assert len(caught.value.problems) == 3


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text('{"currency": "USD",\n "products": [,]}', encoding="utf-8")
    assert "not valid JSON" in _problems(path) and "line 2" in _problems(path)


def test_missing_file_is_a_catalog_file_error(tmp_path: Path) -> None:
    assert "cannot read it" in _problems(tmp_path / "absent.json")


def test_catalog_file_error_is_a_value_error() -> None:
    assert issubclass(CatalogFileError, ValueError)
