"""A running backend: the store and its event hub, and units of work over them."""

from __future__ import annotations

from dataclasses import dataclass

from backend.events import EventHub
from backend.persistence.store import Store, open_store
from backend.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Backend:
    store: Store
    hub: EventHub

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.store, self.hub)

    def reader(self) -> UnitOfWork:
        """A unit of work for reads only: it does not take SQLite's write lock."""
        return UnitOfWork(self.store, self.hub, write=False)

    def single_statement(self) -> UnitOfWork:
        """A unit of work for a service that writes with exactly one statement.

        On PostgreSQL it runs without BEGIN and COMMIT (see Store.engine_for).
        """
        return UnitOfWork(self.store, self.hub, single_statement=True)


def open_backend(url: str | None = None) -> Backend:
    store = open_store(url)
    return Backend(store, EventHub(store))
