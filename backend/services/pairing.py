"""Pairing a companion screen with a household by a short code the screen shows.

A screen nobody knows yet asks for a code; the customer says it to their speaker ("pair screen
4 7 1 9"), which links the screen's device id to the speaker's household. Codes live in the
store, not in memory, so the screen and the speaker may be served by different processes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from backend.clock import utcnow
from backend.errors import CustomerNotFound, DomainError
from backend.persistence.models import (
    PAIRING_CODE_DIGITS,
    Customer,
    Device,
    DeviceKind,
    ScreenPairing,
)
from backend.rate_limits import SlidingWindow
from backend.services.walk_ins import screen_customer
from backend.unit_of_work import UnitOfWork

PAIRING_TTL = timedelta(minutes=10)
CODE_DIGITS = PAIRING_CODE_DIGITS
_CODE_ATTEMPTS = 50
# Wrong spoken codes: 10,000 codes with a few live ones must not be guessable by trying them.
# Per household, and across all households (one person can open many accounts).
WRONG_CODES_PER_HOUSEHOLD = SlidingWindow(limit=5, seconds=600)
WRONG_CODES_OVERALL = SlidingWindow(limit=100, seconds=600)
_EVERYONE = "*"


def forget_wrong_codes() -> None:
    """Clears the counts of wrong codes (tests start each from none)."""
    WRONG_CODES_PER_HOUSEHOLD.reset()
    WRONG_CODES_OVERALL.reset()


class PairingCodeNotFound(DomainError):
    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(
            f"No screen is showing code {code}, or it expired. Open the screen again and say "
            "the code it shows."
        )


class PairingAttemptsLimited(DomainError):
    """Too many wrong codes were said lately; nothing is checked until the wait is over."""

    def __init__(self, retry_after_seconds: float) -> None:
        self.retry_after_seconds = retry_after_seconds
        self.until = utcnow() + timedelta(seconds=retry_after_seconds)
        self.minutes = max(1, round(retry_after_seconds / 60))
        super().__init__(
            f"Too many wrong screen codes were said. Try again in {self.minutes} minutes."
        )


class PairingCodesExhausted(DomainError):
    def __init__(self) -> None:
        super().__init__(
            "Too many screens are waiting to be paired right now. Try again in a few minutes."
        )


class DeviceNotLinkable(DomainError):
    """A link may pair a new screen or refresh its own household's screen, nothing else."""

    def __init__(self, device_id: str) -> None:
        self.device_id = device_id
        super().__init__(
            f"'{device_id}' is already a device of another household or of another kind; "
            "a pairing link cannot move it."
        )


class ScreenAlreadyPaired(DomainError):
    def __init__(self, device_id: str) -> None:
        self.device_id = device_id
        super().__init__(f"Screen '{device_id}' is already paired with a household.")


@dataclass(frozen=True)
class PairingCode:
    device_id: str
    code: str
    expires_at: datetime


@dataclass(frozen=True)
class PairedScreen:
    device_id: str
    customer_id: int


def household_of(uow: UnitOfWork, device_id: str) -> int | None:
    """The customer a device belongs to, or None while it is unpaired."""
    with uow:
        return uow.session.scalar(select(Device.customer_id).where(Device.external_id == device_id))


def households_of(uow: UnitOfWork, device_ids: list[str]) -> dict[str, int]:
    """household_of for many devices in one query per 500; unpaired ones are left out."""
    found: dict[str, int] = {}
    with uow:
        for start in range(0, len(device_ids), 500):
            chunk = device_ids[start : start + 500]
            rows = uow.connection.execute(
                select(Device.external_id, Device.customer_id).where(Device.external_id.in_(chunk))
            )
            found.update({device_id: customer_id for device_id, customer_id in rows})
    return found


def live_code(uow: UnitOfWork, device_id: str) -> PairingCode | None:
    """The code an unpaired screen is showing now, if it has one (never makes one)."""
    with uow:
        row = uow.session.scalar(
            select(ScreenPairing).where(
                ScreenPairing.device_external_id == device_id, ScreenPairing.expires_at > utcnow()
            )
        )
        return PairingCode(row.device_external_id, row.code, row.expires_at) if row else None


def pairing_code(uow: UnitOfWork, device_id: str) -> PairingCode:
    """The live code for an unpaired screen: the same one until it expires, then a new one."""
    for _attempt in range(_CODE_ATTEMPTS):
        try:
            with uow:
                if _device(uow, device_id) is not None:
                    raise ScreenAlreadyPaired(device_id)
                now = utcnow()
                uow.session.execute(delete(ScreenPairing).where(ScreenPairing.expires_at <= now))
                row = uow.session.scalar(
                    select(ScreenPairing).where(ScreenPairing.device_external_id == device_id)
                )
                if row is None:
                    row = ScreenPairing(
                        device_external_id=device_id,
                        code=_random_code(),
                        expires_at=now + PAIRING_TTL,
                        created_at=now,
                    )
                    uow.session.add(row)
                    uow.session.flush()
                uow.commit()
                return PairingCode(row.device_external_id, row.code, row.expires_at)
        except IntegrityError:
            continue  # the code (or this screen) was taken by a concurrent request: draw again
    raise PairingCodesExhausted()


def _random_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def claim_code(uow: UnitOfWork, code: str, customer_id: int) -> PairedScreen:
    """Links the screen showing `code` to the customer; the code cannot be used twice.

    Raises PairingAttemptsLimited, before looking the code up, after too many wrong codes."""
    code = code.strip()
    wait = max(
        WRONG_CODES_PER_HOUSEHOLD.retry_after(customer_id),
        WRONG_CODES_OVERALL.retry_after(_EVERYONE),
    )
    if wait > 0:
        raise PairingAttemptsLimited(wait)
    with uow:
        if uow.session.get(Customer, customer_id) is None:
            raise CustomerNotFound(str(customer_id))
        row = uow.session.scalar(
            select(ScreenPairing)
            .where(ScreenPairing.code == code, ScreenPairing.expires_at > utcnow())
            .with_for_update()
        )
        if row is None:
            WRONG_CODES_PER_HOUSEHOLD.record(customer_id)
            WRONG_CODES_OVERALL.record(_EVERYONE)
            raise PairingCodeNotFound(code)
        device_id = row.device_external_id
        uow.session.delete(row)
        if _device(uow, device_id) is not None:
            # Paired some other way (a kiosk link) since the code was shown: keep that pairing.
            uow.commit()
            raise PairingCodeNotFound(code)
        uow.session.add(
            Device(customer_id=customer_id, kind=DeviceKind.SCREEN, external_id=device_id)
        )
        uow.commit()
        return PairedScreen(device_id, customer_id)


def link_screen(uow: UnitOfWork, device_id: str, customer_id: int) -> PairedScreen:
    """Pairs a screen directly (a kiosk link signed by the shop). A link never moves a device:
    an existing device of another kind or another household raises DeviceNotLinkable.

    A link naming a walk-in customer pairs the screen with whoever is at that kiosk now (the
    kiosk's screens follow its walk-ins, so that is also who an existing screen follows).
    """
    customer_id = screen_customer(uow, customer_id)
    with uow:
        if uow.session.get(Customer, customer_id) is None:
            raise CustomerNotFound(str(customer_id))
        device = _device(uow, device_id)
        if device is None:
            uow.session.add(
                Device(customer_id=customer_id, kind=DeviceKind.SCREEN, external_id=device_id)
            )
        elif device.kind != DeviceKind.SCREEN or device.customer_id != customer_id:
            raise DeviceNotLinkable(device_id)
        uow.session.execute(
            delete(ScreenPairing).where(ScreenPairing.device_external_id == device_id)
        )
        uow.commit()
        return PairedScreen(device_id, customer_id)


def _device(uow: UnitOfWork, device_id: str) -> Device | None:
    return uow.session.scalar(select(Device).where(Device.external_id == device_id))
