"""The store a command works on, opened once per command."""

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


def open_backend(url: str | None = None) -> Backend:
    store = open_store(url)
    return Backend(store, EventHub(store))
