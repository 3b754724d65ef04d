"""Read any audio file soundfile understands and bring it to 16 kHz mono int16."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile
import soxr

from voice_local.audio.clip import SAMPLE_RATE, Audio
from voice_local.audio.errors import AudioInputError

# Below this the file is silence or hum; decoders would return noise words or nothing.
SILENCE_DBFS = -55.0


def load_wav(path: Path | str, *, silence_dbfs: float = SILENCE_DBFS) -> Audio:
    """Load `path` as 16 kHz mono int16, or raise AudioInputError saying what is wrong."""
    path = Path(path)
    if not path.exists():
        raise AudioInputError(f"audio file not found: {path}")
    if path.is_dir():
        raise AudioInputError(f"{path} is a directory; give a .wav file")
    if path.stat().st_size == 0:
        raise AudioInputError(f"{path} is empty (0 bytes); record it again")
    try:
        data, rate = soundfile.read(path, dtype="float32", always_2d=True)
    except soundfile.LibsndfileError as exc:
        raise AudioInputError(
            f"{path} is not a readable audio file ({exc.error_string}); "
            "give a WAV file, e.g. 16 kHz mono 16-bit"
        ) from exc
    except RuntimeError as exc:  # soundfile raises plain RuntimeError for some truncated files
        raise AudioInputError(f"{path} could not be decoded ({exc}); the file may be cut") from exc
    if data.shape[0] == 0:
        raise AudioInputError(f"{path} holds no audio frames (truncated or header-only file)")
    audio = Audio(samples=to_int16_mono_16k(data, rate), source=str(path))
    if audio.rms_dbfs() < silence_dbfs:
        raise AudioInputError(
            f"no speech found in {path}: the recording is silent "
            f"({audio.rms_dbfs():.0f} dBFS); check the microphone level"
        )
    return audio


def to_int16_mono_16k(data: np.ndarray, rate: int) -> np.ndarray:
    """Mix float frames (frames × channels, -1..1) down to mono and resample to 16 kHz."""
    mono = data.mean(axis=1) if data.ndim == 2 else data
    if rate != SAMPLE_RATE:
        mono = soxr.resample(mono, rate, SAMPLE_RATE, quality="HQ")
    return np.clip(np.round(mono * 32767.0), -32768, 32767).astype(np.int16)
