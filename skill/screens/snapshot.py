"""What a screen shows when it opens, and the outbox id its live updates continue from."""

from __future__ import annotations

from dataclasses import dataclass

from backend.errors import OrderNotFound
from backend.runtime import Backend
from backend.services.carts import get_cart
from backend.services.customers import get_customer
from backend.services.orders import latest_order
from backend.services.views import CartView, OrderView, cart_payload, order_payload


@dataclass(frozen=True)
class ScreenSnapshot:
    device_id: str
    household: str
    last_event_id: int
    cart: CartView
    order: OrderView | None

    def as_json(self) -> dict[str, object]:
        """The same shapes as the events' payloads, so the page renders both one way."""
        return {
            "device_id": self.device_id,
            "household": self.household,
            "last_event_id": self.last_event_id,
            "cart": cart_payload(self.cart),
            "order": order_payload(self.order) if self.order else None,
        }


def take_snapshot(backend: Backend, device_id: str, customer_id: int) -> ScreenSnapshot:
    # The id is read first: anything committed meanwhile is in the state and also replayed by
    # the stream, which the page applies idempotently; reading it last could skip an event.
    last_id = backend.hub.latest_id(customer_id)
    customer = get_customer(backend.reader(), customer_id)
    cart = get_cart(backend.reader(), customer_id)
    try:
        order: OrderView | None = latest_order(backend.reader(), customer_id, open_only=False)
    except OrderNotFound:
        order = None
    return ScreenSnapshot(device_id, customer.name, last_id, cart, order)
