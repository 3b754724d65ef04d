from tests.skill.conftest import speech


def test_help_stop_home_and_fallback_answer(talk):
    chat = talk()
    assert speech(chat.say("help")).startswith("You can add things")
    assert speech(chat.say("fallback")).startswith("Sorry, I didn't get that.")
    assert speech(chat.say("navigate_home")) == "OK. What would you like to do?"
    stop = chat.say("stop")
    assert speech(stop) == "Goodbye!" and stop["response"]["shouldEndSession"] is True


def test_a_store_that_went_away_gets_a_spoken_apology_not_a_crash(talk, sqlite_shop):
    import os

    chat = talk()
    chat.say("launch")
    sqlite_shop.store.engine.dispose()
    path = sqlite_shop.store.url.removeprefix("sqlite:///")
    os.replace(path, path + ".moved")
    try:
        reply = chat.say("add_oat_milk_resolved")
    finally:
        os.replace(path + ".moved", path)
    assert speech(reply) == (
        "Sorry, the shop can't take requests right now. Please try again in a minute."
    )
    assert speech(chat.say("read_cart")).startswith(
        "Your cart is empty."
    )  # recovered, nothing added


def test_a_new_alexa_account_becomes_a_household_of_its_own(talk):
    talk().say("add_oat_milk_resolved")
    stranger = talk(user_id="amzn1.ask.account.SOMEONEELSE")
    assert speech(stranger.say("read_cart")).startswith("Your cart is empty.")


def test_a_kiosk_device_linked_to_the_demo_household_uses_its_cart(talk):
    talk(device_id="kiosk-1").say("add_oat_milk_resolved")
    reply = talk(device_id="kiosk-1", user_id="amzn1.ask.account.ANY").say("read_cart")
    assert speech(reply).startswith("Your cart has 2 oat milks")
