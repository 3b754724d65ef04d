import threading
import time

from backend.services import carts


def test_a_subscriber_receives_new_events_in_order(shop):
    subscription = shop.hub.subscribe(shop.customer_id)
    carts.add_item(shop.uow(), shop.customer_id, "GRO-EGGS", 1)
    carts.add_item(shop.uow(), shop.customer_id, "GRO-EGGS", 1)
    events = subscription.poll(timeout=0.1)
    assert [e.payload["cart"]["version"] for e in events] == [1, 2]
    assert subscription.poll(timeout=0.05) == []


def test_an_in_process_subscriber_is_woken_by_a_commit(shop):
    subscription = shop.hub.subscribe(shop.customer_id)
    timer = threading.Timer(
        0.2, lambda: carts.add_item(shop.uow(), shop.customer_id, "GRO-EGGS", 1)
    )
    timer.start()
    started = time.monotonic()
    events = subscription.poll(timeout=5)
    waited = time.monotonic() - started
    timer.join()
    assert len(events) == 1
    assert waited < 2.0  # woken by the notification, not by the 5 s timeout


def test_a_subscriber_that_was_away_catches_up_from_its_last_event_id(shop):
    subscription = shop.hub.subscribe(shop.customer_id)
    carts.add_item(shop.uow(), shop.customer_id, "GRO-EGGS", 1)
    seen = subscription.poll(timeout=0.1)
    last_id = seen[-1].id
    for _ in range(30):
        carts.add_item(shop.uow(), shop.customer_id, "GRO-EGGS", 1)
    returning = shop.hub.subscribe(shop.customer_id, after_id=last_id)
    caught_up = returning.poll(timeout=0.1)
    assert [e.payload["cart"]["version"] for e in caught_up] == list(range(2, 32))


def test_subscribers_see_only_their_households_events(shop):
    from backend.services.customers import create_customer

    other = create_customer(shop.uow(), "Neighbour")
    subscription = shop.hub.subscribe(other.id)
    carts.add_item(shop.uow(), shop.customer_id, "GRO-EGGS", 1)
    carts.add_item(shop.uow(), other.id, "GRO-BREAD", 1)
    events = subscription.poll(timeout=0.1)
    assert [e.payload["cart"]["lines"][0]["sku"] for e in events] == ["GRO-BREAD"]
