"""A screen that drops off during a burst of 1,000 events and comes back with its last id."""

from __future__ import annotations

import threading
import time

import pytest

from backend.events import EventHub, ScreenEvent
from backend.persistence.store import open_store
from backend.services import carts
from tests.conftest import Shop

EVENTS = 1000
DISCONNECT_AFTER = 300


def write_events(shop: Shop, count: int, failures: list[BaseException]) -> None:
    """`count` cart changes, one event each: add an oat milk, take it out again, and so on."""
    try:
        for index in range(count):
            if index % 2 == 0:
                carts.add_item(shop.uow(), shop.customer_id, "GRO-OATMILK", 1)
            else:
                carts.remove_item(shop.uow(), shop.customer_id, "GRO-OATMILK")
    except BaseException as error:
        failures.append(error)


@pytest.mark.slow
def test_a_subscriber_that_reconnects_with_its_last_id_gets_every_event_once_in_order(
    shop: Shop,
) -> None:
    subscription = shop.hub.subscribe(shop.customer_id)
    first_id = subscription.last_id
    failures: list[BaseException] = []
    writer = threading.Thread(target=write_events, args=(shop, EVENTS, failures))
    writer.start()

    received: list[ScreenEvent] = []
    while len(received) < DISCONNECT_AFTER:
        received.extend(subscription.poll(timeout=0.5))
    last_seen = received[-1].id
    del subscription  # the screen goes away; events keep coming
    time.sleep(0.5)

    # It comes back later, as a new connection to another process would: a store and hub of
    # its own, starting after the last id it saw.
    store = open_store(shop.store.url)
    try:
        resumed = EventHub(store).subscribe(shop.customer_id, after_id=last_seen)
        deadline = time.monotonic() + 120
        while len(received) < EVENTS and time.monotonic() < deadline:
            received.extend(resumed.poll(timeout=0.5))
        writer.join(timeout=120)
        received.extend(resumed.poll(timeout=0.1))  # nothing more may arrive
    finally:
        store.dispose()

    assert failures == []
    ids = [event.id for event in received]
    assert len(ids) == EVENTS
    assert ids == sorted(set(ids)) and ids[0] > first_id
    versions = [event.payload["cart"]["version"] for event in received]
    assert versions == list(range(versions[0], versions[0] + EVENTS))
    assert [event.payload["reason"] for event in received[:2]] == ["added", "removed"]
