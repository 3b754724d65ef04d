"""Voice-activity endpointing: cut a stream of 30 ms frames into utterances.

The segmenter only takes frames, so the same logic runs on the live microphone and, in tests,
on synthesized audio fed frame by frame.
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

    def feed(self, frame: npt.NDArray[np.int16]) -> Audio | None:
        if len(frame) != FRAME_SAMPLES:
            raise ValueError(f"frames must be {FRAME_SAMPLES} samples ({FRAME_MS} ms at 16 kHz)")
        voiced = self._vad.is_speech(frame.astype("<i2", copy=False).tobytes(), SAMPLE_RATE)
        if not self._in_utterance:
            self._pre_roll.append(frame)
            self._voiced_run = self._voiced_run + 1 if voiced else 0
            if self._voiced_run >= self._start_frames:
                self._in_utterance = True
                self._frames = list(self._pre_roll)
                self._pre_roll.clear()
                self._voiced_total = self._voiced_run
                self._silent_run = 0
            return None
        self._frames.append(frame)
        if voiced:
            self._voiced_total += 1
            self._silent_run = 0
        else:
            self._silent_run += 1
        if self._silent_run >= self._end_frames or len(self._frames) >= self._max_frames:
            return self._finish()
        return None

    def flush(self) -> Audio | None:
        """End of stream: return the utterance in progress, if it is long enough."""
        return self._finish() if self._in_utterance else None

    def _finish(self) -> Audio | None:
        frames, voiced = self._frames, self._voiced_total
        self._reset()
        if voiced * FRAME_MS < self.settings.min_speech_ms:
            return None
        return Audio(samples=np.concatenate(frames), source=self._source)


def segment(
    frames: Iterable[npt.NDArray[np.int16]], settings: EndpointerSettings | None = None,
    source: str = "stream",
) -> Iterator[Audio]:
    """Every utterance in a finite or endless stream of frames."""
    segmenter = UtteranceSegmenter(settings, source=source)
    for frame in frames:
        utterance = segmenter.feed(frame)
        if utterance is not None:
            yield utterance
    last = segmenter.flush()
    if last is not None:
        yield last
