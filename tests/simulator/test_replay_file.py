"""Reading `ask dialog --replay` files and checking turns against their "expected" entries."""

import json
from types import MappingProxyType

import pytest

from voice_local.conversation import SkillReply
from voice_local.nlu.matcher import ResolvedSlot
from voice_local.simulator.replay import (
    Expectation,
    ReplayFileError,
    check_turn,
    load_replay,
    speech_matches,
)
from voice_local.simulator.turns import SimulatedTurn, StageTimings


def replay_file(tmp_path, **content):
    path = tmp_path / "dialog.json"
    path.write_text(json.dumps(content))
    return path


def turn(speech="Added 2 oat milks.", intent="AddToCartIntent", ends=False, slots=None):
    reply = SkillReply(speech, None, ends, (), None, None, {}, {}, {})
    return SimulatedTurn(
        1, "add two oat milks", None, intent, MappingProxyType(slots or {}), 1.0, None, reply,
        (), StageTimings(nlu_ms=1.0, skill_ms=1.0),
    )


def test_a_plain_ask_cli_file_replays_without_expectations(tmp_path):
    script = load_replay(replay_file(
        tmp_path, skillId="amzn1.ask.skill.x", locale="en-US", type="text",
        userInput=["open corner shop", "check out"],
    ))
    assert script.locale == "en-US" and script.skill_id == "amzn1.ask.skill.x"
    assert script.turns() == [("open corner shop", None), ("check out", None)]


def test_replay_stops_at_quit_and_skips_other_ask_cli_commands(tmp_path):
    script = load_replay(replay_file(
        tmp_path, type="text", userInput=["hi", ".record out.json", "check out", ".quit", "yes"],
    ))
    assert [text for text, _ in script.turns()] == ["hi", "check out"]


def test_expectations_are_aligned_with_user_input(tmp_path):
    script = load_replay(replay_file(
        tmp_path, type="text", userInput=["a", "b", "c"],
        expected=[None, "Added", {"intent": "CheckoutIntent", "endsSession": False}],
    ))
    assert script.expected == (
        None, Expectation(speech="Added"),
        Expectation(intent="CheckoutIntent", ends_session=False),
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"type": "voice", "userInput": []}, "only \"type\": \"text\""),
        ({"type": "text", "userInput": "hello"}, "must be a list of strings"),
        ({"type": "text", "userInput": ["a"], "expected": ["x", "y"]}, "2 entries for 1 inputs"),
        ({"type": "text", "userInput": ["a"], "expected": ["/(unclosed/"]}, "bad regular exp"),
        ({"type": "text", "userInput": ["a"], "expected": [{"spech": "x"}]}, "unknown keys"),
        ({"type": "text", "userInput": ["a"], "expected": [{"endsSession": "yes"}]}, "true or"),
    ],
)
def test_a_malformed_replay_file_is_refused_with_the_reason(tmp_path, content, message):
    with pytest.raises(ReplayFileError, match=message):
        load_replay(replay_file(tmp_path, **content))


def test_a_file_that_is_not_json_names_the_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{ nope")
    with pytest.raises(ReplayFileError, match=r"broken\.json is not valid JSON"):
        load_replay(path)


def test_speech_expectation_is_a_case_insensitive_substring():
    assert speech_matches("added 2 OAT milks", "Added 2 oat milks. Your cart has 2 oat milks.")
    assert not speech_matches("Added 3", "Added 2 oat milks.")


def test_speech_between_slashes_is_a_regular_expression():
    assert speech_matches(r"/^Done! .* A \d \d \d/", "Done! Your order number is A 1 0 0.")
    assert not speech_matches(r"/^Your order/", "Done! Your order number is A 1 0 0.")


def test_a_matching_turn_has_no_mismatches():
    expected = Expectation("Added 2", "AddToCartIntent", False, MappingProxyType({"quantity": "2"}))
    slots = {"quantity": ResolvedSlot("quantity", "two", "2", None)}
    assert check_turn(expected, turn(slots=slots)) == ()


def test_each_unmet_expectation_is_one_mismatch_with_both_sides():
    expected = Expectation("Removed", "RemoveFromCartIntent", True, MappingProxyType({"p": "x"}))
    found = {m.field: (m.expected, m.actual) for m in check_turn(expected, turn())}
    assert found == {
        "speech": ("Removed", "Added 2 oat milks."),
        "intent": ("RemoveFromCartIntent", "AddToCartIntent"),
        "endsSession": ("True", "False"),
        "slots.p": ("x", "(empty)"),
    }
