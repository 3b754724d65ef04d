"""What every speech-to-text engine returns, and the one interface they share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from voice_local.audio.clip import Audio


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float  # 0..1, the engine's own posterior
    start_s: float
    end_s: float


@dataclass(frozen=True)
class Transcript:
    text: str  # lower-case words separated by single spaces; "" when nothing was recognized
    words: tuple[Word, ...]
    engine: str
    elapsed_s: float

    @property
    def confidence(self) -> float:
        """Mean word confidence; 0 for an empty transcript."""
        if not self.words:
            return 0.0
        return sum(word.confidence for word in self.words) / len(self.words)


class SpeechToText(Protocol):
    name: str

    def transcribe(self, audio: Audio) -> Transcript: ...


class SttError(RuntimeError):
    """The engine cannot be set up; the message says what to install, download or pass."""
