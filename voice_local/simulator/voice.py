"""--voice: the typed text goes through espeak-ng and speech-to-text before the matcher, to
exercise the audio path without a microphone."""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from voice_local.audio import load_wav
from voice_local.nlu.interaction_model import InteractionModel
from voice_local.stt import EngineName, SpeechToText, Transcript, create_engine, default_engine
from voice_local.tts import Speaker, TtsError

# Measured on 8 shop commands through pocketsphinx: at pyttsx3's default 200 words a minute
# 6/8 reached the right intent ("add a large latte" became a removal), at 150 7/8.
SPEAKING_RATE_WPM = 150

@dataclass(frozen=True)
class SpokenInput:
    transcript: Transcript
    tts_ms: float


class VoiceInput:
    def __init__(
        self,
        model: InteractionModel,
        *,
        engine: EngineName | None = None,
        stt_model: Path | None = None,
        tts_voice: str | None = None,
    ) -> None:
        self._speaker = _speaker_for(model.locale, tts_voice)
        self._recognizer: SpeechToText = create_engine(
            engine or default_engine(model.locale), model, stt_model=stt_model
        )
        self._workdir = tempfile.TemporaryDirectory(prefix="vcom-simulate-")

    @property
    def engine(self) -> str:
        return self._recognizer.name

    def hear(self, text: str) -> SpokenInput:
        path = Path(self._workdir.name) / "utterance.wav"
        started = time.perf_counter()
        self._speaker.save(text, path)
        tts_ms = (time.perf_counter() - started) * 1000
        return SpokenInput(self._recognizer.transcribe(load_wav(path)), tts_ms)

    def close(self) -> None:
        self._workdir.cleanup()


def _speaker_for(locale: str, voice: str | None) -> Speaker:
    if voice is not None:
        return Speaker(voice=voice, rate=SPEAKING_RATE_WPM)
    if locale.lower().startswith("en"):
        return Speaker(rate=SPEAKING_RATE_WPM)
    # espeak-ng names its voices by language ("ko"); pyttsx3's default voice is English.
    try:
        return Speaker(voice=locale.split("-")[0].lower(), rate=SPEAKING_RATE_WPM)
    except TtsError:
        return Speaker(rate=SPEAKING_RATE_WPM)
