"""Text to speech for the kiosk."""

from voice_local.tts.playback import PlaybackError, check_output_device, play_wav
from voice_local.tts.speaker import Speaker, TtsError, voice_for_locale
from voice_local.tts.ssml import strip_ssml

__all__ = [
    "PlaybackError",
    "Speaker",
    "TtsError",
    "check_output_device",
    "play_wav",
    "strip_ssml",
    "voice_for_locale",
]
