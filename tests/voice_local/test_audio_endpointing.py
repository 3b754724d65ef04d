import numpy as np
import pytest

from tests.voice_local.conftest import Say
from voice_local.audio import (
    Audio,
    EndpointerSettings,
    UtteranceDropped,
    UtteranceEnded,
    UtteranceFrame,
    UtteranceSegmenter,
    UtteranceStarted,
    add_noise_floor,
    frames_of,
    load_wav,
    segment,
    utterance_events,
)
from voice_local.audio.endpointer import FRAME_SAMPLES


def _silence(seconds: float) -> np.ndarray:
    return np.zeros(int(16_000 * seconds), np.int16)


def _stream(*parts: np.ndarray) -> Audio:
    # A faint noise floor like a real room; exact zeros would be too easy for the VAD.
    return add_noise_floor(Audio(np.concatenate(parts), source="test"), dbfs=-65)


def test_two_commands_separated_by_a_second_of_silence_are_two_utterances(say: Say) -> None:
    first = load_wav(say("add two bananas to my cart")).samples
    second = load_wav(say("check out")).samples
    stream = _stream(_silence(0.5), first, _silence(1.0), second, _silence(1.0))
    utterances = list(segment(frames_of(stream)))
    assert len(utterances) == 2
    assert utterances[0].duration_s == pytest.approx(len(first) / 16_000, abs=1.0)
    assert utterances[1].duration_s == pytest.approx(len(second) / 16_000, abs=1.0)


def test_pause_shorter_than_the_silence_setting_does_not_split_an_utterance(say: Say) -> None:
    words = load_wav(say("add oat milk")).samples
    stream = _stream(_silence(0.3), words, _silence(0.3), words, _silence(1.0))
    assert len(list(segment(frames_of(stream), EndpointerSettings(silence_ms=600)))) == 1


def test_shorter_silence_setting_splits_at_a_shorter_pause(say: Say) -> None:
    words = load_wav(say("add oat milk")).samples
    stream = _stream(_silence(0.3), words, _silence(0.45), words, _silence(1.0))
    assert len(list(segment(frames_of(stream), EndpointerSettings(silence_ms=300)))) == 2


def test_utterance_is_returned_only_after_the_trailing_silence(say: Say) -> None:
    words = load_wav(say("check out")).samples
    stream = _stream(_silence(0.3), words, _silence(1.5))
    segmenter = UtteranceSegmenter(EndpointerSettings(silence_ms=600))
    results = [segmenter.feed(frame) for frame in frames_of(stream)]
    ended_at = next(i for i, result in enumerate(results) if result is not None)
    # espeak-ng pads its files with silence: find where the voice really stops.
    last_loud = int(np.flatnonzero(np.abs(words) > 300)[-1])
    speech_end = (16_000 * 0.3 + last_loud) / FRAME_SAMPLES
    assert speech_end + 600 / 30 <= ended_at + 2  # not before ~600 ms of non-speech
    assert ended_at <= speech_end + 600 / 30 + 10  # and not much later (VAD hangover)


def test_stream_ending_mid_utterance_yields_it_on_flush(say: Say) -> None:
    stream = _stream(_silence(0.3), load_wav(say("read my cart")).samples)
    assert len(list(segment(frames_of(stream)))) == 1


def test_silence_alone_yields_no_utterance() -> None:
    assert list(segment(frames_of(_stream(_silence(3.0))))) == []


def test_click_shorter_than_the_minimum_speech_is_ignored() -> None:
    rng = np.random.default_rng(1)
    click = (rng.normal(0, 8000, 1600)).astype(np.int16)  # 100 ms burst
    stream = _stream(_silence(0.5), click, _silence(1.5))
    # webrtcvad's hangover keeps ~300 ms "voiced" after a 100 ms burst, hence 500 ms here.
    assert list(segment(frames_of(stream), EndpointerSettings(min_speech_ms=500))) == []


def test_frames_of_the_wrong_length_are_rejected() -> None:
    with pytest.raises(ValueError, match="480 samples"):
        UtteranceSegmenter().feed(np.zeros(160, np.int16))


def test_utterance_events_carry_every_frame_of_the_clip_pre_roll_first(say: Say) -> None:
    words = load_wav(say("check out")).samples
    events = list(utterance_events(frames_of(_stream(_silence(0.6), words, _silence(1.0)))))
    assert isinstance(events[0], UtteranceStarted)
    assert isinstance(events[-1], UtteranceEnded)
    frames = [e.samples for e in events[1:-1] if isinstance(e, UtteranceFrame)]
    assert len(frames) == len(events) - 2
    assert np.array_equal(np.concatenate(frames), events[-1].audio.samples)
    assert np.max(np.abs(frames[0])) < 300  # pre-roll: from before the voice started


def test_a_burst_too_short_for_speech_starts_and_is_dropped(say: Say) -> None:
    burst = load_wav(say("check out")).samples[:3000]
    loud = burst[np.argmax(np.abs(burst) > 300) :][:4000]
    events = list(utterance_events(
        frames_of(_stream(_silence(0.6), loud, _silence(1.0))),
        EndpointerSettings(min_speech_ms=1000),
    ))
    kinds = [type(e) for e in events if not isinstance(e, UtteranceFrame)]
    assert kinds == [UtteranceStarted, UtteranceDropped]
