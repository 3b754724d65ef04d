from __future__ import annotations

import os
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from backend.money import format_money
from backend.persistence.models import OrderStatus
from backend.runtime import open_backend
from backend.services import orders as order_service
from backend.services.views import OPEN_STATUSES, OrderView

STATUS_CHOICE = click.Choice([s.value for s in OrderStatus])


def _shop_time(at: datetime, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """A time as the shop reads it: in VCOM_SHOP_TIMEZONE (the store keeps UTC)."""
    try:
        zone = ZoneInfo(os.environ.get("VCOM_SHOP_TIMEZONE", "UTC"))
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    local = at.astimezone(zone)
    return f"{local:{pattern}} {local.tzname()}"


@click.group(help="See orders and move them through their life: placed → … → completed.")
def orders() -> None:
    pass


@orders.command("list", help="List orders, newest first (open ones unless --all).")
@click.option("--all", "show_all", is_flag=True, help="Include completed and cancelled orders.")
@click.option("--status", type=STATUS_CHOICE, multiple=True, help="Only orders in this status.")
@click.option("--limit", default=50, show_default=True, help="At most this many orders.")
def orders_list(show_all: bool, status: tuple[str, ...], limit: int) -> None:
    backend = open_backend()
    wanted = [OrderStatus(s) for s in status] if status else None
    if wanted is None and not show_all:
        wanted = list(OPEN_STATUSES)
    found = order_service.list_orders(backend.uow(), wanted, limit=limit)
    if not found:
        click.echo("No orders." if show_all else "No open orders (use --all for past ones).")
        return
    for order in found:
        items = ", ".join(f"{line.quantity}× {line.product_name}" for line in order.lines)
        total = format_money(order.total_minor, order.currency)
        click.echo(
            f"{order.number:>7}  {order.status.value:<16} {total:>9}"
            f"  {_shop_time(order.placed_at)}  {items}"
        )


@orders.command("show", help="Show one order with its items and status timeline.")
@click.argument("number")
def orders_show(number: str) -> None:
    _print(order_service.get_order(open_backend().uow(), number))


@orders.command(
    "advance",
    help="Move an order to its next status, or to --to STATUS (a placed order may go straight "
    "to preparing; pickup orders become ready, delivery orders go out for delivery).",
)
@click.argument("number")
@click.option("--to", "to", type=STATUS_CHOICE, help="The status to move to.")
@click.option("--note", help="A note kept in the timeline.")
def orders_advance(number: str, to: str | None, note: str | None) -> None:
    order = order_service.advance_order(
        open_backend().uow(), number, OrderStatus(to) if to else None, note
    )
    click.echo(f"Order {order.number} is now {order.status.value.replace('_', ' ')}.")


@orders.command("cancel", help="Cancel an order that is not being prepared yet.")
@click.argument("number")
@click.option("--note", help="Why, kept in the timeline.")
def orders_cancel(number: str, note: str | None) -> None:
    order = order_service.cancel_order(open_backend().uow(), number, note=note)
    click.echo(f"Order {order.number} is cancelled.")


def _print(order: OrderView) -> None:
    click.echo(f"Order {order.number} — {order.status.value} ({order.fulfilment})")
    for line in order.lines:
        price = format_money(line.total_minor, order.currency)
        click.echo(f"  {line.quantity:>2} × {line.product_name} ({line.variant_name})  {price}")
    click.echo(f"  Total {format_money(order.total_minor, order.currency)}")
    if order.eta and order.is_open:
        click.echo(f"  ETA {_shop_time(order.eta, '%H:%M')}")
    click.echo("  Timeline:")
    for change in order.timeline:
        note = f" — {change.note}" if change.note else ""
        when = _shop_time(change.at, "%Y-%m-%d %H:%M:%S")
        click.echo(f"    {when}  {change.status.value.replace('_', ' ')}{note}")
