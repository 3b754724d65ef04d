"""Outbox ids become visible at commit, not in id order: the cursor never skips a late commit."""

from sqlalchemy import text

from backend.events import EventHub, SettledCursor
from backend.services import carts


def test_an_event_committed_after_a_later_id_is_delivered_first_not_lost(shop):
    hub = EventHub(shop.store)
    cursor = SettledCursor(hub, shop.customer_id, hub.latest_id(), gap_grace_seconds=30)
    with shop.store.engine.connect() as slow:
        # A slow writer takes the next id and has not committed yet (on SQLite it holds the
        # write lock, so the later write simply waits: no gap can appear there).
        slow.execute(
            text(
                "INSERT INTO outbox_events (customer_id, kind, payload, created_at) "
                "VALUES (:c, 'cart_updated', '{\"cart\": {\"version\": 0}}', CURRENT_TIMESTAMP)"
            ),
            {"c": shop.customer_id},
        )
        if shop.store.is_sqlite:
            slow.commit()
        else:
            carts.add_item(shop.uow(), shop.customer_id, "GRO-EGGS", 1)  # a later id, committed
            assert cursor.poll(0.05) == []  # held at the gap, not delivered past it
            slow.commit()
    if shop.store.is_sqlite:
        carts.add_item(shop.uow(), shop.customer_id, "GRO-EGGS", 1)
    events = cursor.poll(0.05)
    assert [e.payload["cart"]["version"] for e in events] == [0, 1]
    assert [e.id for e in events] == sorted(e.id for e in events)
