from sqlalchemy import func, select

from backend.persistence.models import CartLine
from tests.skill.conftest import speech


def lines(shop):
    with shop.uow() as uow:
        return uow.session.scalar(select(func.count(CartLine.id)))


def test_adding_a_resolved_product_confirms_it_with_the_new_total(talk):
    reply = talk().say("add_oat_milk_resolved")
    assert speech(reply).startswith("Added 2 oat milks. Your cart has 2 oat milks, ")
    assert "dollars" in speech(reply)
    assert reply["response"]["shouldEndSession"] is False


def test_a_size_is_taken_from_the_unit_slot(talk):
    assert speech(talk().say("add_large_latte")).startswith("Added a large latte.")


def test_an_unresolved_product_is_matched_by_the_backend(talk):
    assert speech(talk().say("add_unresolved_product")).startswith("Added 3 packs of paper towels.")


def test_an_unclear_product_is_asked_back_and_yes_takes_the_first(talk, sqlite_shop):
    chat = talk()
    assert speech(chat.say("add_ambiguous_product")) == "Did you mean oat milk or soy milk?"
    assert lines(sqlite_shop) == 0
    assert speech(chat.say("yes")).startswith("Added an oat milk.")


def test_no_to_an_unclear_product_asks_what_to_add(talk, sqlite_shop):
    chat = talk()
    chat.say("add_ambiguous_product")
    assert speech(chat.say("no")) == "What would you like to add?"
    assert lines(sqlite_shop) == 0


def test_an_unknown_product_is_refused_with_suggestions(talk, sqlite_shop):
    envelope_slots = {"product": "motor oil"}
    chat = talk()
    reply = chat.say("add_unresolved_product", slot_values=envelope_slots)
    assert speech(reply).startswith("Sorry, we don't sell motor oil")
    assert lines(sqlite_shop) == 0


def test_a_quantity_out_of_range_says_the_range_and_adds_nothing(talk, sqlite_shop):
    for quantity in ("0", "1000"):
        reply = talk().say("add_oat_milk_resolved", slot_values={"quantity": quantity})
        assert "between 1 and 99" in speech(reply)
    assert lines(sqlite_shop) == 0


def test_an_absurd_slot_value_gets_i_didnt_get_that(talk, sqlite_shop):
    absurd = ["99999999999999", "x" * 10_000, "🥛🥛🥛", "'; DROP TABLE carts; --"]
    for value in absurd:
        reply = talk().say("add_oat_milk_resolved", slot_values={"quantity": value})
        assert speech(reply) == "Sorry, I didn't get that. Could you say it again?"
    reply = talk().say("add_unresolved_product", slot_values={"product": "y" * 10_000})
    assert speech(reply) == "Sorry, I didn't get that. Could you say it again?"
    assert lines(sqlite_shop) == 0


def test_an_unavailable_product_is_refused_with_its_reason(talk, catalog):
    reply = talk().say(
        "add_oat_milk_resolved",
        slot_values={"product": "almond milk"},
        slot_ids={"product": "GRO-ALMONDMILK"},
    )
    reason = catalog.product("GRO-ALMONDMILK").unavailable_reason
    assert speech(reply).startswith(f"Sorry, almond milk is not available: {reason}.")


def test_removing_a_product_reports_the_rest(talk):
    chat = talk()
    chat.say("add_oat_milk_resolved")
    chat.say("add_large_latte")
    reply = chat.say("remove_product")
    assert speech(reply).startswith("Removed 2 oat milks. Your cart has a large latte")


def test_reading_an_empty_cart_suggests_what_to_say(talk):
    assert speech(talk().say("read_cart")).startswith("Your cart is empty.")


def test_reading_the_cart_lists_items_and_total(talk):
    chat = talk()
    chat.say("add_oat_milk_resolved")
    chat.say("add_large_latte")
    assert speech(chat.say("read_cart")).startswith(
        "Your cart has 2 oat milks and a large latte. That's "
    )
