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
from voice_local.customer_sessions import DEFAULT_IDLE_SECONDS, SessionChange
from voice_local.kiosk import Kiosk, KioskTurn
from voice_local.voice_output import Spoken, VoiceOutput

DEFAULT_MODEL = model_path()
# An unlinked kiosk serves walk-ins; the demo household's own kiosk is kiosk-1 (`vcom db seed`).
DEFAULT_KIOSK_ID = "counter-1"


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
                        **({"note": item.transcript.note} if item.transcript.note else {}),
                        "intent": item.match.intent,
                        "slots": slots,
                        "confidence": round(item.match.confidence, 3),
                        "heard_confidence": round(item.transcript.confidence, 3),
                        "customer": item.customer_id,
                        "asked_to_confirm": item.asked_to_confirm,
                        "answer": item.speech,
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
            note = f"  ({item.transcript.note})" if item.transcript.note else ""
            click.echo(f"🎤 {item.transcript.text!r} → {item.match.intent} {slots}{note}")
            click.echo(f"🔊 {item.speech}   ({item.to_answer_ms:.0f} ms to answer)")

    return report


def _report_session(change: SessionChange) -> None:
    who = "walk-in" if change.walk_in else "household"
    if change.event == "started":
        click.echo(f"👤 customer {change.customer_id} ({who}) at the kiosk", err=True)
        return
    left = f", {change.abandoned_items} item(s) left in the cart were removed"
    click.echo(
        f"👋 customer {change.customer_id} ({who}) done: {change.reason}"
        f"{left if change.abandoned_items else ''}",
        err=True,
    )


@click.command(
    help="""The counter kiosk: listen, answer out loud, announce ready orders.

\b
With no FILES it listens on the microphone and answers when the customer stops talking.
  vcom kiosk
  vcom kiosk --input hello.wav order.wav --output answers/   # files in, WAV answers out

\b
It serves one customer after another. A customer's session begins with their first words
after the kiosk was idle (--idle-timeout) or after the previous customer ordered, and ends
when they order, say "cancel" or "stop", or stay silent for --idle-timeout seconds. A kiosk
not linked to a household serves walk-ins: each starts with an empty cart, and a cart left
without an order is emptied when its session ends. `vcom customers link HOUSEHOLD KIOSK-ID`
makes the kiosk use that household's cart instead.

\b
An add or remove heard with confidence below --confirm-below is asked back first ("Did you
say add two oat milks?"). While it runs it says "Order A 1 0 0 is ready for pickup" (and
shows it on the kiosk's screen) when staff move on an order placed at this kiosk.
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
    type=click.Choice(["whisper", "pocketsphinx", "vosk"]),
    help="Speech engine; default whisper for English when its model is installed (else "
    "pocketsphinx), vosk otherwise.",
)
@click.option(
    "--stt-model",
    type=click.Path(file_okay=False, path_type=Path),
    help="Speech model directory: CTranslate2 Whisper (default $VCOM_WHISPER_MODEL, else the "
    "installed tiny.en) or Vosk (default $VCOM_VOSK_MODEL).",
)
@click.option(
    "--device-id",
    default=lambda: os.environ.get("VCOM_KIOSK_ID", DEFAULT_KIOSK_ID),
    show_default=f"$VCOM_KIOSK_ID or {DEFAULT_KIOSK_ID}",
    help="This kiosk's device id.",
)
@click.option(
    "--idle-timeout",
    type=click.FloatRange(min=1),
    default=lambda: float(os.environ.get("VCOM_KIOSK_IDLE_SECONDS", DEFAULT_IDLE_SECONDS)),
    show_default=f"$VCOM_KIOSK_IDLE_SECONDS or {DEFAULT_IDLE_SECONDS:.0f}",
    help="Seconds of silence after which the customer is gone and the next one starts afresh.",
)
@click.option(
    "--confirm-below",
    type=click.FloatRange(0, 1),
    default=None,
    show_default="0.5 for whisper, 0.9 for pocketsphinx and vosk (measured per engine)",
    help="Ask back an add or remove heard with less recognition confidence than this (0..1).",
)
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write each spoken answer as a WAV file in this directory instead of playing it.",
)
@click.option(
    "--voice",
    help="Text-to-speech voice (a pyttsx3/espeak-ng voice id or name); default: the model's "
    "language (ko for ko-KR), English's default voice for en-*.",
)
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
    idle_timeout: float,
    confirm_below: float | None,
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
    from voice_local.change_confirmation import default_threshold
    from voice_local.nlu.interaction_model import load_interaction_model
    from voice_local.nlu.matcher import IntentMatcher
    from voice_local.stt import create_engine, default_engine
    from voice_local.tts import Speaker, voice_for_locale

    if from_files and not files:
        raise click.UsageError("--input needs at least one WAV file.")
    backend = open_backend()
    model = load_interaction_model(model_path)
    stt = create_engine(engine or default_engine(model.locale), model, stt_model=stt_model)

    def announced(spoken: Spoken) -> None:
        if spoken.utterance.kind == "announcement":
            where = f" → {spoken.wav}" if spoken.wav else ""
            click.echo(f"📣 {spoken.utterance.text}{where}", err=as_json)

    # The answers are in the model's language: speak them with that language's voice. Fails
    # here, before the first customer, when the voice is missing or answers cannot be played.
    chosen = voice or voice_for_locale(model.locale)
    voice_out = VoiceOutput(lambda: Speaker(voice=chosen, rate=rate), output, announced)
    click.echo(f"Speaking {model.locale} with voice {chosen or 'default (English)'}.", err=True)
    settings = SkillSettings.from_environment()
    kiosk_ = Kiosk(
        backend,
        build_skill(backend, settings),
        IntentMatcher(model),
        stt,
        voice_out,
        device_id,
        model.locale,
        idle_seconds=idle_timeout,
        confirm_below=default_threshold(stt.name) if confirm_below is None else confirm_below,
        pickup_store=settings.shop_name,
        on_session=_report_session,
        shop_names=(settings.shop_name,),
    )
    signal.signal(signal.SIGTERM, _interrupt)
    kiosk_.follow_orders(announce=not no_announce)
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
