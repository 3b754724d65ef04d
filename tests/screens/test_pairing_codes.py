"""Pairing codes in the store: shown by a screen, said once to a speaker, then gone."""

from datetime import timedelta

import pytest
from sqlalchemy import update

from backend.clock import utcnow
from backend.persistence.models import DeviceKind
from backend.services.customers import create_customer, find_by_device
from backend.services.pairing import (
    DeviceNotLinkable,
    PairingAttemptsLimited,
    PairingCodeNotFound,
    PairingCodesExhausted,
    ScreenAlreadyPaired,
    ScreenPairing,
    claim_code,
    household_of,
    link_screen,
    live_code,
    pairing_code,
)
from tests.screens.conftest import fill_the_code_pool


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


def test_a_kiosk_link_never_moves_a_screen_of_another_household(shop):
    neighbour = create_customer(shop.uow(), "Neighbour", devices=[(DeviceKind.SCREEN, "shared")])
    with pytest.raises(DeviceNotLinkable):
        link_screen(shop.uow(), "shared", shop.customer_id)
    assert household_of(shop.uow(), "shared") == neighbour.id


def test_a_kiosk_link_never_relinks_a_device_of_another_kind(shop):
    neighbour = create_customer(shop.uow(), "Neighbour")
    with pytest.raises(DeviceNotLinkable):
        link_screen(shop.uow(), "kiosk-1", neighbour.id)
    with pytest.raises(DeviceNotLinkable):  # not even for its own household
        link_screen(shop.uow(), "kiosk-1", shop.customer_id)
    assert household_of(shop.uow(), "kiosk-1") == shop.customer_id


def test_a_kiosk_link_may_open_its_own_households_screen_again(shop):
    assert link_screen(shop.uow(), "screen-1", shop.customer_id).customer_id == shop.customer_id


def test_a_full_pool_of_codes_is_a_clear_error_not_a_crash(shop):
    fill_the_code_pool(shop.uow())
    with pytest.raises(PairingCodesExhausted) as raised:
        pairing_code(shop.uow(), "screen-new")
    assert "Try again in a few minutes" in raised.value.message


def test_live_code_never_makes_a_code(shop):
    assert live_code(shop.uow(), "screen-new") is None
    shown = pairing_code(shop.uow(), "screen-new")
    assert live_code(shop.uow(), "screen-new") == shown


def test_after_five_wrong_codes_a_household_must_wait_even_with_the_right_one(shop):
    code = pairing_code(shop.uow(), "screen-new").code
    wrong = f"{(int(code) + 1) % 10000:04d}"
    for _ in range(5):
        with pytest.raises(PairingCodeNotFound):
            claim_code(shop.uow(), wrong, shop.customer_id)
    with pytest.raises(PairingAttemptsLimited) as raised:
        claim_code(shop.uow(), code, shop.customer_id)
    assert raised.value.minutes == 10
    assert household_of(shop.uow(), "screen-new") is None


def test_wrong_codes_of_one_household_do_not_hold_up_another(shop):
    code = pairing_code(shop.uow(), "screen-new").code
    wrong = f"{(int(code) + 1) % 10000:04d}"
    for _ in range(5):
        with pytest.raises(PairingCodeNotFound):
            claim_code(shop.uow(), wrong, shop.customer_id)
    neighbour = create_customer(shop.uow(), "Neighbour")
    assert claim_code(shop.uow(), code, neighbour.id).customer_id == neighbour.id


def test_wrong_codes_from_many_households_are_limited_together(shop):
    """One person with many accounts cannot try the whole pool either."""
    code = pairing_code(shop.uow(), "screen-new").code
    wrong = f"{(int(code) + 1) % 10000:04d}"
    households = [create_customer(shop.uow(), f"Account {n}").id for n in range(21)]
    for household in households[:20]:
        for _ in range(5):
            with pytest.raises(PairingCodeNotFound):
                claim_code(shop.uow(), wrong, household)
    with pytest.raises(PairingAttemptsLimited):
        claim_code(shop.uow(), code, households[20])
