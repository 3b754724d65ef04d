"""`vcom nlu match`: try the kiosk's intent matcher on typed text."""

from __future__ import annotations

import json
from pathlib import Path

import click

from voice_local.nlu.interaction_model import InteractionModelError, load_interaction_model
from voice_local.nlu.matcher import IntentMatcher


@click.command("match")
@click.option(
    "--model", "model_path", required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Alexa interaction-model JSON, e.g. interaction_models/en-US.json.",
)
@click.option("--locale", default=None, help="Locale when the file name does not tell it.")
@click.option("--threshold", default=0.6, show_default=True, type=click.FloatRange(0, 1),
              help="Below this confidence the result is AMAZON.FallbackIntent.")
@click.argument("texts", nargs=-1, required=True)
def match(model_path: Path, locale: str | None, threshold: float, texts: tuple[str, ...]) -> None:
    """Print one JSON line per TEXT: the intent, slot values, confidence and best sample."""
    try:
        model = load_interaction_model(model_path, locale)
    except InteractionModelError as error:
        raise click.ClickException(str(error)) from error
    matcher = IntentMatcher(model, threshold=threshold)
    for text in texts:
        result = matcher.match(text)
        click.echo(json.dumps({
            "text": text,
            "intent": result.intent,
            "slots": {name: slot.value for name, slot in result.slots.items()},
            "confidence": result.confidence,
            "sample": result.sample,
        }, ensure_ascii=False))
