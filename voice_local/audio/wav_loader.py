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
    missing = wav_bytes_missing(path)
    if missing:
        # libsndfile would quietly read what is there: half a command is not what was said.
        raise AudioInputError(
            f"{path} is truncated: {missing} bytes of the audio its header announces are "
            "missing; record or copy it again"
        )
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


# Writers that stream set the data size to one of these when they cannot know it in advance.
_UNKNOWN_SIZES = frozenset({0, 0xFFFFFFFF, 0x7FFFFFFF})


def wav_bytes_missing(path: Path) -> int:
    """How many bytes of its data chunk a RIFF/WAVE file announces but does not hold (0 when it
    is whole, is not a WAV, or streams with an unknown size)."""
    size = path.stat().st_size
    with path.open("rb") as stream:
        header = stream.read(12)
        if len(header) < 12 or header[:4] != b"RIFF" or header[8:12] != b"WAVE":
            return 0
        position = 12
        while position + 8 <= size:
            stream.seek(position)
            chunk = stream.read(8)
            chunk_id, chunk_size = chunk[:4], int.from_bytes(chunk[4:8], "little")
            if chunk_id == b"data":
                if chunk_size in _UNKNOWN_SIZES:
                    return 0
                return max(0, position + 8 + chunk_size - size)
            position += 8 + chunk_size + (chunk_size & 1)  # chunks are padded to even sizes
    return 0  # no data chunk: soundfile reports what is wrong


def to_int16_mono_16k(data: np.ndarray, rate: int) -> np.ndarray:
    """Mix float frames (frames × channels, -1..1) down to mono and resample to 16 kHz."""
    mono = data.mean(axis=1) if data.ndim == 2 else data
    if rate != SAMPLE_RATE:
        mono = soxr.resample(mono, rate, SAMPLE_RATE, quality="HQ")
    return np.clip(np.round(mono * 32767.0), -32768, 32767).astype(np.int16)
