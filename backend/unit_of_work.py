"""One transaction per use: services enter it, change things, and commit or lose everything."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from sqlalchemy import Connection, insert
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from backend.committed_events import CommittedEvent, note_committed
from backend.events import EventHub
from backend.persistence.models import OutboxEvent
from backend.persistence.store import Store, store_error

_INSERT_EVENT = insert(OutboxEvent.__table__)


class UnitOfWork:
    """A transaction on one connection. Core statements use `connection`; the ORM's `session` is
    made on first use, bound to the same connection, so services that only run Core statements
    (the hot path of every turn) skip its set-up."""

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
        self._active = False
        self._connection: Connection | None = None
        self._session: Session | None = None
        self._emitted: list[CommittedEvent] = []

    @property
    def connection(self) -> Connection:
        """The transaction's connection, opened on first use."""
        if not self._active:
            raise RuntimeError("use the unit of work inside a `with` block")
        if self._connection is None:
            engine = self.store.engine_for(
                write=self._write, single_statement=self._single_statement
            )
            self._connection = engine.connect()
            self._connection.begin()  # SQLite writers take the lock here (store._on_begin)
        return self._connection

    @property
    def session(self) -> Session:
        if self._session is None:
            # It joins the connection's transaction: committing is this unit of work's call.
            self._session = Session(
                bind=self.connection,
                expire_on_commit=False,
                autoflush=True,
                join_transaction_mode="rollback_only",
            )
        return self._session

    @property
    def dialect(self) -> str:
        return self.store.engine.dialect.name

    def __enter__(self) -> UnitOfWork:
        self._active = True
        self._emitted = []
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        cleanup_error: DBAPIError | None = None
        try:
            self._end(commit=False)  # after commit there is nothing left to roll back
        except DBAPIError as error:
            # Rolling back on a connection the server dropped fails too; the first error says
            # what happened.
            cleanup_error = error
        finally:
            self._active = False
        problem = exc if exc is not None else cleanup_error
        if isinstance(problem, OperationalError) or (
            isinstance(problem, DBAPIError) and problem.connection_invalidated
        ):
            if self.store.is_sqlite:
                # Pooled SQLite connections stay on the file they opened: after the file was
                # replaced or restored, only new connections see it.
                self.store.engine.dispose()
            raise store_error(problem, self.store.url) from problem
        if cleanup_error is not None and exc is None:
            raise cleanup_error

    def _end(self, *, commit: bool) -> None:
        session, connection = self._session, self._connection
        self._session = self._connection = None
        try:
            if session is not None:
                if commit:
                    session.flush()
                session.close()
            if connection is not None:
                if commit:
                    connection.commit()
                else:
                    connection.rollback()
        finally:
            if connection is not None:
                connection.close()

    def emit(self, customer_id: int, kind: str, payload: dict[str, Any]) -> None:
        """Writes a screen event now, in this transaction: it commits or rolls back with it."""
        if self._session is not None:
            self._session.flush()  # the ORM's pending changes first, so event ids follow them
        self.connection.execute(
            _INSERT_EVENT, {"customer_id": customer_id, "kind": kind, "payload": payload}
        )
        self._emitted.append(CommittedEvent(kind, payload))

    def commit(self) -> None:
        """Commits and ends the transaction; using the unit of work again starts a new one."""
        self._end(commit=True)
        if self._emitted:
            note_committed(self._emitted)
            if self.hub is not None:
                self.hub.notify()
        self._emitted = []

    def rollback(self) -> None:
        self._end(commit=False)
        self._emitted = []
