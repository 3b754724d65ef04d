"""The session runner in-process: launch phrases, devices and screen summaries."""

from pathlib import Path

import pytest

from backend.runtime import Backend
from skill.builder import build_skill
from voice_local.conversation import LocalConversation
from voice_local.nlu.interaction_model import load_interaction_model
from voice_local.nlu.matcher import IntentMatcher
from voice_local.simulator.devices import simulated_device
from voice_local.simulator.session import SimulatorSession, is_launch_phrase

MODEL = Path(__file__).resolve().parents[2] / "interaction_models" / "en-US.json"


@pytest.fixture(scope="module")
def matcher():
    return IntentMatcher(load_interaction_model(MODEL))


def session_on(shop, matcher, preset):
    skill = build_skill(Backend(shop.store, shop.hub))
    device = simulated_device(preset, matcher.model.locale)
    return SimulatorSession(LocalConversation(skill, matcher.model, device), matcher)


@pytest.mark.parametrize(
    "said", ["open corner shop", "Alexa, launch Corner Shop", "start corner shop"]
)
def test_the_invocation_alone_is_a_launch(matcher, said):
    assert is_launch_phrase(said, matcher.model)


@pytest.mark.parametrize("said", ["ask corner shop to add milk", "open the cart", "corner shop"])
def test_a_request_is_not_a_launch(matcher, said):
    assert not is_launch_phrase(said, matcher.model)


def test_an_echo_show_summarizes_the_cart_screen(sqlite_shop, matcher):
    turn = session_on(sqlite_shop, matcher, "echo-show").say("add two oat milks")
    [screen] = turn.screens
    assert (screen.token, screen.title, screen.total) == ("cart", "Your cart", "$9.98")
    assert screen.items == ("2 × oat milk  $9.98",)


def test_an_echo_dot_has_no_screen_but_a_card(sqlite_shop, matcher):
    turn = session_on(sqlite_shop, matcher, "echo-dot").say("add two oat milks")
    assert turn.screens == ()
    assert turn.reply.card_title == "Your cart"
    supported = turn.reply.request["context"]["System"]["device"]["supportedInterfaces"]
    assert supported == {}


def test_the_kiosk_preset_speaks_for_the_demo_household(sqlite_shop, matcher):
    turn = session_on(sqlite_shop, matcher, "kiosk").say("open corner shop")
    assert turn.intent == "LaunchRequest"
    assert turn.reply.request["context"]["System"]["device"]["deviceId"] == "kiosk-1"


def test_turns_are_numbered_and_timed(sqlite_shop, matcher):
    session = session_on(sqlite_shop, matcher, "echo-show")
    session.say("open corner shop")
    second = session.say("what's in my cart")
    assert second.number == 2
    assert second.timings.skill_ms > 0 and second.timings.stt_ms is None


def test_an_unknown_device_is_refused():
    with pytest.raises(ValueError, match="choose one of echo-show, echo-dot, kiosk"):
        simulated_device("echo-spot", "en-US")


def test_a_configured_skill_id_is_the_application_id_the_device_sends():
    device = simulated_device("echo-dot", "en-US", application_id="amzn1.ask.skill.real")
    assert (device.application_id, device.device_id) == ("amzn1.ask.skill.real", "sim-echo-dot")


def test_a_renamed_shop_opens_by_its_own_name(matcher: IntentMatcher) -> None:
    from voice_local.conversation import is_launch_phrase

    assert is_launch_phrase("open bean counter", matcher.model, ("Bean Counter",))
    assert not is_launch_phrase("open bean counter", matcher.model)
