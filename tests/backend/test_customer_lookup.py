"""The per-turn customer lookup: one statement, and the first known id wins."""

from __future__ import annotations

import pytest

from backend.errors import CustomerNotFound
from backend.persistence.models import DeviceKind
from backend.services.customers import create_customer, find_by_first_device
from tests.conftest import Shop


def test_the_first_known_id_wins_whatever_the_order_in_the_database(sqlite_shop: Shop) -> None:
    kiosk = create_customer(
        sqlite_shop.uow(), "Kiosk household", devices=[(DeviceKind.KIOSK, "dev-linked")]
    )
    account = create_customer(
        sqlite_shop.uow(), "Account household", devices=[(DeviceKind.ALEXA_USER, "user-1")]
    )
    assert find_by_first_device(sqlite_shop.uow(), ("dev-linked", "user-1")).id == kiosk.id
    assert find_by_first_device(sqlite_shop.uow(), ("dev-unknown", "user-1")).id == account.id
    assert find_by_first_device(sqlite_shop.uow(), ("user-1", "dev-linked")).id == account.id


def test_no_known_id_is_not_found(sqlite_shop: Shop) -> None:
    with pytest.raises(CustomerNotFound):
        find_by_first_device(sqlite_shop.uow(), ("nobody", "no-account"))
