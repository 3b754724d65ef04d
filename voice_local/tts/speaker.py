"""Speech out through pyttsx3 (espeak-ng on Linux)."""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voice_local.tts.ssml import strip_ssml

MISSING_ESPEAK = (
    "text to speech is unavailable: {reason}. On Debian/Ubuntu install it with "
    "`apt-get install espeak-ng libespeak1`"
)


SAVE_ATTEMPTS = 2
SAVE_WAIT_S = 3.0
WAV_HEADER_BYTES = 44


def _wait_for_audio(path: Path, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if path.is_file() and path.stat().st_size > WAV_HEADER_BYTES:
            return True
        time.sleep(0.01)
    return False


def _quiet_print(*args: object, **kwargs: Any) -> None:
    if args and str(args[0]).startswith("Audio saved to "):
        return
    print(*args, **kwargs)


def _silence_save_notice() -> None:
    """pyttsx3 2.99's espeak driver prints "Audio saved to ..." on stdout, from its own thread,
    which corrupts the JSON lines our commands print there. Swapping sys.stdout around the call
    would also swallow other threads' output, so only that module's `print` is replaced."""
    driver = sys.modules.get("pyttsx3.drivers.espeak")
    if driver is not None:
        driver.print = _quiet_print  # type: ignore[attr-defined]


class TtsError(RuntimeError):
    """The synthesizer cannot start or cannot write; the message says what to install."""


@dataclass
class _SharedEngine:
    """The process's one pyttsx3 engine. espeak-ng is process-global state: each new pyttsx3
    engine re-points espeak's synthesis callback at itself, and a collected one points it at
    NULL, from whichever thread the garbage collector runs in. A second engine, alive or dying,
    therefore crashes the first mid-sentence (seen as a segfault in CI), so every Speaker shares
    this one, kept alive for the process, and takes turns under its lock."""

    engine: Any
    default_voice: str
    default_rate: int
    voice: str = ""
    rate: int = 0

    def use(self, voice: str, rate: int) -> Any:
        """The engine set to this voice and rate; call with `_lock` held."""
        if voice != self.voice:
            self.engine.setProperty("voice", voice)
            self.voice = voice
            _wait_for_espeak()
        if rate != self.rate:
            self.engine.setProperty("rate", rate)
            self.rate = rate
            _wait_for_espeak()
        return self.engine


def _wait_for_espeak() -> None:
    """espeak-ng runs asynchronously here (AUDIO_OUTPUT_RETRIEVAL): its SetParameter is a queued
    command, and without waiting for the queue the next utterance sometimes still came out at
    the previous rate (measured: 4 in 20 under load; 0 in 40 with this wait)."""
    try:
        from pyttsx3.drivers import _espeak
    except (ImportError, OSError):  # another pyttsx3 driver: nothing queued to wait for
        return
    _espeak.Synchronize()


_lock = threading.RLock()
_shared: _SharedEngine | None = None


def _shared_engine() -> _SharedEngine:
    global _shared
    with _lock:
        if _shared is None:
            try:
                import pyttsx3

                engine = pyttsx3.init()
            except (ImportError, OSError, RuntimeError) as exc:
                raise TtsError(MISSING_ESPEAK.format(reason=exc)) from exc
            _silence_save_notice()
            voice, rate = str(engine.getProperty("voice")), int(engine.getProperty("rate"))
            _shared = _SharedEngine(engine, voice, rate, voice, rate)
        return _shared


def voice_for_locale(locale: str) -> str | None:
    """espeak-ng's voice for the locale's language ("ko" for ko-KR), or None for English, which
    is pyttsx3's default voice. A Korean kiosk must not read Korean with an English voice."""
    language = locale.split("-")[0].lower()
    return None if language == "en" else language


class Speaker:
    """Says or saves text; SSML markup is stripped first. Voice is a pyttsx3 voice id or name.
    Speakers may live on any thread; their utterances take turns on the one engine."""

    def __init__(self, *, voice: str | None = None, rate: int | None = None) -> None:
        shared = _shared_engine()
        self._voice = shared.default_voice if voice is None else self._voice_id(voice)
        self._rate = shared.default_rate if rate is None else rate

    @property
    def voice(self) -> str:
        """The pyttsx3 voice id this speaker uses ("ko", "gmw/en-US", …)."""
        return self._voice

    @staticmethod
    def voices() -> list[str]:
        with _lock:
            return [voice.id for voice in _shared_engine().engine.getProperty("voices")]

    def _voice_id(self, wanted: str) -> str:
        with _lock:
            for voice in _shared_engine().engine.getProperty("voices"):
                if wanted in (voice.id, voice.name) or voice.id.endswith(f"/{wanted}"):
                    return str(voice.id)
        raise TtsError(f"no text-to-speech voice {wanted!r}; installed: {', '.join(self.voices())}")

    def say(self, text: str) -> None:
        """Speaks on the loudspeaker (PortAudio); PlaybackError when it cannot be played."""
        from voice_local.tts.playback import play_wav  # playback builds on this module

        with tempfile.TemporaryDirectory(prefix="vcom-say-") as directory:
            play_wav(self.save(text, Path(directory) / "say.wav"))

    def save(self, text: str, path: Path) -> Path:
        """Write the speech as a WAV file at `path` and return the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        # pyttsx3 runs espeak asynchronously (AUDIO_OUTPUT_RETRIEVAL): under load runAndWait can
        # return before the file is written, so wait for it, and try again once if it never came.
        with _lock:
            engine = _shared_engine().use(self._voice, self._rate)
            for _attempt in range(SAVE_ATTEMPTS):
                engine.save_to_file(strip_ssml(text), str(path))
                engine.runAndWait()
                if _wait_for_audio(path, SAVE_WAIT_S):
                    return path
        raise TtsError(f"the synthesizer wrote no audio to {path}")
