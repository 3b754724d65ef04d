"""Real speech for tests: espeak-ng renders text to WAV files (no mocks, no downloaded audio)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

ESPEAK = "espeak-ng"


def espeak_available() -> bool:
    return shutil.which(ESPEAK) is not None


def synthesize(
    text: str, directory: Path, *, voice: str = "en-us", words_per_minute: int = 150,
    lead_silence_s: float = 0.0,
) -> Path:
    """Write `text` spoken by espeak-ng to a WAV in `directory` (22,050 Hz mono) and return it.

    The file name is a hash of the arguments, so a session-wide directory works as a cache.
    """
    key = f"{voice}|{words_per_minute}|{lead_silence_s}|{text}".encode()
    path = directory / f"{voice}-{hashlib.sha1(key).hexdigest()[:12]}.wav"
    if path.exists():
        return path
    directory.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [ESPEAK, "-v", voice, "-s", str(words_per_minute), "-w", str(path), text],
        check=True, capture_output=True,
    )
    if lead_silence_s > 0:
        _prepend_silence(path, lead_silence_s)
    return path


def _prepend_silence(path: Path, seconds: float) -> None:
    import numpy as np
    import soundfile

    data, rate = soundfile.read(path, dtype="int16")
    silence = np.zeros(int(rate * seconds), dtype=np.int16)
    soundfile.write(path, np.concatenate([silence, data]), rate, subtype="PCM_16")
