"""Twenty devices of one household adding to its one cart at the same moment."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from backend.persistence.models import Cart, OutboxEvent
from backend.services import carts
from tests.conftest import Shop

DEVICES = 20
ROUNDS = 3


def test_twenty_devices_adding_at_once_leave_the_exact_quantities(shop: Shop) -> None:
    start = threading.Barrier(DEVICES)
    failures: list[BaseException] = []

    def device(index: int) -> None:
        try:
            start.wait(timeout=30)
            for _ in range(ROUNDS):
                carts.add_item(shop.uow(), shop.customer_id, "GRO-OATMILK", 1)
                carts.add_item(shop.uow(), shop.customer_id, "COF-LATTE", 2 if index % 2 else 1)
        except BaseException as error:  # reported below, not lost in the thread
            failures.append(error)

    threads = [threading.Thread(target=device, args=(i,)) for i in range(DEVICES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    cart = carts.get_cart(shop.uow(), shop.customer_id)
    quantities = {line.sku: line.quantity for line in cart.lines}
    # Odd devices add two lattes a round, even ones one: 10 x 2 + 10 x 1 per round.
    assert quantities == {"GRO-OATMILK": ROUNDS * DEVICES, "COF-LATTE": ROUNDS * 30}
    with shop.uow() as uow:
        version = uow.session.scalar(
            select(Cart.version).where(Cart.customer_id == shop.customer_id)
        )
        events = uow.session.scalar(
            select(func.count())
            .select_from(OutboxEvent)
            .where(OutboxEvent.customer_id == shop.customer_id)
        )
    # Every add was its own change: one version step and one screen event each.
    assert version == 2 * ROUNDS * DEVICES
    assert events == 2 * ROUNDS * DEVICES
