"""Pick and set up a speech-to-text engine for an interaction model."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from voice_local.stt.speech_grammar import (
    Addressing,
    InteractionModelLike,
    build_speech_grammar,
)
from voice_local.stt.transcript import SpeechToText, SttError

EngineName = Literal["whisper", "vosk", "pocketsphinx"]
ENGINES: tuple[EngineName, ...] = ("whisper", "vosk", "pocketsphinx")


def default_engine(locale: str) -> EngineName:
    """English: Whisper when its model is installed (`./dev setup` installs tiny.en), else
    pocketsphinx, whose wheel carries an English model; every other language needs Vosk."""
    if not locale.lower().startswith("en"):
        return "vosk"
    from voice_local.stt.whisper_model import whisper_available

    return "whisper" if whisper_available() else "pocketsphinx"


# Words joining "ask corner shop" to the command, per language (the matcher skips the same).
_CONNECTORS = {"en": ("to", "and", "for", "if")}


def addressing_for(model: InteractionModelLike) -> Addressing:
    from voice_local.nlu.locales import locale_table

    table = locale_table(model.locale)
    return Addressing(
        invocation=model.invocation_name, wake_words=table.wake_words,
        launch_verbs=table.launch_verbs, fillers=table.fillers,
        connectors=_CONNECTORS.get(table.language, ()),
    )


# How many of each intent's first samples pocketsphinx's grammar takes ("" for any intent not
# named): adding keeps more wordings, the rest their first few (measured: all of them made decoding
# twice as slow as with the model of 2026-11-24; these keep it about as fast).
POCKETSPHINX_SAMPLES: Mapping[str, int] = {"": 6, "AddToCartIntent": 12}


def create_engine(
    name: EngineName, model: InteractionModelLike, *, stt_model: Path | None = None,
    grammar: bool = True,
) -> SpeechToText:
    speech_grammar = None
    if grammar:
        from voice_local.nlu.locales import locale_table

        speech_grammar = build_speech_grammar(
            model, locale_table(model.locale).builtin_phrases, addressing_for(model),
            # pocketsphinx's search slows with the grammar's size; Vosk compiles any grammar
            # into a small n-gram and takes every sample.
            max_samples=POCKETSPHINX_SAMPLES if name == "pocketsphinx" else None,
        )
    if name == "pocketsphinx":
        from voice_local.stt.pocketsphinx_engine import PocketsphinxEngine

        if not model.locale.lower().startswith("en") and stt_model is None:
            raise SttError(
                f"pocketsphinx ships only an en-US model; for {model.locale} use --engine vosk "
                "with a model for that language"
            )
        if stt_model is None:
            return PocketsphinxEngine(speech_grammar)
        dictionaries = sorted(stt_model.glob("*.dict")) + sorted(stt_model.parent.glob("*.dict"))
        if not dictionaries:
            raise SttError(f"no pronunciation dictionary (*.dict) in or next to {stt_model}")
        return PocketsphinxEngine(speech_grammar, hmm=stt_model, dictionary=dictionaries[0])
    if name == "whisper":
        from voice_local.stt.whisper_engine import WhisperEngine

        if not model.locale.lower().startswith("en"):
            raise SttError(
                f"the whisper engine here is English only; for {model.locale} use --engine vosk"
            )
        return WhisperEngine(speech_grammar, stt_model)
    if name == "vosk":
        from voice_local.stt.vosk_engine import VoskEngine, resolve_model_dir

        return VoskEngine(speech_grammar, resolve_model_dir(stt_model))
    raise SttError(f"unknown speech engine {name!r}; choose one of {', '.join(ENGINES)}")
