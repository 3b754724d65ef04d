"""GET /screens/<device>/events: the household's outbox as Server-Sent Events, over real HTTP."""

import threading
import time

from backend.services import carts
from backend.services.orders import advance_order
from tests.screens.sse import read_events


def add_eggs(shop, times=1):
    for _ in range(times):
        carts.add_item(shop.uow(), shop.customer_id, "GRO-EGGS", 1)


def test_a_stream_sends_the_households_events_after_the_given_id_in_order(server, sqlite_shop):
    add_eggs(sqlite_shop, 3)
    read = read_events(f"{server}/screens/screen-1/events?after=0", count=3)
    assert [m.event for m in read.messages] == ["cart_updated"] * 3
    assert [m.data["cart"]["version"] for m in read.messages] == [1, 2, 3]
    ids = [m.id for m in read.messages]
    assert ids == sorted(ids) and len(set(ids)) == 3


def test_a_new_connection_without_an_id_starts_at_the_newest_event(server, sqlite_shop):
    add_eggs(sqlite_shop, 2)
    timer = threading.Timer(0.5, add_eggs, (sqlite_shop,))
    timer.start()
    read = read_events(f"{server}/screens/screen-1/events", count=1)
    timer.join()
    assert [m.data["cart"]["version"] for m in read.messages] == [3]


def test_last_event_id_wins_over_the_after_parameter(server, sqlite_shop):
    add_eggs(sqlite_shop, 3)
    first = read_events(f"{server}/screens/screen-1/events?after=0", count=1).messages[0]
    read = read_events(f"{server}/screens/screen-1/events?after=0", count=2, last_event_id=first.id)
    assert [m.data["cart"]["version"] for m in read.messages] == [2, 3]


def test_reconnecting_with_last_event_id_misses_nothing_and_repeats_nothing(server, sqlite_shop):
    """Events keep coming while the screen reads, drops, and comes back; it sees each once."""
    writer = threading.Thread(target=add_eggs, args=(sqlite_shop, 30))
    seen = []
    last = 0
    writer.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        read = read_events(f"{server}/screens/screen-1/events", count=4, last_event_id=last)
        seen.extend(read.messages)
        if read.messages:
            last = read.messages[-1].id
        if not writer.is_alive() and not read.messages:
            break
    writer.join()
    assert [m.data["cart"]["version"] for m in seen] == list(range(1, 31))


def test_only_the_screens_own_household_is_streamed(server, sqlite_shop):
    from backend.services.customers import create_customer

    neighbour = create_customer(sqlite_shop.uow(), "Neighbour")
    carts.add_item(sqlite_shop.uow(), neighbour.id, "GRO-BREAD", 1)
    add_eggs(sqlite_shop)
    read = read_events(f"{server}/screens/screen-1/events?after=0", count=1, seconds=1.5)
    assert [m.data["cart"]["lines"][0]["sku"] for m in read.messages] == ["GRO-EGGS"]


def test_order_placement_and_status_changes_arrive_as_their_own_events(server, sqlite_shop):
    add_eggs(sqlite_shop)
    from backend.services.orders import place_order

    order = place_order(sqlite_shop.uow(), sqlite_shop.customer_id)
    advance_order(sqlite_shop.uow(), order.number)
    read = read_events(f"{server}/screens/screen-1/events?after=0", count=4)
    assert [m.event for m in read.messages] == [
        "cart_updated",
        "cart_updated",
        "order_placed",
        "order_status",
    ]
    assert read.messages[-1].data["order"]["status"] == "accepted"
    assert [c["status"] for c in read.messages[-1].data["order"]["timeline"]] == [
        "placed",
        "accepted",
    ]


def test_an_idle_stream_sends_heartbeat_comments_and_ends_after_its_lifetime(server):
    started = time.monotonic()
    read = read_events(f"{server}/screens/screen-1/events", seconds=10)
    lasted = time.monotonic() - started
    assert read.ended
    assert 2.5 < lasted < 6  # the test app's lifetime is 3 s
    assert read.comments.count("heartbeat") >= 3


def test_a_stream_tells_the_browser_to_retry_after_a_second(server):
    import requests

    with requests.get(f"{server}/screens/screen-1/events", stream=True, timeout=5) as response:
        first = next(response.iter_lines(decode_unicode=True))
    assert first == "retry: 1000"


def test_a_waiting_screens_stream_says_paired_once_it_is_paired(server, sqlite_shop):
    import requests

    from backend.services.pairing import claim_code, pairing_code

    requests.get(f"{server}/screens/kitchen-tablet", timeout=5)
    code = pairing_code(sqlite_shop.uow(), "kitchen-tablet").code
    timer = threading.Timer(0.5, claim_code, (sqlite_shop.uow(), code, sqlite_shop.customer_id))
    timer.start()
    read = read_events(f"{server}/screens/kitchen-tablet/events", count=1)
    timer.join()
    assert [m.event for m in read.messages] == ["paired"]
