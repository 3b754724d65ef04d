"""vcom: run and manage a voice-commerce shop.

\b
Typical first run:
  vcom db upgrade      create or upgrade the store (SQLite in your data dir by default)
  vcom db seed         load the demo catalog and the demo household
  vcom serve           serve the Alexa skill endpoint and the companion screens

The store is chosen by VCOM_DATABASE_URL (e.g. postgresql://user@host/shop); without it, a SQLite
file in your user data directory is used.
"""

from __future__ import annotations

import logging
import sys

import click

from backend.errors import DomainError
from vcom.lazy_group import LazyCommand, LazyGroup

COMMANDS = {
    "db": LazyCommand("vcom.commands.db", "db", "Create, upgrade and fill the store."),
    "orders": LazyCommand("vcom.commands.orders", "orders", "See orders and move them on."),
    "customers": LazyCommand(
        "vcom.commands.customers", "customers", "Households, devices and voice purchase codes."
    ),
    "serve": LazyCommand(
        "vcom.commands.serve", "serve", "Serve the Alexa endpoint and the companion screens."
    ),
    "model": LazyCommand(
        "skill.interaction_model.cli", "model", "Build and check the interaction models."
    ),
    "models": LazyCommand(
        "voice_local.models_cli", "models", "List and download offline speech models."
    ),
    "understand": LazyCommand(
        "voice_local.understand", "understand", "WAV files → transcript, intent and slots (JSON)."
    ),
    "kiosk": LazyCommand(
        "vcom.commands.kiosk", "kiosk", "The offline counter kiosk: microphone in, answers out."
    ),
    "nlu": LazyCommand("voice_local.nlu.cli", "match", "Text → intent and slots (JSON)."),
    "simulate": LazyCommand(
        "vcom.commands.simulate", "simulate", "Type or speak as a customer; replay dialog scripts."
    ),
    "stats": LazyCommand("vcom.commands.stats", "stats", "Conversation analytics (turn log)."),
}


@click.group(cls=LazyGroup, lazy=COMMANDS, help=__doc__)
@click.option("-v", "--verbose", is_flag=True, help="Log what happens (to standard error).")
@click.version_option(package_name="voice-commerce")
def cli(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def main() -> None:
    try:
        cli(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except user_errors() as error:
        click.echo(f"Error: {getattr(error, 'message', error)}", err=True)
        sys.exit(1)


# Errors whose messages are written for the person at the keyboard: shown without a traceback.
USER_ERRORS = (
    ("voice_local.audio.errors", "AudioInputError"),
    ("voice_local.stt.transcript", "SttError"),
    ("voice_local.tts.speaker", "TtsError"),
    ("voice_local.nlu.interaction_model", "InteractionModelError"),
)


def user_errors() -> tuple[type[BaseException], ...]:
    # Only modules already imported can have raised; looking them up imports nothing heavy.
    found: list[type[BaseException]] = [DomainError]
    for module_name, attribute in USER_ERRORS:
        module = sys.modules.get(module_name)
        error = getattr(module, attribute, None) if module is not None else None
        if isinstance(error, type) and issubclass(error, BaseException):
            found.append(error)
    return tuple(found)
