"""The kiosk's intent matcher takes whatever speech-to-text produced, however strange."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voice_local.nlu import IntentMatcher, load_interaction_model

MODELS = Path(__file__).resolve().parents[2] / "interaction_models"


@pytest.fixture(scope="module", params=["en-US", "ko-KR"])
def matcher(request: pytest.FixtureRequest) -> IntentMatcher:
    return IntentMatcher(load_interaction_model(MODELS / f"{request.param}.json"))


WORDS = st.sampled_from(
    ["add", "two", "oat", "milk", "milks", "a", "dozen", "check", "out", "cart", "yes", "the",
     "바나나", "넣어", "줘", "🥛", "'; DROP TABLE orders; --", "999999999999999999999", "-1"]
)
TRANSCRIPTS = (
    st.text(max_size=300)
    | st.lists(WORDS, max_size=40).map(" ".join)
    | st.text(alphabet=st.characters(categories=["Nd", "Zs", "P"]), max_size=200)
)


@given(TRANSCRIPTS)
@settings(max_examples=150, deadline=None)
def test_any_transcript_gets_an_intent_with_a_confidence_between_0_and_1(
    matcher: IntentMatcher, transcript: str
) -> None:
    match = matcher.match(transcript)
    assert 0.0 <= match.confidence <= 1.0
    assert isinstance(match.intent, str) and match.intent
    assert match.transcript == transcript


def test_a_10_kilobyte_transcript_is_matched_without_error(matcher: IntentMatcher) -> None:
    match = matcher.match("add two oat milks " * 600)
    assert 0.0 <= match.confidence <= 1.0
