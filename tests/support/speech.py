"""Real speech for tests: espeak-ng, flite and festival render text to WAV files (no mocks, no
downloaded audio). A voice is an espeak-ng voice ("en-us", "en-gb+f3"), or "flite:NAME" (kal,
kal16, awb, rms, slt) or "festival:NAME" (cmu_us_slt_arctic_hts, kal_diphone, ked_diphone)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

ESPEAK = "espeak-ng"
FLITE = "flite"
FESTIVAL = "text2wave"
# Debian: flite; festival with festvox-us-slt-hts, festvox-kallpc16k, festvox-kdlpc16k.
FLITE_VOICES = ("kal", "kal16", "awb", "rms", "slt")
FESTIVAL_VOICES = ("cmu_us_slt_arctic_hts", "kal_diphone", "ked_diphone")
ENGLISH_VOICES = (
    "en-us", "en-gb", "en-us+f3", *(f"flite:{v}" for v in FLITE_VOICES),
    *(f"festival:{v}" for v in FESTIVAL_VOICES),
)


def espeak_available() -> bool:
    return shutil.which(ESPEAK) is not None


def synthesizer_missing(voice: str) -> str | None:
    """The Debian package a voice needs when it is not installed, else None."""
    if voice.startswith("flite:"):
        return None if shutil.which(FLITE) else "flite"
    if voice.startswith("festival:"):
        name = voice.split(":", 1)[1]
        if not shutil.which(FESTIVAL):
            return "festival"
        found = list(Path("/usr/share/festival/voices").glob(f"*/{name}"))
        return None if found else f"the festival voice {name}"
    return None if espeak_available() else "espeak-ng"


def synthesize(
    text: str, directory: Path, *, voice: str = "en-us", words_per_minute: int = 150,
    lead_silence_s: float = 0.0,
) -> Path:
    """Write `text` spoken by `voice` to a WAV in `directory` (mono, the synthesizer's own
    rate) and return it. flite and festival speak at words_per_minute through their duration
    stretch (150 wpm is their own pace).

    The file name is a hash of the arguments, so a session-wide directory works as a cache.
    """
    key = f"{voice}|{words_per_minute}|{lead_silence_s}|{text}".encode()
    path = directory / f"{voice.replace(':', '-')}-{hashlib.sha1(key).hexdigest()[:12]}.wav"
    if path.exists():
        return path
    directory.mkdir(parents=True, exist_ok=True)
    stretch = f"{150 / words_per_minute:.3f}"
    if voice.startswith("flite:"):
        command = [FLITE, "-voice", voice.split(":", 1)[1], "--setf",
                   f"duration_stretch={stretch}", "-t", text, "-o", str(path)]
        subprocess.run(command, check=True, capture_output=True)
    elif voice.startswith("festival:"):
        name = voice.split(":", 1)[1]
        setup = (f"(voice_{name})", f"(Parameter.set 'Duration_Stretch {stretch})")
        command = [FESTIVAL, "-o", str(path), *(x for e in setup for x in ("-eval", e))]
        subprocess.run(command, input=text.encode(), check=True, capture_output=True)
    else:
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
