"""The shipped dialog scripts are regression tests: each one replays cleanly on a fresh shop."""

import pytest

from tests.simulator.conftest import EXAMPLES

SCRIPTS = sorted(EXAMPLES.glob("*.json"))


def test_the_examples_cover_the_documented_dialogs():
    names = {path.stem for path in SCRIPTS}
    assert {"purchase_with_confirmation", "reorder_usual", "order_status", "unknown_product"} <= (
        names
    )


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.stem)
def test_each_shipped_example_replays_as_expected(simulate, script):
    result = simulate("--replay", str(script))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all as expected" in result.stdout
