from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import click

from backend.runtime import open_backend
from interaction_models import model_path
from voice_local.audio import AudioInputError, load_wav
from voice_local.kiosk import Kiosk, KioskTurn
from voice_local.voice_output import Spoken, VoiceOutput

DEFAULT_MODEL = model_path()


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt  # SIGTERM stops the kiosk as cleanly as Ctrl-C


def _files(paths: tuple[Path, ...]) -> Iterator:  # type: ignore[type-arg]
    for path in paths:
        try:
            yield load_wav(path)
        except AudioInputError as error:
            yield error


def _report(as_json: bool):  # type: ignore[no-untyped-def]
    def report(item: KioskTurn | AudioInputError) -> None:
        if isinstance(item, AudioInputError):
            if as_json:
                click.echo(json.dumps({"error": str(item)}))
            else:
                click.secho(f"✗ {item}", fg="red", err=True)
            return
        slots = {name: slot.value for name, slot in item.match.slots.items()}
        if as_json:
            click.echo(
                json.dumps(
                    {
                        "source": item.source,
                        "transcript": item.transcript.text,
                        "intent": item.match.intent,
                        "slots": slots,
                        "confidence": round(item.match.confidence, 3),
                        "answer": item.reply.speech,
                        "timings_ms": {
                            "stt": round(item.stt_ms, 1),
                            "nlu": round(item.nlu_ms, 1),
                            "skill": round(item.skill_ms, 1),
                            "to_answer": round(item.to_answer_ms, 1),
                        },
                    },
                    ensure_ascii=False,
                )
            )
        else:
            click.echo(f"🎤 {item.transcript.text!r} → {item.match.intent} {slots}")
            click.echo(f"🔊 {item.reply.speech}   ({item.to_answer_ms:.0f} ms to answer)")

    return report


@click.command(
    help="""The counter kiosk: listen, answer out loud, announce ready orders.

\b
With no FILES it listens on the microphone and answers when the customer stops talking.
  vcom kiosk
  vcom kiosk --input hello.wav order.wav --output answers/   # files in, WAV answers out
While it runs it follows its household's orders in the store and says "Order A 1 0 0 is
ready for pickup" when staff move one on, from any process.
"""
)
@click.option("--input", "from_files", is_flag=True, help="Read FILES instead of the microphone.")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--model",
    "model_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=DEFAULT_MODEL,
    show_default=True,
    help="Interaction model (its locale too).",
)
@click.option(
    "--engine",
    type=click.Choice(["pocketsphinx", "vosk"]),
    help="Speech engine; default pocketsphinx for English, vosk otherwise.",
)
@click.option(
    "--stt-model",
    type=click.Path(file_okay=False, path_type=Path),
    help="Vosk model directory (default $VCOM_VOSK_MODEL).",
)
@click.option(
    "--device-id",
    default=lambda: os.environ.get("VCOM_KIOSK_ID", "kiosk-1"),
    show_default="$VCOM_KIOSK_ID or kiosk-1",
    help="This kiosk's device id.",
)
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write each spoken answer as a WAV file in this directory instead of playing it.",
)
@click.option("--voice", help="Text-to-speech voice (a pyttsx3/espeak-ng voice id or name).")
@click.option("--rate", type=int, help="Speaking rate in words per minute.")
@click.option(
    "--keep-running",
    is_flag=True,
    help="With --input: keep announcing ready orders after the files, until Ctrl-C.",
)
@click.option("--no-announce", is_flag=True, help="Do not announce orders that become ready.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per utterance on stdout.")
def kiosk(
    from_files: bool,
    files: tuple[Path, ...],
    model_path: Path,
    engine: str | None,
    stt_model: Path | None,
    device_id: str,
    output: Path | None,
    voice: str | None,
    rate: int | None,
    keep_running: bool,
    no_announce: bool,
    as_json: bool,
) -> None:
    from skill.builder import build_skill
    from skill.settings import SkillSettings
    from voice_local.audio import MicrophoneListener
    from voice_local.nlu.interaction_model import load_interaction_model
    from voice_local.nlu.matcher import IntentMatcher
    from voice_local.stt import create_engine, default_engine
    from voice_local.tts import Speaker

    if from_files and not files:
        raise click.UsageError("--input needs at least one WAV file.")
    backend = open_backend()
    model = load_interaction_model(model_path)
    stt = create_engine(engine or default_engine(model.locale), model, stt_model=stt_model)

    def announced(spoken: Spoken) -> None:
        if spoken.utterance.kind == "announcement":
            where = f" → {spoken.wav}" if spoken.wav else ""
            click.echo(f"📣 {spoken.utterance.text}{where}", err=as_json)

    voice_out = VoiceOutput(lambda: Speaker(voice=voice, rate=rate), output, announced)
    kiosk_ = Kiosk(
        backend,
        build_skill(backend, SkillSettings.from_environment()),
        IntentMatcher(model),
        stt,
        voice_out,
        device_id,
        model.locale,
    )
    signal.signal(signal.SIGTERM, _interrupt)
    if not no_announce:
        kiosk_.follow_orders()
    failures = 0
    try:
        if files:
            failures = kiosk_.run(_files(files), _report(as_json))
            if keep_running:
                click.echo("Files done; announcing ready orders until Ctrl-C.", err=True)
                signal.pause()
        else:
            microphone = MicrophoneListener()  # raises a clear error when there is none
            click.echo("Listening… (Ctrl-C to stop)", err=True)
            failures = kiosk_.listen(microphone.events(), _report(as_json))
    except KeyboardInterrupt:
        pass
    finally:
        kiosk_.stop()
        voice_out.close()
    if failures:
        raise SystemExit(1)
