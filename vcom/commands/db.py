from __future__ import annotations

from pathlib import Path

import click

from backend.catalog_data import load_catalog
from backend.persistence.migrate import current_revision, head_revision, upgrade
from backend.persistence.store import configured_database_url, redact
from backend.runtime import open_backend
from backend.seed import seed


@click.group(help="Create, upgrade and fill the store.")
def db() -> None:
    pass


@db.command("upgrade", help="Create the store if needed and migrate it to the newest schema.")
def db_upgrade() -> None:
    url = configured_database_url()
    store = upgrade(url)
    click.echo(f"Store {redact(url)} is at schema revision {current_revision(store)}.")


@db.command("seed", help="Load the demo catalog and the demo household (safe to run again).")
@click.option(
    "--catalog",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A catalog JSON file instead of the bundled demo catalog.",
)
def db_seed(catalog: Path | None) -> None:
    backend = open_backend()
    report = seed(backend.uow(), load_catalog(catalog))
    click.echo(
        f"Catalog: {report.products_added} products added, {report.products_updated} updated. "
        + ("Demo household created." if report.customer_created else "Demo household present.")
    )


@db.command("status", help="Show which store is used and whether its schema is current.")
def db_status() -> None:
    backend = open_backend()
    current, head = current_revision(backend.store), head_revision()
    state = "up to date" if current == head else f"behind (newest is {head}): run `vcom db upgrade`"
    click.echo(f"Store: {redact(backend.store.url)}\nSchema: {current} — {state}")
