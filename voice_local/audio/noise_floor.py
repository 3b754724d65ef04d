"""A faint noise floor under the speech.

Pauses that are exact digital zero (gated or trimmed audio) make pocketsphinx decode much worse;
measured on real recordings, Gaussian noise at about -60 dBFS lifted acceptance by several points
while pocketsphinx's own dither option did not help.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from voice_local.audio.clip import Audio

NOISE_FLOOR_DBFS = -60.0


class NoiseFloor:
    """Noise for a stream chunk by chunk; one generator, so any chunking gives the same samples."""

    def __init__(self, *, dbfs: float = NOISE_FLOOR_DBFS, seed: int = 0) -> None:
        self._rng = np.random.default_rng(seed)
        self._sigma = 32768.0 * 10.0 ** (dbfs / 20.0)

    def add(self, samples: npt.NDArray[np.int16]) -> npt.NDArray[np.int16]:
        noisy = samples.astype(np.float64) + self._rng.normal(0.0, self._sigma, len(samples))
        return np.clip(np.round(noisy), -32768, 32767).astype(np.int16)


def add_noise_floor(audio: Audio, *, dbfs: float = NOISE_FLOOR_DBFS, seed: int = 0) -> Audio:
    """Return `audio` with white noise at `dbfs` RMS added; seeded so decoding is repeatable."""
    samples = NoiseFloor(dbfs=dbfs, seed=seed).add(audio.samples)
    return Audio(samples=samples, source=audio.source, sample_rate=audio.sample_rate)
