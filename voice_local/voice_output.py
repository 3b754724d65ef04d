"""One thread speaks: answers and announcements queue up and never talk over each other.

A failure to speak (no loudspeaker, a synthesizer error) stops the voice and is raised to whoever
speaks or closes next: a kiosk that cannot talk must say so, not carry on silently.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from voice_local.tts import Speaker, check_output_device


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
        """Queues the text; raises the error that stopped the voice, if one did."""
        if self._error is not None:
            raise self._error
        self._queue.put(Utterance(text, kind, time.perf_counter()))

    def close(self) -> None:
        """Says what is queued, then stops; raises the error that stopped the voice, if any."""
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        try:
            speaker = self._make_speaker()
            if self._output_dir is None:
                check_output_device()  # fail at start, not at the first customer
        except BaseException as error:  # reported to the constructor's caller
            self._error = error
            self._ready.set()
            return
        self._ready.set()
        while (item := self._queue.get()) is not None:
            started = time.perf_counter()
            wav: Path | None = None
            try:
                if self._output_dir is not None:
                    self._count += 1
                    wav = speaker.save(
                        item.text, self._output_dir / f"{self._count:03d}-{item.kind}.wav"
                    )
                else:
                    speaker.say(item.text)
            except Exception as error:  # raised to the next speak() or close()
                self._error = error
                return
            if self._on_spoken is not None:
                self._on_spoken(Spoken(item, started, wav))
