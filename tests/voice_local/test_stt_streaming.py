"""Recognition while the customer speaks: a stream fed chunk by chunk hears what a clip does."""

from __future__ import annotations

import numpy as np
import pytest

from tests.voice_local.conftest import Say
from voice_local.audio import (
    Audio,
    add_noise_floor,
    frames_of,
    load_wav,
    segment,
    utterance_events,
)
from voice_local.nlu.interaction_model import InteractionModel
from voice_local.stt import (
    SpeechToText,
    StreamFinished,
    Transcript,
    create_engine,
    transcribe_live,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def live_pocketsphinx(english_interaction_model: InteractionModel) -> SpeechToText:
    """pocketsphinx decoding while it is fed (its own decoders: ~3 s to compile the grammar)."""
    engine = create_engine("pocketsphinx", english_interaction_model)
    engine.decode_while_speaking = True  # type: ignore[attr-defined]
    return engine


def _streamed(engine: SpeechToText, audio: Audio) -> Transcript:
    stream = engine.open_stream()
    for frame in frames_of(audio):
        stream.feed(frame)
    return stream.finish()


def _room(audio: Audio) -> Audio:
    """The clip between stretches of a quiet room, as the microphone hears it."""
    silence = np.zeros(16_000, np.int16)
    return add_noise_floor(
        Audio(np.concatenate([silence, audio.samples, silence]), source=audio.source), dbfs=-65
    )


@pytest.mark.parametrize(
    "spoken",
    ["add two bananas to my cart", "what's in my cart", "please put three apples in my basket"],
)
def test_pocketsphinx_fed_30_ms_frames_hears_what_it_hears_in_the_whole_clip(
    english_pocketsphinx: SpeechToText, say: Say, spoken: str
) -> None:
    audio = load_wav(say(spoken))
    assert _streamed(english_pocketsphinx, audio).text == english_pocketsphinx.transcribe(
        audio
    ).text


@pytest.mark.parametrize(
    "spoken",
    ["add two bananas to my cart", "what's in my cart", "please put three apples in my basket"],
)
def test_pocketsphinx_decoding_while_fed_hears_the_same_in_30_ms_frames_as_in_one_chunk(
    live_pocketsphinx: SpeechToText, say: Say, spoken: str
) -> None:
    audio = load_wav(say(spoken))
    assert _streamed(live_pocketsphinx, audio).text == live_pocketsphinx.transcribe(audio).text


def test_vosk_korean_fed_30_ms_frames_hears_what_it_hears_in_the_whole_clip(
    korean_vosk: SpeechToText, say: Say
) -> None:
    audio = load_wav(say("바나나 세 개 넣어 줘", voice="ko"))
    assert _streamed(korean_vosk, audio).text == korean_vosk.transcribe(audio).text


def test_frames_through_the_endpointer_into_a_stream_give_the_whole_clips_transcript(
    live_pocketsphinx: SpeechToText, say: Say
) -> None:
    room = _room(load_wav(say("add two bananas to my cart")))
    [clip] = segment(frames_of(room))
    [heard] = transcribe_live(utterance_events(frames_of(room)), live_pocketsphinx)
    assert heard.transcript.text == live_pocketsphinx.transcribe(clip).text
    assert heard.transcript.text == "add two bananas to my cart"


def test_decoding_while_fed_leaves_only_a_short_finish_after_the_speech(
    live_pocketsphinx: SpeechToText, say: Say
) -> None:
    audio = load_wav(say("please put three apples in my basket"))
    transcript = _streamed(live_pocketsphinx, audio)
    assert 0 < transcript.finish_s < 0.25 * transcript.elapsed_s
    assert transcript.cpu_s > 0


def test_a_finished_stream_cannot_be_fed_or_finished_again(
    english_pocketsphinx: SpeechToText, say: Say
) -> None:
    audio = load_wav(say("check out"))
    stream = english_pocketsphinx.open_stream()
    stream.feed(audio.samples)
    stream.finish()
    with pytest.raises(StreamFinished, match="open a new stream"):
        stream.feed(audio.samples)
    with pytest.raises(StreamFinished, match="already finished"):
        stream.finish()


def test_a_dropped_utterance_is_cancelled_and_yields_no_transcript() -> None:
    engine = _RecordingEngine()
    burst = add_noise_floor(Audio(np.concatenate([
        np.zeros(16_000, np.int16),
        (8000 * np.sin(np.arange(2400) * 0.2)).astype(np.int16),  # 150 ms of tone: a click
        np.zeros(16_000, np.int16),
    ]), source="test"))
    events = utterance_events(frames_of(burst))
    assert list(transcribe_live(events, engine)) == []
    assert engine.log[0] == "open" and engine.log[-1] == "cancel"


class _RecordingStream:
    def __init__(self, log: list[str]) -> None:
        self.log = log

    def feed(self, samples: np.ndarray) -> None:
        self.log.append("feed")

    def finish(self) -> Transcript:
        self.log.append("finish")
        return Transcript(text="", words=(), engine="recording", elapsed_s=0.0)

    def cancel(self) -> None:
        self.log.append("cancel")


class _RecordingEngine:
    name = "recording"

    def __init__(self) -> None:
        self.log: list[str] = []

    def open_stream(self) -> _RecordingStream:
        self.log.append("open")
        return _RecordingStream(self.log)

    def transcribe(self, audio: Audio) -> Transcript:
        raise AssertionError("the live path streams")
