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

from backend.services.views import CartView, LineView, OrderView
from skill.localization import Translator
from skill.speech import Speech
from skill.turn import turn

APL_DIR = Path(__file__).parent / "apl"


def status_label(t: Translator, status: str) -> str:
    """An order status as shown on a screen ('Being prepared', '준비 중')."""
    return t(f"label_{status}")


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


def _line_rows(lines: tuple[LineView, ...], currency: str, say: Speech) -> list[dict[str, Any]]:
    return [
        {
            "quantity": line.quantity,
            "name": say.item_name(line),
            "price": say.money_shown(line.total_minor, currency),
        }
        for line in lines
    ]


def cart_datasource(cart: CartView, title: str, t: Translator) -> dict[str, Any]:
    count = cart.item_count
    total = t.say.money_shown(cart.total_minor, cart.currency)
    return {
        "view": {
            "title": title,
            "subtitle": t("cart_subtitle_one" if count == 1 else "cart_subtitle", count=count),
            "lines": _line_rows(cart.lines, cart.currency, t.say),
            "total": total,
            "total_text": t("total_shown", total=total),
        }
    }


def order_datasource(order: OrderView, zone: ZoneInfo, t: Translator) -> dict[str, Any]:
    say = t.say
    open_eta = order.eta and order.is_open
    eta = t("eta_shown", time=say.time_shown(order.eta, zone)) if open_eta and order.eta else ""
    total = say.money_shown(order.total_minor, order.currency)
    return {
        "view": {
            "number": order.number,
            "heading": t("card_order", number=order.number),
            "status": status_label(t, order.status.value),
            "eta": eta,
            "lines": _line_rows(order.lines, order.currency, say),
            "timeline": [
                {"time": say.time_shown(c.at, zone), "status": status_label(t, c.status.value)}
                for c in order.timeline
            ],
            "total": total,
            "total_text": t("total_shown", total=total),
        }
    }


def show_cart(handler_input: HandlerInput, cart: CartView, title: str) -> None:
    t = turn(handler_input).t
    builder = handler_input.response_builder
    data = cart_datasource(cart, title, t)["view"]
    lines = "\n".join(f"{r['quantity']} × {r['name']}  {r['price']}" for r in data["lines"])
    builder.set_card(SimpleCard(title, f"{lines}\n{data['total_text']}"))
    if supports_apl(handler_input):
        builder.add_directive(
            RenderDocumentDirective(
                token="cart",
                document=apl_document("cart"),
                datasources={"payload": {"view": data}},
            )
        )


def show_order(handler_input: HandlerInput, order: OrderView, zone: ZoneInfo) -> None:
    t = turn(handler_input).t
    builder = handler_input.response_builder
    data = order_datasource(order, zone, t)["view"]
    lines = "\n".join(f"{r['quantity']} × {r['name']}  {r['price']}" for r in data["lines"])
    builder.set_card(
        SimpleCard(data["heading"], f"{data['status']}\n{lines}\n{data['total_text']}")
    )
    if supports_apl(handler_input):
        builder.add_directive(
            RenderDocumentDirective(
                token=f"order-{order.number}",
                document=apl_document("order"),
                datasources={"payload": {"view": data}},
            )
        )
