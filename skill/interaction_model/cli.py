"""`vcom model build` and `vcom model check`: the interaction model, in step with the catalog."""

from __future__ import annotations

import json
from pathlib import Path

import click

from backend.catalog_data import DEFAULT_CATALOG_PATH, CatalogFileError, load_catalog
from skill.interaction_model.build import (
    DEFAULT_MODEL_PATH,
    DEFAULT_PACKAGE_DIR,
    build_model,
    package_model_path,
    read_model,
    stale_files,
    write_model,
)
from skill.interaction_model.check import check_model

_FILE = click.Path(dir_okay=False, path_type=Path)


@click.group("model")
def model() -> None:
    """Build and check the Alexa interaction model."""


@model.command("build")
@click.option(
    "--catalog",
    "catalog_path",
    type=_FILE,
    default=DEFAULT_CATALOG_PATH,
    show_default=True,
    help="Catalog JSON the PRODUCT and UNIT slot types are generated from.",
)
@click.option(
    "--model",
    "model_path",
    type=_FILE,
    default=DEFAULT_MODEL_PATH,
    show_default=True,
    help="Interaction model JSON to rebuild in place.",
)
@click.option(
    "--package-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_PACKAGE_DIR,
    show_default=True,
    help="ASK CLI skill package that receives a copy under interactionModels/custom/.",
)
@click.option(
    "--check-only",
    is_flag=True,
    help="Write nothing; exit 1 if a file is out of date or the model has problems.",
)
def build(catalog_path: Path, model_path: Path, package_dir: Path, check_only: bool) -> None:
    """Regenerate the catalog slot types of the model (and its skill-package copy)."""
    try:
        catalog = load_catalog(catalog_path)
        mirror = package_model_path(model_path, package_dir)
        if check_only:
            stale = stale_files(model_path, catalog, mirrors=[mirror])
            problems = check_model(build_model(read_model(model_path), catalog))
        else:
            changed = write_model(model_path, catalog, mirrors=[mirror])
            problems = check_model(read_model(model_path))
    except (CatalogFileError, OSError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc

    failed = bool(problems)
    if check_only:
        for path in stale:
            click.echo(f"{path}: out of date; run `vcom model build`", err=True)
        failed |= bool(stale)
        if not failed:
            click.echo(f"{model_path} and {mirror} are up to date")
    else:
        state = "updated" if changed else "already up to date"
        click.echo(f"{model_path} {state} ({len(catalog.products)} products); copy in {mirror}")
    _report(model_path, problems)
    if failed:
        raise SystemExit(1)


@model.command("check")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def check(paths: tuple[Path, ...]) -> None:
    """Lint interaction model files; exit 1 listing the problems if any."""
    failed = False
    for path in paths:
        try:
            problems = check_model(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError) as exc:
            problems = [f"cannot read it as JSON: {exc}"]
        _report(path, problems)
        if not problems:
            click.echo(f"{path}: ok")
        failed |= bool(problems)
    if failed:
        raise SystemExit(1)


def _report(path: Path, problems: list[str]) -> None:
    for problem in problems:
        click.echo(f"{path}: {problem}", err=True)
