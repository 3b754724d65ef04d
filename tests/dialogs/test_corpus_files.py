"""The conversation corpus (tests/dialogs/corpus) is well formed: every script is a replay file,
names only what the catalog sells, and its expected carts, totals and orders add up.

These tests check the files, not the skill: replaying them against the skill is the corpus
runner's job. The keys "cart", "total", "orders" and "order" are checked here by hand, so the
files are validated whether or not the replay loader knows those keys yet.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from backend.catalog_data import CatalogSpec, load_catalog
from voice_local.simulator.replay import load_replay

CORPUS = Path(__file__).resolve().parent / "corpus"
BEHAVIOURS = (
    "add-simple", "add-sizes", "add-units", "add-multi", "remove", "set-quantity",
    "clear-cart", "did-you-mean", "quantity-question", "one-more", "finish", "checkout",
    "reorder", "questions", "abandon", "order-status", "cancel", "mixed",
)
REPLAY_KEYS = frozenset({"speech", "intent", "endsSession", "slots"})
STATE_KEYS = frozenset({"cart", "total", "orders", "order"})
HEADER = {
    "skillId": "amzn1.ask.skill.vcom-local", "locale": "en-US", "type": "text",
    "stage": "development",
}
MAX_QUANTITY = 99
# Quantities over 99 make the skill ask "how many?": only scripts about that question say them.
LARGE_QUANTITY_BEHAVIOURS = frozenset({"quantity-question", "abandon"})
_LARGE_NUMBER = re.compile(r"\b(\d{3,}|hundred|thousand)\b", re.IGNORECASE)
SCRIPTS = sorted(CORPUS.glob("*/*.json"))


@dataclass(frozen=True)
class Offer:
    """What one cart line may name: a product's variants and their prices in cents."""

    prices: Mapping[str, int]  # variant name -> price_minor
    sellable: frozenset[str]  # variants that can be in a cart (product and variant available)

    @property
    def single_variant(self) -> bool:
        return len(self.prices) == 1


@pytest.fixture(scope="module")
def offers() -> Mapping[str, Offer]:
    catalog: CatalogSpec = load_catalog()
    return {
        product.name: Offer(
            prices={variant.name: variant.price_minor for variant in product.variants},
            sellable=frozenset(
                variant.name for variant in product.variants
                if product.available and variant.available
            ),
        )
        for product in catalog.products
    }


def _read(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def _state_checks(path: Path) -> list[Mapping[str, Any]]:
    return [entry for entry in _read(path)["expected"] if isinstance(entry, dict)]


def _priced(lines: Sequence[Mapping[str, Any]], offers: Mapping[str, Offer], where: str) -> int:
    """Checks every line names a sellable product and variant; returns the lines' total."""
    assert isinstance(lines, list), f"{where}: lines must be a list"
    total = 0
    seen: set[tuple[str, str]] = set()
    for line in lines:
        assert set(line) <= {"product", "variant", "quantity"}, f"{where}: {line}"
        product = line.get("product")
        assert product in offers, f"{where}: {product!r} is not a catalog product name"
        offer = offers[product]
        if offer.single_variant:
            assert "variant" not in line, f"{where}: {product} has one variant, omit it"
            variant = next(iter(offer.prices))
        else:
            variant = line.get("variant")
            assert variant in offer.prices, (
                f"{where}: {product} needs one of the variants {sorted(offer.prices)}"
            )
        assert variant in offer.sellable, f"{where}: {product} ({variant}) cannot be bought"
        quantity = line.get("quantity")
        assert isinstance(quantity, int) and not isinstance(quantity, bool), f"{where}: {line}"
        assert 1 <= quantity <= MAX_QUANTITY, f"{where}: quantity {quantity}"
        assert (product, variant) not in seen, f"{where}: {product} ({variant}) listed twice"
        seen.add((product, variant))
        total += offer.prices[variant] * quantity
    return total


def test_the_corpus_holds_at_least_160_scripts() -> None:
    assert len(SCRIPTS) >= 160


def test_scripts_live_only_in_the_named_behaviour_folders() -> None:
    folders = {path.name for path in CORPUS.iterdir() if path.is_dir()}
    assert folders == set(BEHAVIOURS)
    assert not [path for path in CORPUS.rglob("*.json") if path.parent.parent != CORPUS]


@pytest.mark.parametrize("behaviour", BEHAVIOURS)
def test_every_behaviour_has_at_least_eight_scripts(behaviour: str) -> None:
    assert len(list((CORPUS / behaviour).glob("*.json"))) >= 8


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_script_header_names_its_behaviour_folder(path: Path) -> None:
    data = _read(path)
    assert data["behaviour"] == path.parent.name
    assert isinstance(data["description"], str) and data["description"].strip()
    assert {key: data.get(key) for key in HEADER} == HEADER


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_script_is_a_replay_file_vcom_simulate_can_check(path: Path) -> None:
    data = _read(path)
    assert len(data["expected"]) == len(data["userInput"])
    script = load_replay(path)
    assert len(script.turns()) == len(data["userInput"])
    assert any(e is not None and e.checks_store for e in script.expected)


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_quantities_over_99_are_said_only_where_how_many_is_the_point(path: Path) -> None:
    large = [text for text in _read(path)["userInput"] if _LARGE_NUMBER.search(text)]
    assert not large or path.parent.name in LARGE_QUANTITY_BEHAVIOURS, large


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_script_ends_with_a_checked_cart(path: Path) -> None:
    last = _read(path)["expected"][-1]
    assert isinstance(last, dict) and "cart" in last


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_carts_and_orders_name_sellable_products_and_totals_add_up(
    path: Path, offers: Mapping[str, Offer]
) -> None:
    for turn, entry in enumerate(_state_checks(path), start=1):
        where = f"{path.name} check {turn}"
        if "cart" in entry:
            cart_total = _priced(entry["cart"], offers, where)
            if "total" in entry:
                assert entry["total"] == cart_total, f"{where}: total {entry['total']}"
        else:
            assert "total" not in entry, f"{where}: a total without its cart"
        if "order" in entry:
            assert entry["order"], f"{where}: an order has lines"
            _priced(entry["order"], offers, where)


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_order_counts_grow_by_at_most_one_per_turn_and_name_the_new_order(path: Path) -> None:
    placed = 0
    for turn, entry in enumerate(_state_checks(path), start=1):
        if "orders" not in entry:
            assert "order" not in entry or placed >= 1, f"{path.name} check {turn}"
            continue
        count = entry["orders"]
        assert isinstance(count, int) and count in (placed, placed + 1), (
            f"{path.name} check {turn}: orders {count} after {placed}"
        )
        if count == placed + 1:
            assert "order" in entry, f"{path.name} check {turn}: which order was placed?"
        placed = count


@pytest.mark.parametrize(
    "path", sorted((CORPUS / "mixed").glob("*.json")), ids=lambda path: path.stem
)
def test_mixed_sessions_are_long_and_end_in_a_checked_order(path: Path) -> None:
    data = _read(path)
    assert len(data["userInput"]) >= 6
    assert "order" in data["expected"][-1]
