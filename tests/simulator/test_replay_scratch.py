"""`vcom simulate --replay` rehearses on a scratch copy of the store; --store-live opts in."""

from backend.persistence.store import open_store
from backend.services.orders import list_orders
from backend.unit_of_work import UnitOfWork
from tests.simulator.conftest import EXAMPLES, run_simulate

ORDER_STATUS = str(EXAMPLES / "order_status.json")


def orders_in(url: str) -> list[str]:
    store = open_store(url)
    try:
        return [order.number for order in list_orders(UnitOfWork(store))]
    finally:
        store.dispose()


def test_a_replay_places_no_order_in_the_configured_store(seeded_url):
    result = run_simulate(seeded_url, "--replay", ORDER_STATUS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert orders_in(seeded_url) == []


def test_a_replay_passes_again_on_a_store_that_already_has_orders(seeded_url):
    live = run_simulate(seeded_url, "--replay", ORDER_STATUS, "--store-live")
    assert live.returncode == 0, live.stdout + live.stderr
    assert orders_in(seeded_url) == ["A-100"]
    again = run_simulate(seeded_url, "--replay", ORDER_STATUS)
    assert again.returncode == 0, again.stdout + again.stderr
    # The copy holds the shop's orders, so the rehearsal's order gets the next number.
    assert "A 1 0 1" in again.stdout
    assert orders_in(seeded_url) == ["A-100"]


def test_store_live_replays_on_the_configured_store_and_says_so_when_it_differs(seeded_url):
    first = run_simulate(seeded_url, "--replay", ORDER_STATUS, "--store-live")
    second = run_simulate(seeded_url, "--replay", ORDER_STATUS, "--store-live")
    assert first.returncode == 0
    assert second.returncode == 1 and "did not match" in second.stdout
    assert orders_in(seeded_url) == ["A-101", "A-100"]


def test_store_live_without_a_replay_is_a_usage_error(seeded_url):
    result = run_simulate(seeded_url, "--store-live")
    assert result.returncode == 2 and "--store-live only applies to --replay" in result.stderr
