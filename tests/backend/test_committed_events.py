"""A request's front door learns what its units of work committed, and only that."""

from __future__ import annotations

import threading

import pytest

from backend.committed_events import start_collecting, stop_collecting
from backend.errors import NotInCart
from backend.services import carts


def test_committed_changes_are_reported_to_the_collector(shop):
    collector = start_collecting()
    try:
        carts.add_item(shop.uow(), shop.customer_id, "GRO-OATMILK", 2)
    finally:
        stop_collecting(collector)
    (event,) = collector.events
    assert event.kind == "cart_updated"
    assert [line["quantity"] for line in event.payload["cart"]["lines"]] == [2]


def test_a_change_that_rolled_back_is_not_reported(shop):
    collector = start_collecting()
    try:
        with pytest.raises(NotInCart):
            carts.remove_item(shop.uow(), shop.customer_id, "GRO-OATMILK")
    finally:
        stop_collecting(collector)
    assert collector.events == []


def test_changes_made_elsewhere_are_not_reported(shop):
    collector = start_collecting()
    try:
        other = threading.Thread(
            target=carts.add_item, args=(shop.uow(), shop.customer_id, "GRO-OATMILK", 1)
        )
        other.start()
        other.join()
    finally:
        stop_collecting(collector)
    assert collector.events == []
    after = start_collecting()
    stop_collecting(after)
    carts.add_item(shop.uow(), shop.customer_id, "GRO-OATMILK", 1)  # no collector: no error
    assert after.events == []
