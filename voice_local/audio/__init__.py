"""Audio in: files, the live microphone, endpointing and the decoder's noise floor."""

from voice_local.audio.clip import SAMPLE_RATE, Audio
from voice_local.audio.endpointer import (
    EndpointerSettings,
    UtteranceDropped,
    UtteranceEnded,
    UtteranceEvent,
    UtteranceFrame,
    UtteranceSegmenter,
    UtteranceStarted,
    frames_of,
    segment,
    utterance_events,
)
from voice_local.audio.errors import AudioInputError
from voice_local.audio.microphone import MicrophoneListener
from voice_local.audio.noise_floor import NoiseFloor, add_noise_floor
from voice_local.audio.wav_loader import load_wav

__all__ = [
    "SAMPLE_RATE",
    "Audio",
    "AudioInputError",
    "EndpointerSettings",
    "MicrophoneListener",
    "NoiseFloor",
    "UtteranceDropped",
    "UtteranceEnded",
    "UtteranceEvent",
    "UtteranceFrame",
    "UtteranceSegmenter",
    "UtteranceStarted",
    "add_noise_floor",
    "frames_of",
    "load_wav",
    "segment",
    "utterance_events",
]
