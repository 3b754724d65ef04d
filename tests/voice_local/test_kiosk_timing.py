"""What the kiosk reports as its time to answer: only what comes after the end of speech."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from backend.runtime import Backend
from skill.builder import build_skill
from voice_local.audio import (
    Audio,
    AudioInputError,
    UtteranceEnded,
    UtteranceEvent,
    UtteranceFrame,
    UtteranceStarted,
)
from voice_local.kiosk import Kiosk, KioskTurn
from voice_local.nlu.interaction_model import load_interaction_model
from voice_local.nlu.matcher import IntentMatcher
from voice_local.stt.transcript import DecodeClock, Transcript, transcribe_whole

MODEL = Path(__file__).resolve().parents[2] / "interaction_models" / "en-US.json"
FRAME = np.zeros(480, np.int16)
FRAMES = 20
DECODE_S_PER_FRAME = 0.01  # while the customer speaks: 0.2 s in all
FINISH_S = 0.002


class _SlowStream:
    """Decodes each chunk slowly and finishes fast, like pocketsphinx streaming."""

    def __init__(self) -> None:
        self._clock = DecodeClock()

    def feed(self, samples: npt.NDArray[np.int16]) -> None:
        with self._clock:
            time.sleep(DECODE_S_PER_FRAME * len(samples) / len(FRAME))

    def finish(self) -> Transcript:
        with self._clock:
            time.sleep(FINISH_S)
        return Transcript(
            text="what's in my cart", words=(), engine="slow", elapsed_s=self._clock.wall_s,
            finish_s=self._clock.last_wall_s, cpu_s=self._clock.cpu_s,
        )

    def cancel(self) -> None:
        pass


class _SlowEngine:
    name = "slow"

    def open_stream(self) -> _SlowStream:
        return _SlowStream()

    def transcribe(self, audio: Audio) -> Transcript:
        return transcribe_whole(self, audio)


class _SilentVoice:
    def speak(self, text: str, kind: str = "answer") -> None:
        pass


@pytest.fixture
def kiosk(sqlite_shop) -> Kiosk:  # type: ignore[no-untyped-def]
    backend = Backend(sqlite_shop.store, sqlite_shop.hub)
    return Kiosk(
        backend, build_skill(backend), IntentMatcher(load_interaction_model(MODEL)),
        _SlowEngine(), _SilentVoice(), "kiosk-1", "en-US",  # type: ignore[arg-type]
    )


def test_a_live_turn_times_only_the_recognizers_finish_not_decoding_during_speech(
    kiosk: Kiosk,
) -> None:
    clip = Audio(np.concatenate([FRAME] * FRAMES), source="microphone")
    events: list[UtteranceEvent] = [
        UtteranceStarted(), *(UtteranceFrame(FRAME) for _ in range(FRAMES)), UtteranceEnded(clip)
    ]
    turns: list[KioskTurn | AudioInputError] = []
    kiosk.listen(events, turns.append)
    [turn] = turns
    assert isinstance(turn, KioskTurn) and turn.match.intent == "ReadCartIntent"
    assert turn.transcript.elapsed_s >= FRAMES * DECODE_S_PER_FRAME
    assert turn.stt_ms == pytest.approx(turn.transcript.finish_s * 1000)
    assert turn.stt_ms < 0.5 * FRAMES * DECODE_S_PER_FRAME * 1000


def test_a_whole_file_turn_times_all_of_its_decoding(kiosk: Kiosk) -> None:
    turn = kiosk.hear(Audio(np.concatenate([FRAME] * FRAMES), source="order.wav"))
    assert turn.stt_ms >= FRAMES * DECODE_S_PER_FRAME * 1000
    assert turn.to_answer_ms == pytest.approx(turn.stt_ms + turn.nlu_ms + turn.skill_ms)
