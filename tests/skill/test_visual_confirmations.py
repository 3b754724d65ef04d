from tests.skill.conftest import speech


def apl_directives(reply):
    return [
        d
        for d in reply["response"].get("directives") or []
        if d["type"] == "Alexa.Presentation.APL.RenderDocument"
    ]


def test_a_screen_device_gets_an_apl_cart_with_items_and_total(talk):
    reply = talk(apl=True).say("add_oat_milk_resolved")
    [directive] = apl_directives(reply)
    view = directive["datasources"]["payload"]["view"]
    assert view["lines"] == [{"quantity": 2, "name": "oat milk", "price": "$9.98"}]
    assert view["total"] == "$9.98"
    assert directive["document"]["type"] == "APL"


def test_a_device_without_a_screen_gets_no_apl(talk):
    assert apl_directives(talk(apl=False).say("add_oat_milk_resolved")) == []


def test_every_device_gets_a_card_for_the_alexa_app(talk):
    card = talk().say("add_oat_milk_resolved")["response"]["card"]
    assert card["type"] == "Simple"
    assert "2 × oat milk" in card["content"]


def test_the_order_confirmation_shows_number_status_and_timeline(talk):
    chat = talk(apl=True)
    chat.say("add_oat_milk_resolved")
    chat.say("checkout")
    reply = chat.say("checkout_confirmed")
    [directive] = apl_directives(reply)
    view = directive["datasources"]["payload"]["view"]
    assert (view["number"], view["status"]) == ("A-100", "Placed")
    assert [row["status"] for row in view["timeline"]] == ["Placed"]
    assert speech(reply).startswith("Done!")


def test_skill_changes_are_screen_events_for_the_companion_screens(talk, sqlite_shop):
    start = sqlite_shop.hub.latest_id()
    chat = talk()
    chat.say("add_oat_milk_resolved")
    chat.say("checkout")
    chat.say("checkout_confirmed")
    kinds = [event.kind for event in sqlite_shop.hub.read_since(start)]
    assert kinds == ["cart_updated", "cart_updated", "order_placed"]
