"""`vcom simulate`: a developer stands in for a customer and an Echo."""

from __future__ import annotations

import contextlib
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from interaction_models import DEFAULT_LOCALE
from interaction_models import model_path as shipped_model_path
from voice_local.simulator.devices import DEFAULT_PRESET, PRESETS

if TYPE_CHECKING:
    from backend.runtime import Backend
    from skill.envelopes import Device
    from voice_local.nlu.interaction_model import InteractionModel
    from voice_local.simulator.replay import ReplayScript
    from voice_local.simulator.runner import StoreProbe


def _typed_lines(show_prompt: bool) -> Iterator[str]:
    if show_prompt:
        with contextlib.suppress(ImportError):  # no readline on Windows
            import readline  # noqa: F401  (line editing and history for input())
    while True:
        try:
            yield input("you> " if show_prompt else "")
        except EOFError:
            return


@click.command(
    help="""Type (or speak) as a customer and see what the skill understood, said and showed.

\b
Each line you type goes through the intent matcher (and, with --voice, through espeak-ng and
speech-to-text first) into the skill; you see the intent, slots and confidence, the speech and
reprompt, the card and screen (APL) contents, the session attributes and milliseconds per
stage. "open corner shop" starts a session the way Alexa does; ".new" ends it; ".quit" leaves.

\b
  vcom simulate                               # interactive, Echo Show, configured store
  vcom simulate --device echo-dot --voice     # headless Echo, through speech-to-text
  vcom simulate --replay examples/dialogs/order_status.json # regression test, exit 1 on mismatch
  vcom simulate --endpoint http://127.0.0.1:8080/alexa    # a running `vcom serve --no-verify`

\b
--replay reads the ASK CLI `ask dialog --replay` file format:
  {"skillId": "...", "locale": "en-US", "type": "text",
   "userInput": ["open corner shop", "add two oat milks", "check out", "yes"],
   "expected": [null, "Added 2 oat milks", {"intent": "CheckoutIntent"},
                {"speech": "/order number is A \\\\d/", "endsSession": true}]}
"expected" (our addition; the ASK CLI ignores it) is aligned with "userInput". Each entry is
null (no check), a string the speech must contain (case-insensitive; "/.../" is a regular
expression), or an object with any of "speech", "intent", "endsSession", "slots"
({"product": "oat milk"}) and what the store must hold afterwards: "cart" ([{"product":
"latte", "variant": "large", "quantity": 1}], [] for empty), "total" (cents), "orders" (how
many the household placed) and "order" (its latest order's lines). Mismatches are reported
per turn and the exit status is 1.

\b
--replay runs on a scratch copy of the store (a temporary SQLite file with the same catalog,
customers and orders), as a customer new to the shop: replays place no real orders and give
the same result however often they run. --store-live replays on the configured store itself.

\b
--endpoint sends the same request envelopes over HTTP. The simulator cannot sign requests
as Amazon does, so the endpoint must be a development server started with
`vcom serve --no-verify`; a verifying endpoint refuses them with HTTP 400.
"""
)
@click.option(
    "--device",
    "preset",
    type=click.Choice(list(PRESETS)),
    default=DEFAULT_PRESET,
    show_default=True,
    help="Capabilities of the simulated device (echo-dot: no screen, so no APL).",
)
@click.option("--device-id", default=None, help="Pretend to be this device id instead.")
@click.option(
    "--model",
    "model_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Interaction model JSON [default: interaction_models/<locale>.json].",
)
@click.option(
    "--locale",
    default=None,
    help=f"Locale when no --model is given [default: the replay file's, else {DEFAULT_LOCALE}].",
)
@click.option(
    "--replay",
    "replay_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help='Replay an `ask dialog --replay` script and check its "expected" answers.',
)
@click.option(
    "--store-live",
    is_flag=True,
    help="With --replay: use the configured store itself (real orders!), not a scratch copy.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per turn on stdout.")
@click.option(
    "--endpoint",
    default=None,
    metavar="URL",
    help="POST envelopes to a running skill (a `vcom serve --no-verify` dev server).",
)
@click.option("--voice", is_flag=True, help="Synthesize each line and run speech-to-text first.")
@click.option(
    "--engine",
    type=click.Choice(["pocketsphinx", "vosk"]),
    default=None,
    help="Speech-to-text for --voice [default: pocketsphinx for en-*, vosk otherwise].",
)
@click.option(
    "--stt-model",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Speech model directory for --voice (Vosk); default $VCOM_VOSK_MODEL.",
)
def simulate(
    preset: str,
    device_id: str | None,
    model_path: Path | None,
    locale: str | None,
    replay_path: Path | None,
    store_live: bool,
    as_json: bool,
    endpoint: str | None,
    voice: bool,
    engine: str | None,
    stt_model: Path | None,
) -> None:
    from voice_local.nlu.interaction_model import InteractionModelError, load_interaction_model
    from voice_local.simulator.devices import simulated_device
    from voice_local.simulator.endpoint import EndpointError, http_transport
    from voice_local.simulator.replay import ReplayFileError, load_replay

    try:
        script = load_replay(replay_path) if replay_path else None
    except ReplayFileError as exc:
        raise click.ClickException(str(exc)) from exc
    locale = locale or (script.locale if script else None) or DEFAULT_LOCALE
    try:
        model = load_interaction_model(model_path or shipped_model_path(locale))
    except InteractionModelError as exc:
        raise click.ClickException(str(exc)) from exc
    from skill.settings import SkillSettings

    settings = SkillSettings.from_environment()
    if script is not None and script.locale and script.locale != model.locale:
        click.secho(
            f"Warning: {replay_path} is for {script.locale} but the model is {model.locale}.",
            fg="yellow",
            err=True,
        )
    # With VCOM_SKILL_ID set the skill refuses other application ids, as Alexa-hosted skills do.
    device = simulated_device(preset, model.locale, device_id, settings.skill_id)
    scratch = script is not None and not endpoint and not store_live
    if store_live and script is None:
        raise click.UsageError("--store-live only applies to --replay.")

    store: StoreProbe | None = None
    with contextlib.ExitStack() as cleanup:
        if endpoint:
            try:
                skill = http_transport(endpoint)
            except EndpointError as exc:
                raise click.ClickException(str(exc)) from exc
        else:
            from backend.runtime import open_backend
            from skill.builder import build_skill
            from voice_local.simulator.store_state import read_store_state

            backend = open_backend()
            if scratch:
                backend = _scratch_backend(backend, cleanup)
                # A new customer each run: orders from earlier runs do not change the answers.
                fresh = f"{device.user_id}.replay-{uuid.uuid4().hex[:8]}"
                device = replace(device, user_id=fresh)
            skill = build_skill(backend, settings)
            store = partial(read_store_state, backend, (device.device_id, device.user_id))
        _run(
            skill, model, device, script, replay_path, endpoint, preset, as_json,
            voice, engine, stt_model, store, settings.shop_name,
        )


def _scratch_backend(live: Backend, cleanup: contextlib.ExitStack) -> Backend:
    from backend.persistence.scratch import scratch_copy
    from backend.runtime import open_backend

    directory = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="vcom-replay-")))
    url = scratch_copy(live.store, directory)
    live.store.dispose()
    backend = open_backend(url)
    cleanup.callback(backend.store.dispose)
    return backend


def _run(
    skill: Any,
    model: InteractionModel,
    device: Device,
    script: ReplayScript | None,
    replay_path: Path | None,
    endpoint: str | None,
    preset: str,
    as_json: bool,
    voice: bool,
    engine: str | None,
    stt_model: Path | None,
    store: StoreProbe | None,
    shop_name: str,
) -> None:
    from voice_local.conversation import LocalConversation
    from voice_local.nlu.matcher import IntentMatcher
    from voice_local.simulator.endpoint import EndpointError
    from voice_local.simulator.runner import run_interactive, run_replay
    from voice_local.simulator.session import SimulatorSession

    voice_input = None
    if voice:
        from voice_local.simulator.voice import VoiceInput
        from voice_local.stt import SttError
        from voice_local.tts import TtsError

        try:
            voice_input = VoiceInput(model, engine=engine, stt_model=stt_model)  # type: ignore[arg-type]
        except (SttError, TtsError) as exc:
            raise click.ClickException(str(exc)) from exc

    session = SimulatorSession(
        LocalConversation(skill, model, device),
        IntentMatcher(model),
        voice_input,
        shop_names=(shop_name,),
    )
    try:
        if script is not None:
            outcome = run_replay(session, script, click.echo, as_json=as_json, store=store)
            if not outcome.passed:
                sys.exit(1)
            return
        interactive = sys.stdin.isatty()
        if interactive and not as_json:
            target = endpoint or "the skill in-process"
            click.echo(
                f"Simulating {preset} ({device.device_id}, {model.locale}) → {target}. "
                "Type .help for help, .quit to leave."
            )
        run_interactive(session, _typed_lines(interactive), click.echo, as_json=as_json)
    except EndpointError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if voice_input is not None:
            voice_input.close()
