"""The held-out dialog scripts (bench/dialogs-heldout/, run by bench/dialog_tasks.py --corpus):
a measurement kept out of the test suite, so only their data is checked here, never the skill's
answers. Their expected carts name real products and sizes, and their totals are the catalog's
prices, so a price change in the catalog shows up here instead of as a false task failure."""

from pathlib import Path

import pytest

from backend.catalog_data import CatalogSpec, load_catalog
from voice_local.simulator.replay import ReplayScript, load_replay
from voice_local.simulator.store_state import ExpectedLine

HELDOUT = Path(__file__).resolve().parents[2] / "bench" / "dialogs-heldout"
SCRIPTS = sorted(HELDOUT.glob("*/*.json"))


@pytest.fixture(scope="module")
def catalog() -> CatalogSpec:
    return load_catalog()


def _price(catalog: CatalogSpec, line: ExpectedLine) -> int:
    product = next(p for p in catalog.products if p.name == line.product)
    if line.variant is None:
        assert len(product.variants) == 1, f"{line.product} has several sizes: name one"
        return product.variants[0].price_minor * line.quantity
    variant = next(v for v in product.variants if v.name == line.variant)
    return variant.price_minor * line.quantity


def _lines(script: ReplayScript) -> list[ExpectedLine]:
    return [line for e in script.expected if e is not None
            for line in (*(e.cart or ()), *(e.order or ()))]


def test_there_are_forty_five_scripts_in_behaviour_folders() -> None:
    assert len(SCRIPTS) >= 45
    assert all(path.parent.parent == HELDOUT for path in SCRIPTS)


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_script_is_judged_on_the_store_at_its_last_turn(path: Path) -> None:
    script = load_replay(path)
    last = script.expected[-1]
    assert last is not None and last.checks_store


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_expected_lines_name_catalog_products_and_sizes(path: Path, catalog: CatalogSpec) -> None:
    sizes = {p.name: {v.name for v in p.variants} for p in catalog.products}
    for line in _lines(load_replay(path)):
        assert line.product in sizes, line
        assert line.variant is None or line.variant in sizes[line.product], line


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_expected_totals_are_the_catalog_prices(path: Path, catalog: CatalogSpec) -> None:
    for expectation in load_replay(path).expected:
        if expectation is not None and expectation.total is not None:
            assert expectation.cart is not None
            assert expectation.total == sum(_price(catalog, line) for line in expectation.cart)
