"""What every speech-to-text engine returns, and the one interface they share."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

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
    elapsed_s: float  # wall time spent decoding, while the audio came in and after it ended
    finish_s: float = 0.0  # wall time of SpeechStream.finish(): what is left after the speech
    cpu_s: float = 0.0  # this process's CPU time spent decoding (for real-time factors)
    note: str = ""  # what the customer should know: "no speech heard", audio cut at the cap

    @property
    def confidence(self) -> float:
        """Mean word confidence; 0 for an empty transcript."""
        if not self.words:
            return 0.0
        return sum(word.confidence for word in self.words) / len(self.words)


class SpeechStream(Protocol):
    """One utterance decoded while it is spoken: feed chunks as they arrive, finish at its end."""

    def feed(self, samples: npt.NDArray[np.int16]) -> None:
        """Decode 16 kHz mono samples; raises StreamFinished after finish()."""
        ...

    def finish(self) -> Transcript:
        """End of speech: decode what is left and return the transcript (only once)."""
        ...

    def cancel(self) -> None:
        """Drop the utterance without a transcript (it was a cough); finished afterwards."""
        ...


class SpeechToText(Protocol):
    name: str

    def open_stream(self) -> SpeechStream:
        """A stream for one utterance; an engine decodes one stream at a time."""
        ...

    def transcribe(self, audio: Audio) -> Transcript:
        """The whole clip at once: see `transcribe_whole`."""
        ...


def transcribe_whole(engine: SpeechToText, audio: Audio) -> Transcript:
    """A clip is a stream fed in one chunk: one decoding path for files and the microphone."""
    stream = engine.open_stream()
    stream.feed(audio.samples)
    return stream.finish()


class StreamFinished(RuntimeError):
    """A stream was fed or finished after finish(): open a new stream for the next utterance."""


class DecodeClock:
    """Adds up the wall and CPU time a stream spends decoding, across feed() and finish()."""

    def __init__(self) -> None:
        self.wall_s = 0.0
        self.cpu_s = 0.0
        self.last_wall_s = 0.0  # the most recent span alone: finish() reports it
        self._wall_started = 0.0
        self._cpu_started = 0.0

    def __enter__(self) -> DecodeClock:
        self._wall_started, self._cpu_started = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *_: object) -> None:
        self.last_wall_s = time.perf_counter() - self._wall_started
        self.wall_s += self.last_wall_s
        self.cpu_s += time.process_time() - self._cpu_started


class SttError(RuntimeError):
    """The engine cannot be set up; the message says what to install, download or pass."""
