import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from backend.clock import utcnow
from backend.errors import InvalidVoiceCode, PurchasesLocked, WrongVoiceCode
from backend.persistence.models import Customer
from backend.services import customers


def test_the_voice_code_is_stored_hashed_not_in_plain_text(shop):
    customers.set_voice_code(shop.uow(), shop.customer_id, "4719")
    with shop.uow() as uow:
        stored = uow.session.get(Customer, shop.customer_id).voice_code_hash
    assert stored and "4719" not in stored and stored.startswith("scrypt$")


def test_the_right_code_passes(shop):
    customers.set_voice_code(shop.uow(), shop.customer_id, "4719")
    customers.verify_voice_code(shop.uow(), shop.customer_id, "4719")


def test_a_wrong_code_says_how_many_attempts_are_left(shop):
    customers.set_voice_code(shop.uow(), shop.customer_id, "4719")
    with pytest.raises(WrongVoiceCode) as raised:
        customers.verify_voice_code(shop.uow(), shop.customer_id, "1234")
    assert raised.value.attempts_left == 2


def test_three_wrong_codes_lock_purchasing_for_15_minutes(shop):
    customers.set_voice_code(shop.uow(), shop.customer_id, "4719")
    for _ in range(2):
        with pytest.raises(WrongVoiceCode):
            customers.verify_voice_code(shop.uow(), shop.customer_id, "0000")
    with pytest.raises(PurchasesLocked) as raised:
        customers.verify_voice_code(shop.uow(), shop.customer_id, "0000")
    assert timedelta(minutes=14) < raised.value.until - utcnow() <= timedelta(minutes=15)
    with pytest.raises(PurchasesLocked):
        customers.verify_voice_code(shop.uow(), shop.customer_id, "4719")
    with pytest.raises(PurchasesLocked):
        customers.ensure_purchases_allowed(shop.uow(), shop.customer_id)


def test_the_lock_ends_after_15_minutes(shop):
    customers.set_voice_code(shop.uow(), shop.customer_id, "4719")
    with shop.uow() as uow:
        uow.session.get(Customer, shop.customer_id).purchases_locked_until = utcnow() - timedelta(
            seconds=1
        )
        uow.commit()
    customers.ensure_purchases_allowed(shop.uow(), shop.customer_id)
    customers.verify_voice_code(shop.uow(), shop.customer_id, "4719")


@pytest.mark.parametrize("code", ["123", "12345", "abcd"])
def test_a_voice_code_must_be_four_digits(shop, code):
    with pytest.raises(InvalidVoiceCode):
        customers.set_voice_code(shop.uow(), shop.customer_id, code)


def test_a_new_alexa_user_gets_a_customer_and_cart_once(shop):
    from backend.persistence.models import DeviceKind

    first = customers.customer_for_device(shop.uow(), "amzn1.ask.account.X", DeviceKind.ALEXA_USER)
    again = customers.customer_for_device(shop.uow(), "amzn1.ask.account.X", DeviceKind.ALEXA_USER)
    assert first.id == again.id != shop.customer_id


def _concurrent_tries(shop, codes):
    """Each code tried at once from its own thread; what each try raised (None: passed)."""
    barrier = threading.Barrier(len(codes))

    def attempt(code):
        barrier.wait()
        try:
            customers.verify_voice_code(shop.uow(), shop.customer_id, code)
        except (WrongVoiceCode, PurchasesLocked) as error:
            return type(error)
        return None

    with ThreadPoolExecutor(max_workers=len(codes)) as pool:
        return list(pool.map(attempt, codes))


def test_concurrent_wrong_codes_are_counted_one_by_one_and_lock_purchasing(shop):
    customers.set_voice_code(shop.uow(), shop.customer_id, "4719")
    outcomes = _concurrent_tries(shop, ["0000"] * 15)
    assert outcomes.count(WrongVoiceCode) == 2
    assert outcomes.count(PurchasesLocked) == 13
    with pytest.raises(PurchasesLocked):
        customers.verify_voice_code(shop.uow(), shop.customer_id, "4719")


def test_the_right_code_among_concurrent_wrong_ones_leaves_purchasing_locked(shop):
    # The review's attack: 15 wrong codes and the right one at once. The right one may pass
    # only if it was counted before the third wrong one; purchasing ends up locked either way
    # unless it came first (then the wrong ones are counted afresh and lock it again).
    customers.set_voice_code(shop.uow(), shop.customer_id, "4719")
    outcomes = _concurrent_tries(shop, ["0000"] * 15 + ["4719"])
    assert outcomes[:15].count(WrongVoiceCode) <= 4
    assert outcomes[:15].count(WrongVoiceCode) + outcomes[:15].count(PurchasesLocked) == 15
    with pytest.raises(PurchasesLocked):
        customers.ensure_purchases_allowed(shop.uow(), shop.customer_id)
