"""`vcom understand`: audio files in, one JSON line per file out (transcript, intent, slots)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import click

from voice_local.audio import AudioInputError, load_wav
from voice_local.nlu.interaction_model import InteractionModelError, load_interaction_model
from voice_local.nlu.matcher import IntentMatcher
from voice_local.stt import ENGINES, EngineName, SttError, create_engine, default_engine


@dataclass(frozen=True)
class UnderstandResult:
    file: str
    transcript: str = ""
    intent: str = ""
    slots: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    confidence: float = 0.0
    stt_ms: float = 0.0
    nlu_ms: float = 0.0
    note: str = ""  # from the recognizer: "no speech heard", audio past the length cap
    error: str | None = None  # set when the file could not be understood; the rest is empty

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_json(self) -> str:
        if self.error is not None:
            return json.dumps({"file": self.file, "error": self.error}, ensure_ascii=False)
        fields = {
            "file": self.file, "transcript": self.transcript, "intent": self.intent,
            "slots": dict(self.slots), "confidence": round(self.confidence, 4),
            "timings_ms": {"stt": round(self.stt_ms, 1), "nlu": round(self.nlu_ms, 1)},
        }
        if self.note:
            fields["note"] = self.note
        return json.dumps(fields, ensure_ascii=False)


def understand_files(
    paths: Iterable[Path], *, model_path: Path, engine: EngineName | None = None,
    stt_model: Path | None = None, grammar: bool = True,
) -> Iterator[UnderstandResult]:
    """Set-up errors (bad interaction model, missing speech model) raise; a bad audio file
    yields a result with `error` and the loop goes on."""
    model = load_interaction_model(model_path)
    recognizer = create_engine(
        engine or default_engine(model.locale), model, stt_model=stt_model, grammar=grammar
    )
    matcher = IntentMatcher(model)
    for path in paths:
        try:
            audio = load_wav(path)
        except AudioInputError as exc:
            yield UnderstandResult(file=str(path), error=str(exc))
            continue
        transcript = recognizer.transcribe(audio)
        started = time.perf_counter()
        match = matcher.match(transcript.text)
        nlu_ms = (time.perf_counter() - started) * 1000
        yield UnderstandResult(
            file=str(path), transcript=transcript.text, intent=match.intent,
            slots=MappingProxyType({name: slot.value for name, slot in match.slots.items()}),
            confidence=match.confidence, stt_ms=transcript.elapsed_s * 1000, nlu_ms=nlu_ms,
            note=transcript.note,
        )


@click.command("understand")
@click.option("--model", "model_path", type=click.Path(dir_okay=False, path_type=Path),
              required=True, help="Interaction model JSON, e.g. interaction_models/en-US.json.")
@click.option("--engine", type=click.Choice(ENGINES), default=None,
              help="Speech engine; default whisper for en-* models when its model is "
              "installed (else pocketsphinx), vosk otherwise.")
@click.option("--stt-model", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Speech model directory: a CTranslate2 Whisper model (default "
              "$VCOM_WHISPER_MODEL, else the installed tiny.en) or a Vosk model "
              "(default $VCOM_VOSK_MODEL).")
@click.option("--free", is_flag=True,
              help="Free decoding instead of the grammar built from the interaction model.")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def understand(
    model_path: Path, engine: EngineName | None, stt_model: Path | None, free: bool,
    files: tuple[Path, ...],
) -> None:
    """Print what each audio FILE says: one JSON object per line."""
    failed = False
    try:
        for result in understand_files(
            files, model_path=model_path, engine=engine, stt_model=stt_model, grammar=not free
        ):
            click.echo(result.to_json())
            failed |= not result.ok
    except (InteractionModelError, SttError) as exc:
        raise click.ClickException(str(exc)) from exc
    if failed:
        raise SystemExit(1)
