"""Speech to text behind one small interface: pocketsphinx (embedded en-US) or Vosk."""

from voice_local.stt.factory import ENGINES, EngineName, create_engine, default_engine
from voice_local.stt.speech_grammar import SpeechGrammar, build_speech_grammar
from voice_local.stt.transcript import SpeechToText, SttError, Transcript, Word

__all__ = [
    "ENGINES",
    "EngineName",
    "SpeechGrammar",
    "SpeechToText",
    "SttError",
    "Transcript",
    "Word",
    "build_speech_grammar",
    "create_engine",
    "default_engine",
]
