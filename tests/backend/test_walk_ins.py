"""Walk-in customers at an unlinked kiosk: one after another, each with an empty cart."""

import pytest

from backend.persistence.models import DeviceKind
from backend.services import carts, orders, walk_ins
from backend.services.customers import (
    customer_details,
    find_by_device,
    link_device,
    list_customers,
    unlink_device,
)
from backend.services.pairing import household_of, link_screen

KIOSK = "counter-7"


def test_each_walk_in_is_a_customer_of_their_own_with_an_empty_cart(shop):
    first = walk_ins.start_walk_in(shop.uow(), KIOSK)
    carts.add_item(shop.uow(), first.customer.id, "COF-LATTE", 1)
    second = walk_ins.start_walk_in(shop.uow(), KIOSK)
    assert second.customer.id != first.customer.id
    assert carts.get_cart(shop.uow(), second.customer.id).is_empty
    assert find_by_device(shop.uow(), second.identity).id == second.customer.id


def test_an_abandoned_cart_is_emptied_and_counted_when_its_session_ends(shop):
    walk_in = walk_ins.start_walk_in(shop.uow(), KIOSK)
    carts.add_item(shop.uow(), walk_in.customer.id, "COF-LATTE", 2)
    ended = walk_ins.end_walk_in(shop.uow(), walk_in.session_id, walk_ins.TIMEOUT)
    assert (ended.reason, ended.abandoned_items) == ("timeout", 2)
    assert carts.get_cart(shop.uow(), walk_in.customer.id).is_empty
    events = shop.hub.read_since(0, walk_in.customer.id)
    assert events[-1].kind == "cart_updated" and events[-1].payload["reason"] == "abandoned"


def test_a_session_ends_once_and_a_second_end_reports_the_first(shop):
    walk_in = walk_ins.start_walk_in(shop.uow(), KIOSK)
    walk_ins.end_walk_in(shop.uow(), walk_in.session_id, walk_ins.CANCELLED)
    again = walk_ins.end_walk_in(shop.uow(), walk_in.session_id, walk_ins.TIMEOUT)
    assert again.reason == "cancelled"


def test_a_new_customer_ends_an_unfinished_session_at_the_same_kiosk(shop):
    first = walk_ins.start_walk_in(shop.uow(), KIOSK)
    carts.add_item(shop.uow(), first.customer.id, "COF-LATTE", 1)
    walk_ins.start_walk_in(shop.uow(), KIOSK)
    assert carts.get_cart(shop.uow(), first.customer.id).is_empty
    ended = walk_ins.end_walk_in(shop.uow(), first.session_id, walk_ins.TIMEOUT)
    assert (ended.reason, ended.abandoned_items) == ("replaced", 1)


def test_an_order_placed_in_the_session_is_seen_and_leaves_nothing_abandoned(shop):
    walk_in = walk_ins.start_walk_in(shop.uow(), KIOSK)
    assert not walk_ins.has_ordered(shop.uow(), walk_in)
    carts.add_item(shop.uow(), walk_in.customer.id, "COF-LATTE", 1)
    orders.place_order(shop.uow(), walk_in.customer.id, "k1", KIOSK)
    assert walk_ins.has_ordered(shop.uow(), walk_in)
    ended = walk_ins.end_walk_in(shop.uow(), walk_in.session_id, walk_ins.ORDERED)
    assert ended.abandoned_items == 0


def test_a_kiosk_linked_to_a_household_serves_that_household(shop):
    assert walk_ins.linked_household(shop.uow(), KIOSK) is None
    link_device(shop.uow(), shop.customer_id, DeviceKind.KIOSK, KIOSK)
    household = walk_ins.linked_household(shop.uow(), KIOSK)
    assert household is not None and household.id == shop.customer_id
    unlink_device(shop.uow(), KIOSK)
    assert walk_ins.linked_household(shop.uow(), KIOSK) is None


def test_the_kiosks_screen_moves_on_to_the_next_customer_and_is_told(shop):
    first = walk_ins.start_walk_in(shop.uow(), KIOSK)
    link_screen(shop.uow(), f"{KIOSK}-display", first.customer.id)
    second = walk_ins.start_walk_in(shop.uow(), KIOSK)
    assert household_of(shop.uow(), f"{KIOSK}-display") == second.customer.id
    [moved] = [e for e in shop.hub.read_since(0, first.customer.id) if e.kind == "screen_moved"]
    assert moved.payload == {"screens": [f"{KIOSK}-display"]}


def test_an_old_walk_in_link_pairs_the_screen_with_whoever_is_at_the_kiosk_now(shop):
    first = walk_ins.start_walk_in(shop.uow(), KIOSK)
    second = walk_ins.start_walk_in(shop.uow(), KIOSK)
    link_screen(shop.uow(), "restarted-display", first.customer.id)
    assert household_of(shop.uow(), "restarted-display") == second.customer.id


def test_a_notice_goes_to_whoever_the_kiosk_serves_now(shop):
    assert not walk_ins.post_notice(shop.uow(), KIOSK, {"text": "nobody yet"})
    walk_in = walk_ins.start_walk_in(shop.uow(), KIOSK)
    assert walk_ins.post_notice(shop.uow(), KIOSK, {"text": "Order A 1 0 0 is ready"})
    [notice] = [e for e in shop.hub.read_since(0, walk_in.customer.id) if e.kind == "notice"]
    assert notice.payload == {"text": "Order A 1 0 0 is ready"}


def test_walk_ins_are_listed_only_when_asked_and_show_their_kiosk(shop):
    walk_in = walk_ins.start_walk_in(shop.uow(), KIOSK)
    households = [d.customer.id for d in list_customers(shop.uow())]
    assert walk_in.customer.id not in households and shop.customer_id in households
    everyone = {d.customer.id: d for d in list_customers(shop.uow(), walk_ins=True)}
    assert everyone[walk_in.customer.id].walk_in_at == KIOSK
    details = customer_details(shop.uow(), walk_in.customer.id)
    assert details.customer.name == f"Walk-in {walk_in.session_id} at {KIOSK}"
    assert [d.kind for d in details.devices] == [DeviceKind.WALK_IN]


def test_stale_sessions_of_a_restarted_kiosk_are_closed_as_timed_out(shop):
    walk_in = walk_ins.start_walk_in(shop.uow(), KIOSK)
    carts.add_item(shop.uow(), walk_in.customer.id, "COF-LATTE", 1)
    assert walk_ins.close_stale(shop.uow(), KIOSK) == 1
    assert carts.get_cart(shop.uow(), walk_in.customer.id).is_empty


def test_an_unknown_end_reason_is_refused(shop):
    walk_in = walk_ins.start_walk_in(shop.uow(), KIOSK)
    with pytest.raises(walk_ins.UnknownEndReason):
        walk_ins.end_walk_in(shop.uow(), walk_in.session_id, "bored")
