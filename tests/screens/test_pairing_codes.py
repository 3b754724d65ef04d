"""Pairing codes in the store: shown by a screen, said once to a speaker, then gone."""

from datetime import timedelta

import pytest
from sqlalchemy import update

from backend.clock import utcnow
from backend.persistence.models import DeviceKind
from backend.services.customers import create_customer, find_by_device
from backend.services.pairing import (
    PairingCodeNotFound,
    ScreenAlreadyPaired,
    ScreenPairing,
    claim_code,
    household_of,
    link_screen,
    pairing_code,
)


def test_a_waiting_screen_keeps_showing_the_same_four_digit_code(shop):
    first = pairing_code(shop.uow(), "screen-new")
    again = pairing_code(shop.uow(), "screen-new")
    assert again.code == first.code
    assert len(first.code) == 4 and first.code.isdigit()


def test_waiting_screens_get_different_codes(shop):
    codes = {pairing_code(shop.uow(), f"waiting-{n}").code for n in range(40)}
    assert len(codes) == 40


def test_saying_the_code_pairs_the_screen_with_the_speakers_household(shop):
    code = pairing_code(shop.uow(), "screen-new").code
    paired = claim_code(shop.uow(), code, shop.customer_id)
    assert paired.customer_id == shop.customer_id
    assert household_of(shop.uow(), "screen-new") == shop.customer_id


def test_a_code_pairs_only_once(shop):
    code = pairing_code(shop.uow(), "screen-new").code
    neighbour = create_customer(shop.uow(), "Neighbour")
    claim_code(shop.uow(), code, shop.customer_id)
    with pytest.raises(PairingCodeNotFound):
        claim_code(shop.uow(), code, neighbour.id)
    assert household_of(shop.uow(), "screen-new") == shop.customer_id


def test_an_expired_code_pairs_nothing(shop):
    code = pairing_code(shop.uow(), "screen-new").code
    with shop.uow() as uow:
        uow.session.execute(
            update(ScreenPairing).values(expires_at=utcnow() - timedelta(seconds=1))
        )
        uow.commit()
    with pytest.raises(PairingCodeNotFound):
        claim_code(shop.uow(), code, shop.customer_id)
    assert household_of(shop.uow(), "screen-new") is None


def test_an_expired_code_is_replaced_by_a_fresh_one(shop):
    pairing_code(shop.uow(), "screen-new")
    with shop.uow() as uow:
        uow.session.execute(
            update(ScreenPairing).values(expires_at=utcnow() - timedelta(seconds=1))
        )
        uow.commit()
    fresh = pairing_code(shop.uow(), "screen-new")
    assert fresh.expires_at > utcnow() + timedelta(minutes=9)


def test_a_paired_screen_gets_no_code(shop):
    with pytest.raises(ScreenAlreadyPaired):
        pairing_code(shop.uow(), "screen-1")


def test_a_kiosk_link_pairs_a_screen_and_cancels_its_code(shop):
    code = pairing_code(shop.uow(), "screen-new").code
    link_screen(shop.uow(), "screen-new", shop.customer_id)
    assert find_by_device(shop.uow(), "screen-new").id == shop.customer_id
    with pytest.raises(PairingCodeNotFound):
        claim_code(shop.uow(), code, shop.customer_id)


def test_a_kiosk_link_moves_a_screen_to_the_linked_household(shop):
    neighbour = create_customer(shop.uow(), "Neighbour", devices=[(DeviceKind.SCREEN, "shared")])
    link_screen(shop.uow(), "shared", shop.customer_id)
    assert household_of(shop.uow(), "shared") == shop.customer_id != neighbour.id
