"""Voice-activity endpointing: cut a stream of 30 ms frames into utterances.

The segmenter only takes frames, so the same logic runs on the live microphone and, in tests,
on synthesized audio fed frame by frame. It reports each utterance as events (started, every
frame of it from the pre-roll on, ended or dropped), so a recognizer can decode while the
customer speaks; `segment()` gathers them into whole clips for callers that want those.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import webrtcvad

from voice_local.audio.clip import SAMPLE_RATE, Audio

FRAME_MS = 30  # webrtcvad accepts 10, 20 or 30 ms frames
FRAME_SAMPLES = SAMPLE_RATE * FRAME_MS // 1000


@dataclass(frozen=True)
class EndpointerSettings:
    silence_ms: int = 600  # this much non-speech ends an utterance
    start_ms: int = 90  # this much consecutive speech starts one (a click is not speech)
    pre_roll_ms: int = 300  # kept from before the start, so the first phoneme is not clipped
    min_speech_ms: int = 250  # shorter bursts are coughs and door slams
    max_utterance_s: float = 15.0  # a stuck-open stream still yields something
    aggressiveness: int = 2  # webrtcvad 0 (lenient) .. 3 (strict)


@dataclass(frozen=True)
class UtteranceStarted:
    """Speech began: the UtteranceFrames that follow, pre-roll first, are the utterance."""


@dataclass(frozen=True)
class UtteranceFrame:
    samples: npt.NDArray[np.int16]


@dataclass(frozen=True)
class UtteranceEnded:
    """The endpoint: enough non-speech followed (or the stream ended, or it ran too long)."""

    audio: Audio  # every frame since UtteranceStarted, for callers that want the whole clip


@dataclass(frozen=True)
class UtteranceDropped:
    """Too little speech to be a command (a cough, a door): forget its frames."""


UtteranceEvent = UtteranceStarted | UtteranceFrame | UtteranceEnded | UtteranceDropped


def frames_of(audio: Audio) -> Iterator[npt.NDArray[np.int16]]:
    """Split audio into whole 30 ms frames; a trailing partial frame is padded with silence."""
    samples = audio.samples
    for start in range(0, len(samples), FRAME_SAMPLES):
        frame = samples[start : start + FRAME_SAMPLES]
        if len(frame) < FRAME_SAMPLES:
            frame = np.concatenate([frame, np.zeros(FRAME_SAMPLES - len(frame), np.int16)])
        yield frame


class UtteranceSegmenter:
    """Feed 30 ms int16 frames; get an Audio back whenever an utterance has ended."""

    def __init__(self, settings: EndpointerSettings | None = None, source: str = "stream") -> None:
        self.settings = settings or EndpointerSettings()
        self._source = source
        self._vad = webrtcvad.Vad(self.settings.aggressiveness)
        self._pre_roll: deque[npt.NDArray[np.int16]] = deque(
            maxlen=max(1, self.settings.pre_roll_ms // FRAME_MS)
        )
        self._start_frames = max(1, self.settings.start_ms // FRAME_MS)
        self._end_frames = max(1, self.settings.silence_ms // FRAME_MS)
        self._max_frames = int(self.settings.max_utterance_s * 1000 / FRAME_MS)
        self._reset()

    def _reset(self) -> None:
        self._in_utterance = False
        self._frames: list[npt.NDArray[np.int16]] = []
        self._voiced_run = 0
        self._silent_run = 0
        self._voiced_total = 0

    @property
    def in_utterance(self) -> bool:
        return self._in_utterance

    def push(self, frame: npt.NDArray[np.int16]) -> list[UtteranceEvent]:
        """Take one frame; return what it changed (often nothing: silence between commands)."""
        if len(frame) != FRAME_SAMPLES:
            raise ValueError(f"frames must be {FRAME_SAMPLES} samples ({FRAME_MS} ms at 16 kHz)")
        voiced = self._vad.is_speech(frame.astype("<i2", copy=False).tobytes(), SAMPLE_RATE)
        if not self._in_utterance:
            self._pre_roll.append(frame)
            self._voiced_run = self._voiced_run + 1 if voiced else 0
            if self._voiced_run < self._start_frames:
                return []
            self._in_utterance = True
            self._frames = list(self._pre_roll)
            self._pre_roll.clear()
            self._voiced_total = self._voiced_run
            self._silent_run = 0
            return [UtteranceStarted(), *(UtteranceFrame(f) for f in self._frames)]
        self._frames.append(frame)
        if voiced:
            self._voiced_total += 1
            self._silent_run = 0
        else:
            self._silent_run += 1
        events: list[UtteranceEvent] = [UtteranceFrame(frame)]
        if self._silent_run >= self._end_frames or len(self._frames) >= self._max_frames:
            events.append(self._finish())
        return events

    def end(self) -> list[UtteranceEvent]:
        """End of stream: close the utterance in progress, if any."""
        return [self._finish()] if self._in_utterance else []

    def feed(self, frame: npt.NDArray[np.int16]) -> Audio | None:
        """Take one frame; the whole utterance once it has ended, else None."""
        return _ended_audio(self.push(frame))

    def flush(self) -> Audio | None:
        """End of stream: return the utterance in progress, if it is long enough."""
        return _ended_audio(self.end())

    def _finish(self) -> UtteranceEnded | UtteranceDropped:
        frames, voiced = self._frames, self._voiced_total
        self._reset()
        if voiced * FRAME_MS < self.settings.min_speech_ms:
            return UtteranceDropped()
        return UtteranceEnded(Audio(samples=np.concatenate(frames), source=self._source))


def _ended_audio(events: list[UtteranceEvent]) -> Audio | None:
    return next((e.audio for e in events if isinstance(e, UtteranceEnded)), None)


def utterance_events(
    frames: Iterable[npt.NDArray[np.int16]], settings: EndpointerSettings | None = None,
    source: str = "stream",
) -> Iterator[UtteranceEvent]:
    """Every utterance in a finite or endless stream of frames, as it happens."""
    segmenter = UtteranceSegmenter(settings, source=source)
    for frame in frames:
        yield from segmenter.push(frame)
    yield from segmenter.end()


def segment(
    frames: Iterable[npt.NDArray[np.int16]], settings: EndpointerSettings | None = None,
    source: str = "stream",
) -> Iterator[Audio]:
    """Every utterance in a finite or endless stream of frames, each as a whole clip."""
    for event in utterance_events(frames, settings, source):
        if isinstance(event, UtteranceEnded):
            yield event.audio
