"""A faint noise floor under the speech.

Pauses that are exact digital zero (gated or trimmed audio) make pocketsphinx decode much worse;
measured on real recordings, Gaussian noise at about -60 dBFS lifted acceptance by several points
while pocketsphinx's own dither option did not help.
"""

from __future__ import annotations

import numpy as np

from voice_local.audio.clip import Audio

NOISE_FLOOR_DBFS = -60.0


def add_noise_floor(audio: Audio, *, dbfs: float = NOISE_FLOOR_DBFS, seed: int = 0) -> Audio:
    """Return `audio` with white noise at `dbfs` RMS added; seeded so decoding is repeatable."""
    rng = np.random.default_rng(seed)
    sigma = 32768.0 * 10.0 ** (dbfs / 20.0)
    noisy = audio.samples.astype(np.float64) + rng.normal(0.0, sigma, len(audio.samples))
    samples = np.clip(np.round(noisy), -32768, 32767).astype(np.int16)
    return Audio(samples=samples, source=audio.source, sample_rate=audio.sample_rate)
