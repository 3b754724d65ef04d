"""Speech to text behind one small interface: pocketsphinx (embedded en-US) or Vosk."""

from voice_local.stt.factory import ENGINES, EngineName, create_engine, default_engine
from voice_local.stt.live import HeardUtterance, transcribe_live
from voice_local.stt.speech_grammar import SpeechGrammar, build_speech_grammar
from voice_local.stt.transcript import (
    SpeechStream,
    SpeechToText,
    StreamFinished,
    SttError,
    Transcript,
    Word,
)

__all__ = [
    "ENGINES",
    "EngineName",
    "HeardUtterance",
    "SpeechGrammar",
    "SpeechStream",
    "SpeechToText",
    "StreamFinished",
    "SttError",
    "Transcript",
    "Word",
    "build_speech_grammar",
    "create_engine",
    "default_engine",
    "transcribe_live",
]
