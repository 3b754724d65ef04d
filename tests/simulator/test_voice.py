"""--voice: the typed text is spoken by espeak-ng and recognized by pocketsphinx first."""

import json

import pytest

pytestmark = pytest.mark.slow


def test_a_spoken_line_is_transcribed_then_understood(simulate):
    result = simulate("--voice", "--json", stdin="what's in my cart\n")
    assert result.returncode == 0, result.stderr
    [turn] = [json.loads(line) for line in result.stdout.splitlines()]
    assert turn["transcript"] == "what's in my cart"
    assert turn["intent"] == "ReadCartIntent"
    assert turn["speech"].startswith("Your cart is empty.")
    assert turn["timingsMs"]["stt"] > 0 and turn["timingsMs"]["tts"] > 0
