"""Audio in: files, the live microphone, endpointing and the decoder's noise floor."""

from voice_local.audio.clip import SAMPLE_RATE, Audio
from voice_local.audio.endpointer import EndpointerSettings, UtteranceSegmenter, frames_of, segment
from voice_local.audio.errors import AudioInputError
from voice_local.audio.microphone import MicrophoneListener
from voice_local.audio.noise_floor import add_noise_floor
from voice_local.audio.wav_loader import load_wav

__all__ = [
    "SAMPLE_RATE",
    "Audio",
    "AudioInputError",
    "EndpointerSettings",
    "MicrophoneListener",
    "UtteranceSegmenter",
    "add_noise_floor",
    "frames_of",
    "load_wav",
    "segment",
]
