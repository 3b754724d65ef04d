"""The live microphone as a source of frames for the endpointer."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from voice_local.audio.clip import SAMPLE_RATE, Audio
from voice_local.audio.endpointer import (
    FRAME_SAMPLES,
    EndpointerSettings,
    UtteranceEvent,
    segment,
    utterance_events,
)
from voice_local.audio.errors import AudioInputError

NO_MICROPHONE = "No microphone found ({reason}); plug one in, or use --input file.wav"


def _sounddevice() -> Any:
    # Imported late: sounddevice raises OSError at import when PortAudio is not installed.
    try:
        import sounddevice
    except OSError as exc:
        raise AudioInputError(
            NO_MICROPHONE.format(reason="PortAudio is missing: apt-get install libportaudio2")
        ) from exc
    return sounddevice


class MicrophoneListener:
    """Yields one Audio per utterance heard on the default (or given) input device."""

    def __init__(
        self, device: int | str | None = None, settings: EndpointerSettings | None = None
    ) -> None:
        self.device = device
        self.settings = settings or EndpointerSettings()
        self._sd = _sounddevice()
        self._check_device()

    def _check_device(self) -> None:
        try:
            info = self._sd.query_devices(self.device, kind="input")
        except (ValueError, self._sd.PortAudioError) as exc:
            raise AudioInputError(NO_MICROPHONE.format(reason=str(exc))) from exc
        if int(info.get("max_input_channels", 0)) < 1:
            raise AudioInputError(NO_MICROPHONE.format(reason=f"{info['name']} has no input"))

    def _frames(self) -> Iterator[npt.NDArray[np.int16]]:
        frames: queue.Queue[npt.NDArray[np.int16]] = queue.Queue()

        def on_audio(data: npt.NDArray[np.int16], _n: int, _time: Any, _status: Any) -> None:
            frames.put(data[:, 0].copy())  # runs on PortAudio's thread: only hand over

        try:
            stream = self._sd.InputStream(
                samplerate=SAMPLE_RATE, blocksize=FRAME_SAMPLES, channels=1, dtype="int16",
                device=self.device, callback=on_audio,
            )
        except self._sd.PortAudioError as exc:
            raise AudioInputError(NO_MICROPHONE.format(reason=str(exc))) from exc
        with stream:
            while True:
                yield frames.get()

    def utterances(self) -> Iterator[Audio]:
        """Endless: each utterance as soon as ~600 ms of non-speech follow it."""
        return segment(self._frames(), self.settings, source="microphone")

    def events(self) -> Iterator[UtteranceEvent]:
        """Endless: each utterance frame by frame as it is spoken, for streaming recognition."""
        return utterance_events(self._frames(), self.settings, source="microphone")
