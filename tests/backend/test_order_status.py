from datetime import timedelta

import pytest

from backend.clock import utcnow
from backend.errors import InvalidTransition, OrderNotFound
from backend.persistence.models import Customer, Fulfilment, Order, OrderStatus
from backend.services import carts, orders

S = OrderStatus


def placed(shop, key="k"):
    carts.add_item(shop.uow(), shop.customer_id, "COF-LATTE", 1)
    return orders.place_order(shop.uow(), shop.customer_id, key)


def test_a_pickup_order_goes_placed_accepted_preparing_ready_completed(shop):
    order = placed(shop)
    seen = [orders.advance_order(shop.uow(), order.number).status for _ in range(4)]
    assert seen == [S.ACCEPTED, S.PREPARING, S.READY, S.COMPLETED]


def test_a_delivery_order_goes_out_for_delivery_instead_of_ready(shop):
    with shop.uow() as uow:
        uow.session.get(Customer, shop.customer_id).fulfilment = Fulfilment.DELIVERY
        uow.commit()
    order = placed(shop)
    seen = [orders.advance_order(shop.uow(), order.number).status for _ in range(4)]
    assert seen == [S.ACCEPTED, S.PREPARING, S.OUT_FOR_DELIVERY, S.COMPLETED]


def test_the_timeline_records_every_status_with_its_time(shop):
    order = placed(shop)
    orders.advance_order(shop.uow(), order.number, note="barista Sam")
    view = orders.advance_order(shop.uow(), order.number)
    assert [c.status for c in view.timeline] == [S.PLACED, S.ACCEPTED, S.PREPARING]
    assert view.timeline[1].note == "barista Sam"
    times = [c.at for c in view.timeline]
    assert times == sorted(times)


def test_ready_sets_the_eta_to_now(shop):
    order = placed(shop)
    for _ in range(3):
        view = orders.advance_order(shop.uow(), order.number)
    assert view.status == S.READY
    assert view.eta == view.timeline[-1].at


def test_an_order_can_be_cancelled_before_preparation(shop):
    order = placed(shop)
    orders.advance_order(shop.uow(), order.number)
    view = orders.cancel_order(shop.uow(), order.number)
    assert view.status == S.CANCELLED and not view.is_open


def test_an_order_being_prepared_cannot_be_cancelled(shop):
    order = placed(shop)
    orders.advance_order(shop.uow(), order.number)
    orders.advance_order(shop.uow(), order.number)
    with pytest.raises(InvalidTransition) as raised:
        orders.cancel_order(shop.uow(), order.number)
    assert "being prepared" in raised.value.message and "cancelled" in raised.value.message
    assert orders.get_order(shop.uow(), order.number).status == S.PREPARING


def test_a_completed_order_cannot_be_cancelled_and_the_message_says_why(shop):
    order = placed(shop)
    for _ in range(4):
        orders.advance_order(shop.uow(), order.number)
    with pytest.raises(InvalidTransition) as raised:
        orders.cancel_order(shop.uow(), order.number)
    assert raised.value.message == (
        f"Order {order.number} is already completed, so it cannot change any more."
    )


def test_order_numbers_are_found_however_they_are_written(shop):
    order = placed(shop)
    letter, digits = order.number.split("-")
    for spoken in (order.number, f"{letter.lower()}{digits}", f"{letter} {digits}"):
        assert orders.get_order(shop.uow(), spoken).number == order.number


def test_an_unknown_order_number_says_so(shop):
    with pytest.raises(OrderNotFound) as raised:
        orders.get_order(shop.uow(), "Z-999")
    assert "Z-999" in raised.value.message


def test_someone_elses_order_is_not_shown(shop):
    from backend.services.customers import create_customer

    other = create_customer(shop.uow(), "Neighbour")
    order = placed(shop)
    with pytest.raises(OrderNotFound):
        orders.get_order(shop.uow(), order.number, customer_id=other.id)


def test_the_latest_open_order_is_the_newest_not_finished_one(shop):
    first = placed(shop, "a")
    second = placed(shop, "b")
    orders.cancel_order(shop.uow(), second.number)
    assert orders.latest_order(shop.uow(), shop.customer_id).number == first.number


def test_every_status_change_is_a_screen_event(shop):
    order = placed(shop)
    start = shop.hub.latest_id()
    orders.advance_order(shop.uow(), order.number)
    orders.advance_order(shop.uow(), order.number)
    events = shop.hub.read_since(start)
    assert [(e.kind, e.payload["order"]["status"]) for e in events] == [
        ("order_status", "accepted"),
        ("order_status", "preparing"),
    ]
    assert len(events[-1].payload["order"]["timeline"]) == 3


def test_a_busy_barista_can_start_preparing_a_placed_order_without_accepting_it(shop):
    order = placed(shop)
    view = orders.advance_order(shop.uow(), order.number, S.PREPARING, note="barista Sam")
    assert [c.status for c in view.timeline] == [S.PLACED, S.PREPARING]
    assert view.timeline[-1].note == "barista Sam"


def test_a_pickup_order_is_never_out_for_delivery(shop):
    order = placed(shop)
    orders.advance_order(shop.uow(), order.number, S.PREPARING)
    with pytest.raises(InvalidTransition) as raised:
        orders.advance_order(shop.uow(), order.number, S.OUT_FOR_DELIVERY)
    assert raised.value.message == (
        f"Order {order.number} is being prepared, so it cannot be marked out for delivery. "
        "It can move on to ready."
    )
    assert orders.get_order(shop.uow(), order.number).status == S.PREPARING


def test_a_delivery_order_is_never_ready_for_pickup(shop):
    with shop.uow() as uow:
        uow.session.get(Customer, shop.customer_id).fulfilment = Fulfilment.DELIVERY
        uow.commit()
    order = placed(shop)
    orders.advance_order(shop.uow(), order.number, S.PREPARING)
    with pytest.raises(InvalidTransition):
        orders.advance_order(shop.uow(), order.number, S.READY)


def test_the_moves_offered_depend_on_the_fulfilment(shop):
    assert orders.allowed_transitions(S.PREPARING, Fulfilment.PICKUP) == (S.READY,)
    assert orders.allowed_transitions(S.PREPARING, "delivery") == (S.OUT_FOR_DELIVERY,)
    assert orders.allowed_transitions(S.PLACED, "pickup") == (S.ACCEPTED, S.PREPARING, S.CANCELLED)


def test_moving_an_order_to_the_status_it_has_says_so_plainly(shop):
    order = placed(shop)
    with pytest.raises(InvalidTransition) as raised:
        orders.advance_order(shop.uow(), order.number, S.PLACED)
    assert raised.value.message == (
        f"Order {order.number} is already placed. It can move on to accepted, preparing or "
        "cancelled."
    )


def _make_late(shop, number):
    with shop.uow() as uow:
        late = uow.session.query(Order).filter(Order.number == number).one()
        late.eta = utcnow() - timedelta(hours=1)
        uow.commit()


def test_a_late_order_never_promises_a_time_already_past(shop):
    order = placed(shop)
    orders.advance_order(shop.uow(), order.number, S.PREPARING)
    _make_late(shop, order.number)
    before = utcnow()
    for view in (
        orders.get_order(shop.uow(), order.number),
        orders.latest_order(shop.uow(), shop.customer_id),
        orders.list_orders(shop.uow())[0],
    ):
        assert view.eta is not None and view.eta > before


def test_a_ready_order_keeps_the_time_it_became_ready(shop):
    order = placed(shop)
    for status in (S.PREPARING, S.READY):
        view = orders.advance_order(shop.uow(), order.number, status)
    assert orders.get_order(shop.uow(), order.number).eta == view.timeline[-1].at
