from backend.persistence.models import OrderStatus
from backend.services import orders
from tests.skill.conftest import directive_types, speech


def place(talk):
    chat = talk()
    chat.say("add_oat_milk_resolved")
    chat.say("checkout")
    chat.say("checkout_confirmed")
    return chat


def test_where_is_my_order_tells_the_latest_open_orders_status_and_eta(talk):
    place(talk)
    reply = talk().say("order_status")
    assert speech(reply).startswith("Order A 1 0 0 has been placed")
    assert "It should be ready around" in speech(reply)


def test_the_status_follows_the_shop_moving_the_order_on(talk, sqlite_shop):
    place(talk)
    for _ in range(3):
        orders.advance_order(sqlite_shop.uow(), "A-100")
    assert speech(talk().say("order_status")) == "Order A 1 0 0 is ready for pickup."


def test_a_named_order_is_found_by_letter_and_digits(talk):
    place(talk)
    assert speech(talk().say("order_status_numbered")).startswith("Order A 1 0 0 has been placed")


def test_an_unknown_order_number_says_to_check_the_receipt(talk):
    reply = talk().say("order_status_numbered", slot_values={"orderNumber": "999"})
    assert speech(reply) == "I couldn't find order A 9 9 9. Check the number on your receipt."


def test_with_no_open_order_status_says_so(talk):
    assert speech(talk().say("order_status")).startswith("You have no open orders.")


def test_cancelling_asks_first_then_cancels(talk, sqlite_shop):
    place(talk)
    chat = talk()
    reply = chat.say("cancel_order")
    assert speech(reply).startswith("Cancel order A 1 0 0, 2 oat milks, ")
    assert "Dialog.ConfirmIntent" in directive_types(reply)
    assert speech(chat.say("cancel_order_confirmed")) == "Order A 1 0 0 is cancelled."
    assert orders.get_order(sqlite_shop.uow(), "A-100").status == OrderStatus.CANCELLED


def test_saying_no_keeps_the_order(talk, sqlite_shop):
    place(talk)
    chat = talk()
    chat.say("cancel_order")
    assert speech(chat.say("no")) == "OK, order A 1 0 0 stays as it is."
    assert orders.get_order(sqlite_shop.uow(), "A-100").status == OrderStatus.PLACED


def test_an_order_being_prepared_cannot_be_cancelled(talk, sqlite_shop):
    place(talk)
    orders.advance_order(sqlite_shop.uow(), "A-100")
    orders.advance_order(sqlite_shop.uow(), "A-100")
    reply = talk().say("cancel_order")
    assert speech(reply) == (
        "Order A 1 0 0 is already being prepared, so it can't be cancelled anymore."
    )
