"""One thread speaks: answers and announcements queue up and never talk over each other."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from voice_local.tts import Speaker


@dataclass(frozen=True)
class Utterance:
    text: str
    kind: str  # "answer" or "announcement"
    queued_at: float


@dataclass(frozen=True)
class Spoken:
    utterance: Utterance
    started_at: float
    wav: Path | None


class VoiceOutput:
    def __init__(
        self,
        make_speaker: Callable[[], Speaker],
        output_dir: Path | None = None,
        on_spoken: Callable[[Spoken], None] | None = None,
    ) -> None:
        self._make_speaker = make_speaker
        self._output_dir = output_dir
        self._on_spoken = on_spoken
        self._queue: queue.Queue[Utterance | None] = queue.Queue()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._count = 0
        self._thread = threading.Thread(target=self._run, name="voice-output", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            raise self._error

    def speak(self, text: str, kind: str = "answer") -> None:
        self._queue.put(Utterance(text, kind, time.perf_counter()))

    def close(self) -> None:
        """Says what is queued, then stops."""
        self._queue.put(None)
        self._thread.join()

    def _run(self) -> None:
        try:
            speaker = self._make_speaker()
        except BaseException as error:  # reported to the constructor's caller
            self._error = error
            self._ready.set()
            return
        self._ready.set()
        while (item := self._queue.get()) is not None:
            started = time.perf_counter()
            wav: Path | None = None
            if self._output_dir is not None:
                self._count += 1
                wav = speaker.save(
                    item.text, self._output_dir / f"{self._count:03d}-{item.kind}.wav"
                )
            else:
                speaker.say(item.text)
            if self._on_spoken is not None:
                self._on_spoken(Spoken(item, started, wav))
