"""Customers, their devices, and the voice purchase code."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import IntegrityError

from backend.clock import utcnow
from backend.errors import (
    AmbiguousCustomer,
    CustomerNotFound,
    InvalidVoiceCode,
    PurchasesLocked,
    WrongVoiceCode,
)
from backend.persistence.models import (
    Cart,
    Customer,
    Device,
    DeviceKind,
    Fulfilment,
    WalkInSession,
)
from backend.unit_of_work import UnitOfWork

MAX_CODE_ATTEMPTS = 3
LOCKOUT = timedelta(minutes=15)
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


@dataclass(frozen=True)
class CustomerView:
    id: int
    name: str
    fulfilment: Fulfilment
    pickup_store: str | None
    delivery_address: str | None
    has_voice_code: bool


def _view(customer: Customer) -> CustomerView:
    return CustomerView(
        customer.id,
        customer.name,
        customer.fulfilment,
        customer.pickup_store,
        customer.delivery_address,
        customer.voice_code_hash is not None,
    )


def create_customer(
    uow: UnitOfWork,
    name: str,
    *,
    devices: list[tuple[DeviceKind, str]] = [],  # noqa: B006 - never mutated
    fulfilment: Fulfilment = Fulfilment.PICKUP,
    pickup_store: str | None = None,
    delivery_address: str | None = None,
) -> CustomerView:
    with uow:
        customer = _add_customer(uow, name, fulfilment, pickup_store, delivery_address)
        for kind, external_id in devices:
            uow.session.add(Device(customer_id=customer.id, kind=kind, external_id=external_id))
        uow.commit()
        return _view(customer)


def _add_customer(
    uow: UnitOfWork,
    name: str,
    fulfilment: Fulfilment,
    pickup_store: str | None,
    delivery_address: str | None,
) -> Customer:
    customer = Customer(
        name=name,
        fulfilment=fulfilment,
        pickup_store=pickup_store,
        delivery_address=delivery_address,
    )
    uow.session.add(customer)
    uow.session.flush()
    # The cart exists from the start: concurrent first adds lock a row instead of racing to insert.
    uow.session.add(Cart(customer_id=customer.id))
    return customer


def find_by_device(uow: UnitOfWork, external_id: str) -> CustomerView:
    return find_by_first_device(uow, (external_id,))


def find_by_first_device(uow: UnitOfWork, external_ids: Sequence[str]) -> CustomerView:
    """The customer of the first of `external_ids` that names a known device.

    One statement whatever the number of ids, built once and reading columns rather than
    entities: this runs on every turn.
    """
    with uow:
        rows = uow.connection.execute(_CUSTOMERS_BY_DEVICE, {"ids": list(external_ids)}).all()
        found = {row[0]: CustomerView(*row[1:]) for row in rows}
        for external_id in external_ids:
            customer = found.get(external_id)
            if customer is not None:
                return customer
        raise CustomerNotFound(external_ids[0] if external_ids else "")


_CUSTOMERS_BY_DEVICE = (
    select(
        Device.external_id,
        Customer.id,
        Customer.name,
        Customer.fulfilment,
        Customer.pickup_store,
        Customer.delivery_address,
        Customer.voice_code_hash.is_not(None),
    )
    .join(Customer, Customer.id == Device.customer_id)
    .where(Device.external_id.in_(bindparam("ids", expanding=True)))
)


def get_customer(uow: UnitOfWork, customer_id: int) -> CustomerView:
    with uow:
        customer = uow.session.get(Customer, customer_id)
        if customer is None:
            raise CustomerNotFound(str(customer_id))
        return _view(customer)


def customer_for_device(
    uow: UnitOfWork,
    external_id: str,
    kind: DeviceKind,
    *,
    default_name: str = "Alexa customer",
    default_pickup_store: str | None = None,
) -> CustomerView:
    """The customer behind a device, created on first sight (an Alexa user enabling the skill)."""
    try:
        return find_by_device(uow, external_id)
    except CustomerNotFound:
        pass
    try:
        with uow:
            customer = _add_customer(
                uow, default_name, Fulfilment.PICKUP, default_pickup_store, None
            )
            uow.session.add(Device(customer_id=customer.id, kind=kind, external_id=external_id))
            uow.commit()
            return _view(customer)
    except IntegrityError:
        # Another request registered the same device first: use theirs.
        return find_by_device(uow, external_id)


def link_device(uow: UnitOfWork, customer_id: int, kind: DeviceKind, external_id: str) -> None:
    with uow:
        existing = uow.session.scalar(select(Device).where(Device.external_id == external_id))
        if existing is None:
            uow.session.add(Device(customer_id=customer_id, kind=kind, external_id=external_id))
        else:
            existing.customer_id = customer_id
        uow.commit()


def hash_voice_code(code: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(code.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def _code_matches(code: str, stored: str) -> bool:
    _scheme, salt_hex, digest_hex = stored.split("$")
    candidate = hashlib.scrypt(code.encode(), salt=bytes.fromhex(salt_hex), **_SCRYPT)
    return hmac.compare_digest(candidate.hex(), digest_hex)


def set_voice_code(uow: UnitOfWork, customer_id: int, code: str | None) -> None:
    if code is not None and not (len(code) == 4 and code.isdigit()):
        raise InvalidVoiceCode()
    with uow:
        customer = uow.session.get(Customer, customer_id)
        if customer is None:
            raise CustomerNotFound(str(customer_id))
        customer.voice_code_hash = hash_voice_code(code) if code else None
        customer.failed_code_attempts = 0
        customer.purchases_locked_until = None
        uow.commit()


def ensure_purchases_allowed(uow: UnitOfWork, customer_id: int) -> None:
    with uow:
        row = uow.connection.execute(
            select(Customer.purchases_locked_until).where(Customer.id == customer_id)
        ).one_or_none()
        if row is None:
            raise CustomerNotFound(str(customer_id))
        locked_until = row[0]
        if locked_until is not None and locked_until > utcnow():
            raise PurchasesLocked(locked_until)


def verify_voice_code(uow: UnitOfWork, customer_id: int, code: str) -> None:
    """Passes silently, or raises WrongVoiceCode / PurchasesLocked. Three misses lock for 15 min."""
    with uow:
        # The customer's row stays locked until this try is counted: concurrent tries are
        # counted one after another, so parallel wrong codes cannot outrun the lockout
        # (PostgreSQL; a SQLite writer holds the whole store from BEGIN IMMEDIATE).
        customer = uow.session.get(Customer, customer_id, with_for_update=True)
        if customer is None:
            raise CustomerNotFound(str(customer_id))
        now = utcnow()
        if customer.purchases_locked_until is not None and customer.purchases_locked_until > now:
            raise PurchasesLocked(customer.purchases_locked_until)
        if customer.voice_code_hash is None or _code_matches(code, customer.voice_code_hash):
            customer.failed_code_attempts = 0
            uow.commit()
            return
        customer.failed_code_attempts += 1
        if customer.failed_code_attempts >= MAX_CODE_ATTEMPTS:
            customer.failed_code_attempts = 0
            customer.purchases_locked_until = now + LOCKOUT
            uow.commit()
            raise PurchasesLocked(customer.purchases_locked_until)
        attempts_left = MAX_CODE_ATTEMPTS - customer.failed_code_attempts
        uow.commit()
        raise WrongVoiceCode(attempts_left)


@dataclass(frozen=True)
class DeviceView:
    external_id: str
    kind: DeviceKind


@dataclass(frozen=True)
class CustomerDetails:
    customer: CustomerView
    devices: tuple[DeviceView, ...]
    walk_in_at: str | None  # the kiosk a walk-in was served at; None for a household


def find_customer(uow: UnitOfWork, ref: str) -> CustomerView:
    """A customer by id ("3"), by exact name ("Demo Household"), or by one of its devices."""
    with uow:
        customer = uow.session.get(Customer, int(ref)) if ref.strip().isdigit() else None
        if customer is None:
            named = uow.session.scalars(select(Customer).where(Customer.name == ref)).all()
            if len(named) > 1:
                raise AmbiguousCustomer(ref, [c.id for c in named])
            customer = named[0] if named else None
        if customer is not None:
            return _view(customer)
    return find_by_device(uow, ref)


def list_customers(uow: UnitOfWork, *, walk_ins: bool = False) -> list[CustomerDetails]:
    """Households by id (walk-in customers too when asked), each with its devices."""
    with uow:
        query = select(Customer).order_by(Customer.id)
        walk_in_ids = select(WalkInSession.customer_id)
        if not walk_ins:
            query = query.where(Customer.id.not_in(walk_in_ids))
        customers = uow.session.scalars(query).all()
        return [_details(uow, customer) for customer in customers]


def customer_details(uow: UnitOfWork, customer_id: int) -> CustomerDetails:
    with uow:
        customer = uow.session.get(Customer, customer_id)
        if customer is None:
            raise CustomerNotFound(str(customer_id))
        return _details(uow, customer)


def _details(uow: UnitOfWork, customer: Customer) -> CustomerDetails:
    devices = uow.session.execute(
        select(Device.external_id, Device.kind)
        .where(Device.customer_id == customer.id)
        .order_by(Device.id)
    ).all()
    kiosk = uow.session.scalar(
        select(WalkInSession.kiosk_id).where(WalkInSession.customer_id == customer.id)
    )
    listed = tuple(DeviceView(external_id, kind) for external_id, kind in devices)
    return CustomerDetails(_view(customer), listed, kiosk)


def customer_names(uow: UnitOfWork, customer_ids: Sequence[int]) -> dict[int, str]:
    with uow:
        rows = uow.connection.execute(
            select(Customer.id, Customer.name).where(Customer.id.in_(list(set(customer_ids))))
        ).all()
        return {customer_id: name for customer_id, name in rows}


def unlink_device(uow: UnitOfWork, external_id: str) -> CustomerView:
    """Forgets a device: a kiosk unlinked from its household serves walk-ins again."""
    with uow:
        device = uow.session.scalar(select(Device).where(Device.external_id == external_id))
        if device is None:
            raise CustomerNotFound(external_id)
        owner = uow.session.get(Customer, device.customer_id)
        assert owner is not None  # the foreign key guarantees it
        uow.session.execute(delete(Device).where(Device.id == device.id))
        uow.commit()
        return _view(owner)

