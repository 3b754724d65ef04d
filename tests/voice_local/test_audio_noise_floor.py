import numpy as np
import pytest

from voice_local.audio import Audio, NoiseFloor, add_noise_floor


def test_noise_floor_turns_digital_silence_into_noise_near_minus_60_dbfs() -> None:
    silent = Audio(np.zeros(16_000, np.int16), source="test")
    assert add_noise_floor(silent).rms_dbfs() == pytest.approx(-60, abs=1.5)


def test_noise_floor_keeps_length_source_and_is_repeatable() -> None:
    audio = Audio(np.full(8_000, 1000, np.int16), source="clip.wav")
    noisy = add_noise_floor(audio)
    assert (len(noisy.samples), noisy.source) == (8_000, "clip.wav")
    assert np.array_equal(noisy.samples, add_noise_floor(audio).samples)


def test_noise_floor_barely_changes_loud_speech() -> None:
    loud = Audio(np.full(8_000, 20_000, np.int16), source="test")
    assert np.max(np.abs(add_noise_floor(loud).samples.astype(int) - 20_000)) < 200


def test_noise_floor_added_chunk_by_chunk_equals_the_whole_clip_at_once() -> None:
    audio = Audio(np.full(16_000, 500, np.int16), source="test")
    floor = NoiseFloor()
    chunked = np.concatenate([floor.add(audio.samples[i : i + 480]) for i in range(0, 16_000, 480)])
    assert np.array_equal(chunked, add_noise_floor(audio).samples)
