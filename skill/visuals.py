"""Visual confirmations: an APL document on devices with a screen, a card in the Alexa app."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_supported_interfaces
from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective
from ask_sdk_model.ui import SimpleCard

from backend.money import format_money
from backend.services.views import CartView, LineView, OrderView
from skill.speech import say_time

APL_DIR = Path(__file__).parent / "apl"
STATUS_LABELS = {
    "placed": "Placed",
    "accepted": "Accepted",
    "preparing": "Being prepared",
    "ready": "Ready for pickup",
    "out_for_delivery": "Out for delivery",
    "completed": "Completed",
    "cancelled": "Cancelled",
}


@cache
def apl_document(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((APL_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return document


def supports_apl(handler_input: HandlerInput) -> bool:
    try:
        interfaces = get_supported_interfaces(handler_input)
    except AttributeError:
        return False  # no device in the context (e.g. a test envelope)
    return interfaces is not None and interfaces.alexa_presentation_apl is not None


def _line_rows(lines: tuple[LineView, ...], currency: str) -> list[dict[str, Any]]:
    return [
        {
            "quantity": line.quantity,
            "name": line.product_name
            if line.variant_name in ("each", "single")
            else f"{line.variant_name} {line.product_name}",
            "price": format_money(line.total_minor, currency),
        }
        for line in lines
    ]


def cart_datasource(cart: CartView, title: str) -> dict[str, Any]:
    return {
        "view": {
            "title": title,
            "subtitle": f"{cart.item_count} item{'s' if cart.item_count != 1 else ''}",
            "lines": _line_rows(cart.lines, cart.currency),
            "total": format_money(cart.total_minor, cart.currency),
        }
    }


def order_datasource(order: OrderView, zone: ZoneInfo) -> dict[str, Any]:
    eta = f"Ready around {say_time(order.eta, zone)}" if order.eta and order.is_open else ""
    return {
        "view": {
            "number": order.number,
            "status": STATUS_LABELS[order.status.value],
            "eta": eta,
            "lines": _line_rows(order.lines, order.currency),
            "timeline": [
                {"time": say_time(c.at, zone), "status": STATUS_LABELS[c.status.value]}
                for c in order.timeline
            ],
            "total": format_money(order.total_minor, order.currency),
        }
    }


def show_cart(handler_input: HandlerInput, cart: CartView, title: str) -> None:
    builder = handler_input.response_builder
    lines = "\n".join(
        f"{r['quantity']} × {r['name']}  {r['price']}"
        for r in _line_rows(cart.lines, cart.currency)
    )
    builder.set_card(
        SimpleCard(title, f"{lines}\nTotal {format_money(cart.total_minor, cart.currency)}")
    )
    if supports_apl(handler_input):
        builder.add_directive(
            RenderDocumentDirective(
                token="cart",
                document=apl_document("cart"),
                datasources={"payload": cart_datasource(cart, title)},
            )
        )


def show_order(handler_input: HandlerInput, order: OrderView, zone: ZoneInfo) -> None:
    builder = handler_input.response_builder
    data = order_datasource(order, zone)["view"]
    lines = "\n".join(f"{r['quantity']} × {r['name']}  {r['price']}" for r in data["lines"])
    builder.set_card(
        SimpleCard(f"Order {order.number}", f"{data['status']}\n{lines}\nTotal {data['total']}")
    )
    if supports_apl(handler_input):
        builder.add_directive(
            RenderDocumentDirective(
                token=f"order-{order.number}",
                document=apl_document("order"),
                datasources={"payload": order_datasource(order, zone)},
            )
        )
