from pathlib import Path

import numpy as np
import pytest
import soundfile

from tests.voice_local.conftest import Say
from voice_local.audio import SAMPLE_RATE, AudioInputError, load_wav


def test_espeak_wav_at_22khz_is_loaded_as_16khz_mono_int16(say: Say) -> None:
    path = say("add two bananas to my cart")
    audio = load_wav(path)
    assert audio.sample_rate == SAMPLE_RATE
    assert audio.samples.dtype == np.int16
    assert audio.samples.ndim == 1
    assert audio.source == str(path)
    assert audio.duration_s == pytest.approx(soundfile.info(path).duration, abs=0.01)


def test_stereo_48khz_float_file_is_mixed_down_and_resampled(say: Say, tmp_path: Path) -> None:
    mono, rate = soundfile.read(say("check out"), dtype="float32")
    stereo_path = tmp_path / "stereo.wav"
    stereo = np.stack([mono, mono], axis=1)
    import soxr

    soundfile.write(stereo_path, soxr.resample(stereo, rate, 48_000), 48_000, subtype="FLOAT")
    audio = load_wav(stereo_path)
    assert audio.sample_rate == SAMPLE_RATE
    assert audio.duration_s == pytest.approx(len(mono) / rate, abs=0.01)


def test_loaded_samples_cannot_be_modified(say: Say) -> None:
    audio = load_wav(say("check out"))
    with pytest.raises(ValueError):
        audio.samples[0] = 1


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(AudioInputError, match=r"not found: .*nope\.wav"):
        load_wav(tmp_path / "nope.wav")


def test_empty_file_is_reported_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    with pytest.raises(AudioInputError, match="is empty"):
        load_wav(path)


def test_text_file_is_reported_as_not_audio(tmp_path: Path) -> None:
    path = tmp_path / "notes.wav"
    path.write_text("add milk to my cart\n")
    with pytest.raises(AudioInputError, match="not a readable audio file"):
        load_wav(path)


def test_wav_cut_inside_its_header_is_reported(say: Say, tmp_path: Path) -> None:
    path = tmp_path / "cut.wav"
    path.write_bytes(say("check out").read_bytes()[:30])
    with pytest.raises(AudioInputError, match=str(path)):
        load_wav(path)


def test_header_only_wav_is_reported_as_holding_no_audio(tmp_path: Path) -> None:
    path = tmp_path / "header.wav"
    soundfile.write(path, np.zeros(0, np.int16), 16_000, subtype="PCM_16")
    with pytest.raises(AudioInputError, match="no audio frames"):
        load_wav(path)


def test_silent_recording_is_reported_as_no_speech(tmp_path: Path) -> None:
    path = tmp_path / "silence.wav"
    soundfile.write(path, np.zeros(16_000, np.int16), 16_000, subtype="PCM_16")
    with pytest.raises(AudioInputError, match=f"no speech found in {path}"):
        load_wav(path)


def test_wav_cut_inside_its_audio_is_reported_as_truncated(tmp_path: Path) -> None:
    whole = tmp_path / "whole.wav"
    tone = (0.3 * np.sin(np.arange(16_000) * 2 * np.pi * 440 / 16_000) * 32767).astype(np.int16)
    soundfile.write(whole, tone, 16_000, subtype="PCM_16")
    cut = tmp_path / "cut.wav"
    cut.write_bytes(whole.read_bytes()[:12_000])
    assert load_wav(whole).samples.size == 16_000
    with pytest.raises(AudioInputError, match=f"{cut} is truncated"):
        load_wav(cut)
