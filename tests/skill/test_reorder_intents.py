from tests.skill.conftest import directive_types, speech


def buy(talk, *fixtures):
    chat = talk()
    for fixture in fixtures:
        chat.say(fixture)
    chat.say("checkout")
    chat.say("checkout_confirmed")


def test_reorder_my_last_order_fills_the_cart_and_asks_to_confirm(talk):
    buy(talk, "add_oat_milk_resolved")
    reply = talk().say("reorder_last")
    assert speech(reply).startswith("I've added 2 oat milks from your last order. That's ")
    assert speech(reply).endswith("Shall I place the order?")
    assert "Dialog.ConfirmIntent" in directive_types(reply)


def test_a_confirmed_reorder_places_the_order(talk):
    buy(talk, "add_oat_milk_resolved")
    chat = talk()
    chat.say("reorder_usual")
    assert speech(chat.say("reorder_confirmed")).startswith("Done! Your order number is A 1 0 1")


def test_my_usual_is_the_most_often_bought_basket(talk):
    buy(talk, "add_large_latte")
    buy(talk, "add_oat_milk_resolved")
    buy(talk, "add_large_latte")
    assert speech(talk().say("reorder_usual")).startswith(
        "I've added a large latte from your usual order."
    )


def test_reordering_with_no_history_says_there_is_nothing_yet(talk):
    assert "There is no previous order to reorder" in speech(talk().say("reorder_last"))


def test_reordering_a_product_bought_before(talk):
    buy(talk, "add_oat_milk_resolved", "add_large_latte")
    reply = talk().say(
        "reorder_last", slot_values={"product": "oat milk"}, slot_ids={"product": "GRO-OATMILK"}
    )
    assert speech(reply).startswith("I've added 2 oat milks from your order A 1 0 0.")
