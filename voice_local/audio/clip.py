"""The one audio value passed between the audio, speech-to-text and command-line layers."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

SAMPLE_RATE = 16_000  # every decoder we use wants 16 kHz mono 16-bit


@dataclass(frozen=True)
class Audio:
    """16 kHz mono int16 samples plus where they came from (a path, or "microphone")."""

    samples: npt.NDArray[np.int16] = field(repr=False)
    source: str
    sample_rate: int = SAMPLE_RATE

    def __post_init__(self) -> None:
        if self.samples.dtype != np.int16 or self.samples.ndim != 1:
            raise ValueError("Audio.samples must be a one-dimensional int16 array")
        # Decoders keep pointers into the buffer; freezing it keeps the value really immutable.
        self.samples.flags.writeable = False

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate

    def pcm_bytes(self) -> bytes:
        """Little-endian 16-bit PCM, the format Vosk and pocketsphinx take."""
        return self.samples.astype("<i2", copy=False).tobytes()

    def rms_dbfs(self) -> float:
        if len(self.samples) == 0:
            return float("-inf")
        rms = float(np.sqrt(np.mean(np.square(self.samples.astype(np.float64)))))
        return 20.0 * np.log10(rms / 32768.0) if rms > 0 else float("-inf")
