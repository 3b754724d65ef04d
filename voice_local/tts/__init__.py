"""Text to speech for the kiosk."""

from voice_local.tts.speaker import Speaker, TtsError
from voice_local.tts.ssml import strip_ssml

__all__ = ["Speaker", "TtsError", "strip_ssml"]
