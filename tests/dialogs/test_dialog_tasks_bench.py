"""bench/dialog_tasks.py judges a conversation by the cart and orders it leaves in the store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from backend.catalog_data import CatalogSpec, load_catalog
from tests.support.bench_scripts import load_bench
from voice_local.nlu.interaction_model import load_interaction_model
from voice_local.nlu.matcher import IntentMatcher

_REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_bench("dialog_tasks")


@pytest.fixture(scope="module")
def catalog() -> CatalogSpec:
    return load_catalog()


@pytest.fixture(scope="module")
def template(
    bench: ModuleType, catalog: CatalogSpec, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    return bench.seeded_template(tmp_path_factory.mktemp("template"), catalog)


@pytest.fixture
def run(
    bench: ModuleType, template: Path, catalog: CatalogSpec, tmp_path: Path
) -> Iterator[Any]:
    model = load_interaction_model(_REPO / "interaction_models" / "en-US.json")
    matcher = IntentMatcher(model)

    def run_script(user_input: list[str], expected: list[Any]) -> Any:
        folder = tmp_path / "corpus" / "add-sizes"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "script.json"
        path.write_text(json.dumps({"userInput": user_input, "expected": expected}))
        return bench.run_task(path, template, tmp_path, model, matcher, "echo-show", catalog)

    yield run_script


LARGE_LATTE = [{"product": "latte", "variant": "large", "quantity": 1}]


def test_a_task_whose_cart_and_total_hold_is_done_as_meant(run: Any) -> None:
    outcome = run(["open corner shop", "a large latte please"],
                  [{"cart": []}, {"cart": LARGE_LATTE, "total": 495}])
    assert outcome.done, outcome.failure
    assert (outcome.behaviour, outcome.turns) == ("add-sizes", 2)


def test_a_cart_other_than_expected_fails_the_task_at_that_turn(run: Any) -> None:
    outcome = run(["open corner shop", "a large latte please"],
                  [None, {"cart": [{"product": "croissant", "quantity": 1}]}])
    assert not outcome.done
    assert outcome.failure.startswith("turn 2 ")
    assert "cart [1 latte (large)]" in outcome.failure


def test_orders_are_counted_and_the_latest_order_compared(run: Any) -> None:
    expected_order = {"orders": 1, "order": LARGE_LATTE, "cart": []}
    done = run(["open corner shop", "a large latte please", "check out", "yes"],
               [None, None, {"orders": 0}, expected_order])
    assert done.done, done.failure
    wrong = run(["open corner shop", "a large latte please", "check out", "yes"],
                [None, None, None, {"orders": 2}])
    assert "orders 1" in wrong.failure


def test_a_turn_understood_as_a_fallback_is_counted(run: Any) -> None:
    outcome = run(["open corner shop", "lovely weather today"], [None, {"cart": []}])
    assert outcome.done
    assert outcome.fallbacks == 1

