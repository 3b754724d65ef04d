"""`vcom customers`: households, their devices and their voice purchase codes."""

from __future__ import annotations

import click

from backend.persistence.models import DeviceKind, Fulfilment
from backend.runtime import open_backend
from backend.services import customers as customer_service
from backend.services.customers import CustomerDetails

LINKABLE_KINDS = [k.value for k in DeviceKind if k is not DeviceKind.WALK_IN]


@click.group(
    help="""Households, their devices (kiosks, screens, Alexa devices) and voice purchase codes.

\b
A CUSTOMER is an id (`vcom customers list`), an exact name, or one of its device ids.
  vcom customers add "Office 3F" --pickup-store "Corner Shop"
  vcom customers link "Office 3F" kiosk-2      # that kiosk now uses the office's cart
  vcom customers unlink kiosk-2                # …and serves walk-ins again
  vcom customers code set "Office 3F"          # asks for the 4 digits (not echoed)
"""
)
def customers() -> None:
    pass


@customers.command("list", help="Households and their devices (walk-ins with --walk-ins).")
@click.option("--walk-ins", is_flag=True, help="Also list walk-in customers served at kiosks.")
def customers_list(walk_ins: bool) -> None:
    found = customer_service.list_customers(open_backend().reader(), walk_ins=walk_ins)
    if not found:
        click.echo("No customers yet: `vcom customers add NAME`, or `vcom db seed` for the demo.")
        return
    for details in found:
        customer = details.customer
        devices = ", ".join(d.external_id for d in details.devices) or "no devices"
        code = "code set" if customer.has_voice_code else "no code"
        click.echo(
            f"{customer.id:>5}  {customer.name:<28} {customer.fulfilment.value:<8} {code:<8}"
            f"  {devices}"
        )


@customers.command("show", help="One customer: fulfilment, devices, voice code.")
@click.argument("customer")
def customers_show(customer: str) -> None:
    backend = open_backend()
    found = customer_service.find_customer(backend.reader(), customer)
    _print(customer_service.customer_details(backend.reader(), found.id))


@customers.command("add", help="Add a household.")
@click.argument("name")
@click.option(
    "--delivery-address", help="Deliver its orders here (otherwise they are picked up)."
)
@click.option("--pickup-store", help="Where its orders are picked up.")
@click.option("--device", "devices", multiple=True, help="A device id to link (repeatable).")
@click.option(
    "--kind",
    type=click.Choice(LINKABLE_KINDS),
    default=DeviceKind.KIOSK.value,
    show_default=True,
    help="What the --device ids are.",
)
def customers_add(
    name: str,
    delivery_address: str | None,
    pickup_store: str | None,
    devices: tuple[str, ...],
    kind: str,
) -> None:
    if not name.strip():
        raise click.UsageError("A customer needs a name.")
    created = customer_service.create_customer(
        open_backend().uow(),
        name.strip(),
        devices=[(DeviceKind(kind), device) for device in devices],
        fulfilment=Fulfilment.DELIVERY if delivery_address else Fulfilment.PICKUP,
        pickup_store=pickup_store,
        delivery_address=delivery_address,
    )
    click.echo(f"Added customer {created.id}: {created.name}.")


@customers.command("link", help="Link a device (e.g. a kiosk) to a customer; moves it if linked.")
@click.argument("customer")
@click.argument("device_id")
@click.option(
    "--kind",
    type=click.Choice(LINKABLE_KINDS),
    default=DeviceKind.KIOSK.value,
    show_default=True,
    help="What the device is.",
)
def customers_link(customer: str, device_id: str, kind: str) -> None:
    backend = open_backend()
    found = customer_service.find_customer(backend.reader(), customer)
    customer_service.link_device(backend.uow(), found.id, DeviceKind(kind), device_id.strip())
    click.echo(f"{device_id} is now linked to {found.name} ({found.id}).")


@customers.command("unlink", help="Unlink a device; an unlinked kiosk serves walk-ins.")
@click.argument("device_id")
def customers_unlink(device_id: str) -> None:
    owner = customer_service.unlink_device(open_backend().uow(), device_id.strip())
    click.echo(f"{device_id} is no longer linked to {owner.name} ({owner.id}).")


@customers.group("code", help="The voice purchase code asked for before an order is placed.")
def code() -> None:
    pass


@code.command("set", help="Set a 4-digit voice purchase code (asked for when not given).")
@click.argument("customer")
@click.option(
    "--code",
    "digits",
    prompt="Voice purchase code (4 digits)",
    hide_input=True,
    confirmation_prompt=True,
    help="The code; better typed at the prompt, so it stays out of the shell's history.",
)
def code_set(customer: str, digits: str) -> None:
    backend = open_backend()
    found = customer_service.find_customer(backend.reader(), customer)
    customer_service.set_voice_code(backend.uow(), found.id, digits.strip())
    click.echo(f"{found.name} now needs its voice code to order.")


@code.command("clear", help="Remove the voice purchase code: orders need only a yes.")
@click.argument("customer")
def code_clear(customer: str) -> None:
    backend = open_backend()
    found = customer_service.find_customer(backend.reader(), customer)
    customer_service.set_voice_code(backend.uow(), found.id, None)
    click.echo(f"{found.name} orders without a voice code now.")


def _print(details: CustomerDetails) -> None:
    customer = details.customer
    click.echo(f"Customer {customer.id}: {customer.name}")
    if details.walk_in_at:
        click.echo(f"  Walk-in customer served at {details.walk_in_at}")
    where = (
        f"delivery to {customer.delivery_address}"
        if customer.fulfilment == Fulfilment.DELIVERY
        else f"pickup at {customer.pickup_store or 'the shop'}"
    )
    click.echo(f"  Orders: {where}")
    click.echo(f"  Voice purchase code: {'set' if customer.has_voice_code else 'none'}")
    if not details.devices:
        click.echo("  Devices: none")
    for device in details.devices:
        click.echo(f"  Device {device.external_id} ({device.kind.value.replace('_', ' ')})")
