import pytest

from backend.errors import ProductNotFound
from backend.services.catalog import resolve_product


def resolve(shop, spoken):
    with shop.uow() as uow:
        return resolve_product(uow, spoken)


def test_an_alias_resolves_exactly(shop):
    result = resolve(shop, "oatly")
    assert (result.best.sku, result.best.method, result.is_confident) == (
        "GRO-OATMILK",
        "exact",
        True,
    )


def test_a_plural_resolves_to_the_product(shop):
    assert resolve(shop, "oat milks").best.sku == "GRO-OATMILK"
    assert resolve(shop, "lattes").best.sku == "COF-LATTE"


def test_a_misheard_name_resolves_fuzzily_with_a_score(shop):
    result = resolve(shop, "paper towls")
    assert result.best.sku == "HOU-PAPERTOWELS"
    assert result.best.method == "fuzzy"
    assert 75 <= result.best.score < 100


def test_an_unclear_name_is_not_confident_and_offers_alternatives(shop):
    result = resolve(shop, "oak milk")
    assert not result.is_confident
    assert result.best.sku == "GRO-OATMILK"
    assert result.alternatives[0].sku == "GRO-SOYMILK"


def test_an_unknown_product_is_not_found_and_suggests_nothing_unrelated(shop):
    with pytest.raises(ProductNotFound) as raised:
        resolve(shop, "motor oil")
    assert "motor oil" in raised.value.message


def test_not_found_carries_the_closest_suggestions(shop):
    with pytest.raises(ProductNotFound) as raised:
        resolve(shop, "chocolate milk shake")
    assert raised.value.suggestions
    assert len(raised.value.suggestions) <= 3
