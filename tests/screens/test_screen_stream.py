"""GET /screens/<device>/events: the household's outbox as Server-Sent Events, over real HTTP."""

import threading
import time

import requests

from backend.services import carts
from backend.services.orders import advance_order
from tests.screens.conftest import paired_browser
from tests.screens.sse import read_events


def add_eggs(shop, times=1):
    for _ in range(times):
        carts.add_item(shop.uow(), shop.customer_id, "GRO-EGGS", 1)


def test_a_stream_sends_the_households_events_after_the_given_id_in_order(
    server, sqlite_shop, screen
):
    add_eggs(sqlite_shop, 3)
    read = read_events(f"{server}/screens/screen-1/events?after=0", count=3, browser=screen)
    assert [m.event for m in read.messages] == ["cart_updated"] * 3
    assert [m.data["cart"]["version"] for m in read.messages] == [1, 2, 3]
    ids = [m.id for m in read.messages]
    assert ids == sorted(ids) and len(set(ids)) == 3


def test_catch_up_never_reaches_back_before_the_pairing(server, sqlite_shop):
    add_eggs(sqlite_shop, 2)  # the household's history before this screen was paired
    screen = paired_browser(server, sqlite_shop.customer_id)
    add_eggs(sqlite_shop)
    url = f"{server}/screens/screen-1/events"
    from_zero = read_events(f"{url}?after=0", count=2, seconds=1.5, browser=screen)
    by_header = read_events(url, count=2, seconds=1.5, last_event_id=0, browser=screen)
    assert [m.data["cart"]["version"] for m in from_zero.messages] == [3]
    assert [m.data["cart"]["version"] for m in by_header.messages] == [3]


def test_a_paired_screens_stream_is_refused_without_the_screens_cookie(server, sqlite_shop):
    add_eggs(sqlite_shop)
    for headers in ({}, {"Last-Event-ID": "0"}):
        url = f"{server}/screens/screen-1/events?after=0"
        reply = requests.get(url, headers=headers, timeout=5)
        assert reply.status_code == 403
        assert "GRO-EGGS" not in reply.text


def test_a_new_connection_without_an_id_starts_at_the_newest_event(server, sqlite_shop, screen):
    add_eggs(sqlite_shop, 2)
    timer = threading.Timer(0.5, add_eggs, (sqlite_shop,))
    timer.start()
    read = read_events(f"{server}/screens/screen-1/events", count=1, browser=screen)
    timer.join()
    assert [m.data["cart"]["version"] for m in read.messages] == [3]


def test_last_event_id_wins_over_the_after_parameter(server, sqlite_shop, screen):
    add_eggs(sqlite_shop, 3)
    url = f"{server}/screens/screen-1/events?after=0"
    first = read_events(url, count=1, browser=screen).messages[0]
    read = read_events(url, count=2, last_event_id=first.id, browser=screen)
    assert [m.data["cart"]["version"] for m in read.messages] == [2, 3]


def test_reconnecting_with_last_event_id_misses_nothing_and_repeats_nothing(
    server, sqlite_shop, screen
):
    """Events keep coming while the screen reads, drops, and comes back; it sees each once."""
    last = sqlite_shop.hub.latest_id(sqlite_shop.customer_id)
    writer = threading.Thread(target=add_eggs, args=(sqlite_shop, 30))
    seen = []
    writer.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        read = read_events(
            f"{server}/screens/screen-1/events", count=4, last_event_id=last, browser=screen
        )
        seen.extend(read.messages)
        if read.messages:
            last = read.messages[-1].id
        if not writer.is_alive() and not read.messages:
            break
    writer.join()
    assert [m.data["cart"]["version"] for m in seen] == list(range(1, 31))


def test_only_the_screens_own_household_is_streamed(server, sqlite_shop, screen):
    from backend.services.customers import create_customer

    neighbour = create_customer(sqlite_shop.uow(), "Neighbour")
    carts.add_item(sqlite_shop.uow(), neighbour.id, "GRO-BREAD", 1)
    add_eggs(sqlite_shop)
    read = read_events(
        f"{server}/screens/screen-1/events?after=0", count=1, seconds=1.5, browser=screen
    )
    assert [m.data["cart"]["lines"][0]["sku"] for m in read.messages] == ["GRO-EGGS"]


def test_order_placement_and_status_changes_arrive_as_their_own_events(server, sqlite_shop, screen):
    add_eggs(sqlite_shop)
    from backend.services.orders import place_order

    order = place_order(sqlite_shop.uow(), sqlite_shop.customer_id)
    advance_order(sqlite_shop.uow(), order.number)
    read = read_events(f"{server}/screens/screen-1/events?after=0", count=4, browser=screen)
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


def test_an_idle_stream_sends_heartbeat_comments_and_ends_after_its_lifetime(server, screen):
    started = time.monotonic()
    read = read_events(f"{server}/screens/screen-1/events", seconds=10, browser=screen)
    lasted = time.monotonic() - started
    assert read.ended
    assert 2.5 < lasted < 6  # the test app's lifetime is 3 s
    assert read.comments.count("heartbeat") >= 3


def test_a_stream_tells_the_browser_to_retry_after_a_second(server, screen):
    with screen.get(f"{server}/screens/screen-1/events", stream=True, timeout=5) as response:
        first = next(response.iter_lines(decode_unicode=True))
    assert first == "retry: 1000"


def test_a_waiting_screens_stream_says_paired_once_it_is_paired(server, sqlite_shop):
    from backend.services.pairing import claim_code, pairing_code

    requests.get(f"{server}/screens/kitchen-tablet", timeout=5)
    code = pairing_code(sqlite_shop.uow(), "kitchen-tablet").code
    timer = threading.Timer(0.5, claim_code, (sqlite_shop.uow(), code, sqlite_shop.customer_id))
    timer.start()
    read = read_events(f"{server}/screens/kitchen-tablet/events", count=1)
    timer.join()
    assert [m.event for m in read.messages] == ["paired"]


def test_a_waiting_screens_stream_never_takes_a_pairing_code(server, sqlite_shop):
    from backend.services.pairing import live_code

    read = read_events(f"{server}/screens/never-opened/events", count=1)
    assert [m.event for m in read.messages] == ["expired"]
    assert live_code(sqlite_shop.uow(), "never-opened") is None


def test_an_id_with_a_trailing_newline_is_not_found(server, screen):
    reply = screen.get(f"{server}/screens/screen-1%0a/events", timeout=5)
    assert reply.status_code == 404
