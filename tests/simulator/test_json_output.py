"""--json prints one parseable object per turn, for scripts and CI."""

import json

from tests.simulator.conftest import EXAMPLES


def test_every_replayed_turn_is_one_json_object(simulate):
    result = simulate("--replay", str(EXAMPLES / "purchase_with_confirmation.json"), "--json")
    assert result.returncode == 0, result.stderr
    turns = [json.loads(line) for line in result.stdout.splitlines()]
    assert [turn["turn"] for turn in turns] == [1, 2, 3, 4, 5, 6]
    assert all(turn["passed"] for turn in turns)
    added = turns[1]
    assert added["intent"] == "AddToCartIntent"
    assert added["slots"]["product"] == {
        "spoken": "oat milks", "value": "oat milk", "id": "GRO-OATMILK"
    }
    assert added["screens"][0]["total"] == "$9.98"
    assert set(added["timingsMs"]) == {"nlu", "skill"}
    assert turns[-1]["endsSession"] is True
    assert turns[-1]["screens"][0]["number"].startswith("A-")


def test_interactive_json_lines_carry_no_replay_verdict(simulate):
    result = simulate("--json", stdin="what's in my cart\n")
    [turn] = [json.loads(line) for line in result.stdout.splitlines()]
    assert turn["intent"] == "ReadCartIntent"
    assert "passed" not in turn
