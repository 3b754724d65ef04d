"""One transaction per use: services enter it, change things, and commit or lose everything."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from sqlalchemy import Connection, insert
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from backend.events import EventHub
from backend.persistence.models import OutboxEvent
from backend.persistence.store import Store, store_error

_INSERT_EVENT = insert(OutboxEvent.__table__)


class UnitOfWork:
    def __init__(
        self,
        store: Store,
        hub: EventHub | None = None,
        *,
        write: bool = True,
        single_statement: bool = False,
    ) -> None:
        self.store = store
        self.hub = hub
        self._write = write
        self._single_statement = single_statement
        self._session: Session | None = None
        self._emitted = False

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("use the unit of work inside a `with` block")
        return self._session

    @property
    def connection(self) -> Connection:
        """The transaction's connection, for Core statements beside the session's work."""
        return self.session.connection()

    @property
    def dialect(self) -> str:
        return self.store.engine.dialect.name

    def __enter__(self) -> UnitOfWork:
        engine = self.store.engine_for(write=self._write, single_statement=self._single_statement)
        self._session = Session(engine, expire_on_commit=False, autoflush=True)
        self._emitted = False
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            session.rollback()  # a no-op after commit; otherwise nothing is half-written
        finally:
            session.close()
            self._session = None
        if isinstance(exc, OperationalError) or (
            isinstance(exc, DBAPIError) and exc.connection_invalidated
        ):
            if self.store.is_sqlite:
                # Pooled SQLite connections stay on the file they opened: after the file was
                # replaced or restored, only new connections see it.
                self.store.engine.dispose()
            raise store_error(exc, self.store.url) from exc

    def emit(self, customer_id: int, kind: str, payload: dict[str, Any]) -> None:
        """Writes a screen event now, in this transaction: it commits or rolls back with it."""
        self.session.flush()  # the ORM's pending changes first, so event ids follow the changes
        self.connection.execute(
            _INSERT_EVENT, {"customer_id": customer_id, "kind": kind, "payload": payload}
        )
        self._emitted = True

    def commit(self) -> None:
        self.session.commit()
        if self._emitted and self.hub is not None:
            self.hub.notify()
        self._emitted = False

    def rollback(self) -> None:
        self.session.rollback()
        self._emitted = False
