"""Screen events: read from the outbox by id, fanned out in-process.

Events are rows written in the same transaction as the change they describe, so a subscriber that
was slow or away catches up by asking for everything after the last id it saw; nothing is held only
in memory. A notification after each commit wakes in-process subscribers at once; the poll timeout
catches events committed by other processes.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.persistence.models import OutboxEvent
from backend.persistence.store import Store


@dataclass(frozen=True)
class ScreenEvent:
    id: int
    customer_id: int
    kind: str
    payload: Mapping[str, Any]
    created_at: datetime


class EventHub:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._changed = threading.Condition()
        self._generation = 0

    def notify(self) -> None:
        with self._changed:
            self._generation += 1
            self._changed.notify_all()

    def latest_id(self, customer_id: int | None = None) -> int:
        query = select(func.max(OutboxEvent.id))
        if customer_id is not None:
            query = query.where(OutboxEvent.customer_id == customer_id)
        with Session(self._store.engine) as session:
            return session.scalar(query) or 0

    def read_since(
        self, after_id: int, customer_id: int | None = None, limit: int = 500
    ) -> list[ScreenEvent]:
        query = select(OutboxEvent).where(OutboxEvent.id > after_id)
        if customer_id is not None:
            query = query.where(OutboxEvent.customer_id == customer_id)
        query = query.order_by(OutboxEvent.id).limit(limit)
        with Session(self._store.engine) as session:
            return [
                ScreenEvent(row.id, row.customer_id, row.kind, row.payload, row.created_at)
                for row in session.scalars(query)
            ]

    def subscribe(
        self, customer_id: int | None = None, after_id: int | None = None
    ) -> Subscription:
        """Follows events after `after_id`, or after the newest one when it is None."""
        start = self.latest_id(customer_id) if after_id is None else after_id
        return Subscription(self, customer_id, start)

    def _wait(self, generation: int, timeout: float) -> int:
        with self._changed:
            if self._generation == generation:
                self._changed.wait(timeout)
            return self._generation


class Subscription:
    def __init__(self, hub: EventHub, customer_id: int | None, last_id: int) -> None:
        self._hub = hub
        self.customer_id = customer_id
        self.last_id = last_id

    def poll(self, timeout: float = 1.0) -> list[ScreenEvent]:
        """The next events in id order, waiting up to `timeout` seconds when there are none."""
        generation = self._hub._generation
        events = self._hub.read_since(self.last_id, self.customer_id)
        if not events:
            self._hub._wait(generation, timeout)
            events = self._hub.read_since(self.last_id, self.customer_id)
        if events:
            self.last_id = events[-1].id
        return events
