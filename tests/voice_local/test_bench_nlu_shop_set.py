"""The NLU benchmark's shop phrasings (bench/nlu_accuracy.py --set shop, heldout and heldout2):
customer wording, each with canonical slot values, and non-requests that must fall back. The
shop set was used to tune the model after it was written; the held-out set never was, so it is
the honest measure of unseen wording (it was written without looking at the model, so a
phrasing may happen to be a sample too)."""

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from backend.catalog_data import load_catalog
from tests.support.bench_scripts import load_bench
from voice_local.nlu.interaction_model import InteractionModel

_PRODUCT_SLOTS = {"product", "secondProduct", "thirdProduct"}
_UNIT_SLOTS = {"unit", "secondUnit", "thirdUnit"}
_NUMBER_SLOTS = {"quantity", "secondQuantity", "thirdQuantity", "code", "orderNumber"}


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_bench("nlu_accuracy")


@pytest.fixture(scope="module", params=["shop", "heldout", "heldout2"])
def shop_set(bench: ModuleType, request: pytest.FixtureRequest) -> object:
    return bench.load_phrasing_set(bench.PHRASING_SETS[request.param])


def _slot_values(shop_set: object, names: set[str]) -> Iterator[tuple[str, str]]:
    for phrasing in shop_set.phrasings:  # type: ignore[attr-defined]
        for name, value in phrasing.slots.items():
            if name in names:
                yield phrasing.text, value


def test_shop_set_holds_sixty_requests_and_ten_non_requests(
    bench: ModuleType, shop_set: object
) -> None:
    intents = [p.intent for p in shop_set.phrasings]  # type: ignore[attr-defined]
    assert len(intents) - intents.count(bench.FALLBACK) >= 60
    assert intents.count(bench.FALLBACK) >= 10


def test_shop_slot_values_are_canonical(
    shop_set: object, english_interaction_model: InteractionModel
) -> None:
    catalog = load_catalog()
    products = {product.name for product in catalog.products}
    categories = {product.category for product in catalog.products}
    units = {value.name for slot_type in english_interaction_model.types
             if slot_type.name == "UNIT" for value in slot_type.values}
    assert {v for _, v in _slot_values(shop_set, _PRODUCT_SLOTS)} <= products
    assert {v for _, v in _slot_values(shop_set, _UNIT_SLOTS)} <= units
    assert {v for _, v in _slot_values(shop_set, {"category"})} <= categories
    assert {v for _, v in _slot_values(shop_set, {"which"})} <= {"last", "usual"}
    assert all(v.isdigit() for _, v in _slot_values(shop_set, _NUMBER_SLOTS))


def test_a_phrasing_expecting_an_unknown_intent_is_refused(
    bench: ModuleType, tmp_path: Path
) -> None:
    path = tmp_path / "set.json"
    path.write_text('{"locale": "en-US", "phrasings": [{"text": "gimme a latte", '
                    '"intent": "GimmeIntent"}]}', encoding="utf-8")
    with pytest.raises(bench.PhrasingSetError, match="unknown intent"):
        bench.load_phrasing_set(path)


def test_bench_reports_the_shop_set_per_intent_and_the_non_requests(
    bench: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    shop_set = bench.load_phrasing_set(bench.PHRASING_SETS["shop"])
    bench.main(["--set", "shop"])
    rows = {line.split()[0]: line.split()[1] for line in capsys.readouterr().out.splitlines()
            if line.strip() and not line.startswith((" ", "\n"))}
    intents = [p.intent for p in shop_set.phrasings]  # type: ignore[attr-defined]
    assert rows["AddToCartIntent"] == str(intents.count("AddToCartIntent"))
    assert rows["requests"] == str(len(intents) - intents.count(bench.FALLBACK))
    assert "non-requests:" in rows
