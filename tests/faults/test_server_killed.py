"""`vcom serve` killed with SIGKILL while households are checking out, then started again."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backend.persistence.models import CartLine, Device, Order, OrderStatus
from backend.persistence.store import open_store
from tests.support.load import Client, Household, Reply, SignedRequest, prepare_store, serve_skill

HOUSEHOLDS = 24
CART = {"GRO-OATMILK": 2, "COF-LATTE": 1}


def fill_and_ask_to_confirm(base_url: str, household: Household) -> SignedRequest:
    client = Client(base_url)
    try:
        for sku, quantity in CART.items():
            added = client.post(SignedRequest.of(household.add(sku, sku, quantity)))
            assert added.status == 200, (added.status, added.body[:200])
            assert added.speech.startswith("Added"), added.speech
        household.remember(client.post(SignedRequest.of(household.checkout())))
    finally:
        client.close()
    assert household.attributes.get("question", {}).get("awaiting") == "purchase"
    # Alexa's "yes", signed once: the retry below resends these very bytes.
    return SignedRequest.of(household.confirm_checkout())


def orders_and_carts(url: str, households: list[Household]) -> dict[str, tuple[list[Order], dict]]:
    """Per household: its orders (lines and timeline loaded) and its cart {sku: quantity}."""
    store = open_store(url)
    try:
        with store.engine.connect() as connection, connection.begin():
            from sqlalchemy.orm import Session

            session = Session(bind=connection)
            found: dict[str, tuple[list[Order], dict]] = {}
            for household in households:
                device = session.scalar(
                    select(Device).where(Device.external_id == household.user_id)
                )
                assert device is not None
                orders = list(
                    session.scalars(
                        select(Order)
                        .where(Order.customer_id == device.customer_id)
                        .options(selectinload(Order.lines), selectinload(Order.timeline))
                    )
                )
                lines = session.scalars(
                    select(CartLine)
                    .join(CartLine.cart)
                    .where(CartLine.cart.has(customer_id=device.customer_id))
                    .options(selectinload(CartLine.variant))
                ).all()
                cart = {line.variant.product.sku: line.quantity for line in lines}
                found[household.user_id] = (orders, cart)
            return found
    finally:
        store.dispose()


def assert_whole(order: Order) -> None:
    assert order.number and order.lines, order.id
    assert [change.status for change in order.timeline][:1] == [OrderStatus.PLACED]
    assert order.total_minor == sum(line.quantity * line.unit_price_minor for line in order.lines)
    assert {line.sku: line.quantity for line in order.lines} == CART


@pytest.mark.slow
def test_a_server_killed_mid_checkout_leaves_whole_orders_full_carts_and_retries_order_once(
    database_url: str, tmp_path: Path
) -> None:
    prepare_store(database_url)
    households = [Household.numbered(i) for i in range(HOUSEHOLDS)]
    served = serve_skill(database_url, tmp_path, workers=2)
    try:
        with ThreadPoolExecutor(8) as pool:
            confirms = list(
                pool.map(lambda h: fill_and_ask_to_confirm(served.base_url, h), households)
            )
        answered: list[Reply] = []
        lock = threading.Lock()

        def confirm(request: SignedRequest) -> None:
            try:
                reply = Client(served.base_url, timeout=10).post(request)
            except OSError:
                return  # killed before it answered
            with lock:
                answered.append(reply)

        with ThreadPoolExecutor(12) as pool:
            for request in confirms:
                pool.submit(confirm, request)
            deadline = time.monotonic() + 30
            while len(answered) < 3 and time.monotonic() < deadline:
                time.sleep(0.001)
            served.kill()
    finally:
        served.kill()
    assert 3 <= len(answered) < HOUSEHOLDS  # the kill landed in the middle of the checkouts

    after_kill = orders_and_carts(database_url, households)
    for orders, cart in after_kill.values():
        assert len(orders) <= 1
        for order in orders:
            assert_whole(order)
        # An order that did not commit left its cart exactly as it was.
        assert cart == ({} if orders else CART)

    restarted = serve_skill(database_url, tmp_path, workers=2)
    try:
        client = Client(restarted.base_url)
        retried = [client.post(request) for request in confirms]
    finally:
        restarted.stop()
    assert all(reply.speech.startswith("Done! Your order number is") for reply in retried)

    after_retry = orders_and_carts(database_url, households)
    for user_id, (orders, cart) in after_retry.items():
        assert len(orders) == 1 and cart == {}
        assert_whole(orders[0])
        before, _ = after_kill[user_id]
        if before:
            assert orders[0].id == before[0].id  # the retry found it, it did not order again
