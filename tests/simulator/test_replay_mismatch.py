"""A script whose expectations the skill does not meet fails with a readable report."""

import json


def write_script(tmp_path, user_input, expected):
    path = tmp_path / "dialog.json"
    path.write_text(json.dumps({
        "skillId": "amzn1.ask.skill.test", "locale": "en-US", "type": "text",
        "userInput": user_input, "expected": expected,
    }))
    return path


def test_a_wrong_speech_expectation_exits_1_with_a_diff_of_the_turn(simulate, tmp_path):
    script = write_script(
        tmp_path, ["add two oat milks", "what's in my cart"], [None, "Your cart has 3 bananas"]
    )
    result = simulate("--replay", str(script))
    assert result.returncode == 1
    report = result.stdout
    assert "✗ turn 2 (\"what's in my cart\") did not match:" in report
    assert "- expected: Your cart has 3 bananas" in report
    assert "+ actual:   Your cart has 2 oat milks" in report
    assert "1 of 2 turns did not match (turn 2)" in report


def test_wrong_intent_and_session_end_are_each_reported(simulate, tmp_path):
    script = write_script(
        tmp_path, ["check out"], [{"intent": "ReadCartIntent", "endsSession": True}]
    )
    result = simulate("--replay", str(script))
    assert result.returncode == 1
    assert "- expected: ReadCartIntent" in result.stdout
    assert "+ actual:   CheckoutIntent" in result.stdout
    assert "endsSession" in result.stdout


def test_a_broken_script_is_a_clear_error_not_a_traceback(simulate, tmp_path):
    script = write_script(tmp_path, ["add milk"], ["one", "two"])
    result = simulate("--replay", str(script))
    assert result.returncode == 1
    assert "\"expected\" has 2 entries for 1 inputs" in result.stderr
    assert "Traceback" not in result.stderr
