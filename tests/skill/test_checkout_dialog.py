from sqlalchemy import func, select

from backend.persistence.models import Order
from backend.services import customers
from tests.skill.conftest import directive_types, speech


def order_count(shop):
    with shop.uow() as uow:
        return uow.session.scalar(select(func.count(Order.id)))


def filled(talk, **options):
    chat = talk(**options)
    chat.say("add_oat_milk_resolved")
    chat.say("add_large_latte")
    return chat


def test_checkout_reads_back_items_and_total_and_asks_to_confirm(talk, sqlite_shop):
    reply = filled(talk).say("checkout")
    assert speech(reply).startswith("2 oat milks and a large latte, ")
    assert speech(reply).endswith("Shall I place the order?")
    assert "Dialog.ConfirmIntent" in directive_types(reply)
    assert order_count(sqlite_shop) == 0


def test_confirming_places_the_order_and_says_its_number(talk, sqlite_shop):
    chat = filled(talk)
    chat.say("checkout")
    reply = chat.say("checkout_confirmed")
    assert speech(reply).startswith("Done! Your order number is A 1 0 0: 2 oat milks and a large")
    assert "ready for pickup" in speech(reply)
    assert order_count(sqlite_shop) == 1


def test_declining_places_nothing_and_keeps_the_cart(talk, sqlite_shop):
    chat = filled(talk)
    chat.say("checkout")
    assert speech(chat.say("checkout_denied")) == "OK, I won't place the order. Your cart is kept."
    assert order_count(sqlite_shop) == 0
    assert speech(chat.say("read_cart")).startswith("Your cart has 2 oat milks")


def test_a_retried_confirmation_returns_the_same_order(talk, sqlite_shop):
    chat = filled(talk)
    chat.say("checkout")
    attributes = chat.attributes
    first = chat.say("checkout_confirmed", request_id="amzn1.echo-api.request.retry-me")
    chat.attributes = attributes  # Alexa resends the identical request
    again = chat.say("checkout_confirmed", request_id="amzn1.echo-api.request.retry-me")
    assert speech(again) == speech(first)
    assert order_count(sqlite_shop) == 1


def test_a_cart_changed_by_another_device_is_confirmed_again(talk, sqlite_shop):
    chat = filled(talk)
    chat.say("checkout")
    other_device = talk()
    other_device.say("add_unresolved_product")
    reply = chat.say("checkout_confirmed")
    assert speech(reply).startswith("Your cart changed. It now has 2 oat milks, a large latte and")
    assert order_count(sqlite_shop) == 0


def test_checkout_of_an_empty_cart_says_it_is_empty(talk, sqlite_shop):
    assert speech(talk().say("checkout")).startswith("Your cart is empty.")


def test_yes_and_no_intents_answer_the_purchase_question_too(talk, sqlite_shop):
    chat = filled(talk)
    chat.say("checkout")
    assert speech(chat.say("no")).startswith("OK, I won't place the order.")
    chat.say("checkout")
    assert speech(chat.say("yes")).startswith("Done! Your order number is")
    assert order_count(sqlite_shop) == 1


def test_yes_with_no_question_open_says_so(talk):
    assert speech(talk().say("yes")).startswith("There's nothing waiting for a yes or no.")


def alexa_customer(sqlite_shop):
    from backend.persistence.models import DeviceKind

    return customers.customer_for_device(
        sqlite_shop.uow(), "amzn1.ask.account.AGF7EXAMPLEHOUSEHOLD", DeviceKind.ALEXA_USER
    )


def test_with_a_voice_code_the_order_waits_for_the_code(talk, sqlite_shop):
    customers.set_voice_code(sqlite_shop.uow(), alexa_customer(sqlite_shop).id, "4719")
    chat = filled(talk)
    chat.say("checkout")
    assert speech(chat.say("checkout_confirmed")) == "Please say your four digit voice code."
    assert order_count(sqlite_shop) == 0
    assert speech(chat.say("voice_code")).startswith("Done! Your order number is")
    assert order_count(sqlite_shop) == 1


def test_three_wrong_codes_lock_purchasing_and_place_nothing(talk, sqlite_shop):
    customers.set_voice_code(sqlite_shop.uow(), alexa_customer(sqlite_shop).id, "4719")
    chat = filled(talk)
    chat.say("checkout")
    chat.say("checkout_confirmed")
    wrong = {"code": "1111"}
    assert "2 more tries" in speech(chat.say("voice_code", slot_values=wrong))
    assert "1 more try" in speech(chat.say("voice_code", slot_values=wrong))
    assert speech(chat.say("voice_code", slot_values=wrong)).startswith("Purchasing is locked")
    assert speech(chat.say("voice_code")).startswith("Purchasing is locked")
    assert speech(talk().say("checkout")).startswith("Purchasing is locked")
    assert order_count(sqlite_shop) == 0


def test_a_voice_code_never_appears_in_the_logs(talk, sqlite_shop, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    customers.set_voice_code(sqlite_shop.uow(), alexa_customer(sqlite_shop).id, "4719")
    chat = filled(talk)
    chat.say("checkout")
    chat.say("checkout_confirmed")
    chat.say("voice_code")
    assert "4719" not in caplog.text
    assert "<redacted>" in caplog.text
