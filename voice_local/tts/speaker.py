"""Speech out through pyttsx3 (espeak-ng on Linux)."""

from __future__ import annotations

import sys
import time
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


class Speaker:
    """Says or saves text; SSML markup is stripped first. Voice is a pyttsx3 voice id or name."""

    def __init__(self, *, voice: str | None = None, rate: int | None = None) -> None:
        self._voice = voice
        self._rate = rate
        self._engine: Any = self._new_engine()
        self._configure()

    def _configure(self) -> None:
        if self._voice is not None:
            self._engine.setProperty("voice", self._voice_id(self._voice))
        if self._rate is not None:
            self._engine.setProperty("rate", self._rate)

    @staticmethod
    def _new_engine() -> Any:
        try:
            import pyttsx3

            engine = pyttsx3.init()
        except (ImportError, OSError, RuntimeError) as exc:
            raise TtsError(MISSING_ESPEAK.format(reason=exc)) from exc
        _silence_save_notice()
        return engine

    def voices(self) -> list[str]:
        return [voice.id for voice in self._engine.getProperty("voices")]

    def _voice_id(self, wanted: str) -> str:
        for voice in self._engine.getProperty("voices"):
            if wanted in (voice.id, voice.name) or voice.id.endswith(f"/{wanted}"):
                return str(voice.id)
        raise TtsError(f"no text-to-speech voice {wanted!r}; installed: {', '.join(self.voices())}")

    def say(self, text: str) -> None:
        self._engine.say(strip_ssml(text))
        self._engine.runAndWait()

    def save(self, text: str, path: Path) -> Path:
        """Write the speech as a WAV file at `path` and return the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        # pyttsx3 runs espeak asynchronously (AUDIO_OUTPUT_RETRIEVAL): under load runAndWait can
        # return before the file is written, so wait for it, and try again once if it never came.
        for _attempt in range(SAVE_ATTEMPTS):
            try:
                self._engine.save_to_file(strip_ssml(text), str(path))
                self._engine.runAndWait()
            except ReferenceError:  # the driver outlived its engine: start a fresh one
                self._engine = self._new_engine()
                self._configure()
                continue
            if _wait_for_audio(path, SAVE_WAIT_S):
                return path
        raise TtsError(f"the synthesizer wrote no audio to {path}")
