"""Screen events: read from the outbox by id, fanned out in-process.

Events are rows written in the same transaction as the change they describe, so a subscriber that
was slow or away catches up by asking for everything after the last id it saw; nothing is held only
in memory. A notification after each commit wakes in-process subscribers at once; the poll timeout
catches events committed by other processes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from backend.clock import utcnow
from backend.persistence.models import OutboxEvent
from backend.persistence.store import Store


@dataclass(frozen=True)
class ScreenEvent:
    id: int
    customer_id: int
    kind: str
    payload: Mapping[str, Any]
    created_at: datetime


# Built once, as columns rather than ORM objects: pollers run these many times a second next to
# the requests, and a prebuilt statement skips construction and cache-key work each time.
_SINCE = (
    select(
        OutboxEvent.id,
        OutboxEvent.customer_id,
        OutboxEvent.kind,
        OutboxEvent.payload,
        OutboxEvent.created_at,
    )
    .where(OutboxEvent.id > bindparam("after"))
    .order_by(OutboxEvent.id)
    .limit(bindparam("limit"))
)
_SINCE_FOR_CUSTOMER = _SINCE.where(OutboxEvent.customer_id == bindparam("customer"))


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
        query = _SINCE if customer_id is None else _SINCE_FOR_CUSTOMER
        values = {"after": after_id, "limit": limit, "customer": customer_id}
        with self._store.engine.connect() as connection:
            return [ScreenEvent(*row) for row in connection.execute(query, values)]

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


Clock = Callable[[], float]
# The events that change an order (what the staff board follows); cart changes and screen
# notices do not.
ORDER_EVENTS = frozenset({"order_placed", "order_status"})


class SettledCursor:
    """One household's events (every household's, for None) after `after_id`, in id order, never
    past an id that may commit.

    Outbox ids are handed out when a row is inserted but become visible when its transaction
    commits, so on PostgreSQL id 12 can be visible while id 11 is still on its way. A reader
    that moved past 11 would never see it. The cursor therefore stops at the first missing id
    and waits for it; an id that stays missing longer than `gap_grace_seconds` belonged to a
    transaction that rolled back, and is skipped.
    """

    def __init__(
        self,
        hub: EventHub,
        customer_id: int | None,
        after_id: int,
        gap_grace_seconds: float = 2.0,
        clock: Clock = time.monotonic,
    ) -> None:
        self.customer_id = customer_id
        self._clock = clock
        self._grace = gap_grace_seconds
        # Every household's events are read, so that a gap can be told from someone else's event.
        self._all = hub.subscribe(None, after_id)
        self._settled_to = after_id
        self._gap_seen_at: float | None = None

    @property
    def last_id(self) -> int:
        return self._settled_to

    def poll(self, timeout: float) -> list[ScreenEvent]:
        events = self._all.poll(timeout)
        settled: list[ScreenEvent] = []
        held = False
        for event in events:
            if event.id != self._settled_to + 1 and not self._gap_expired(event):
                held = True
                break
            self._gap_seen_at = None
            settled.append(event)
            self._settled_to = event.id
        # Read again from the first unsettled id next time.
        self._all.last_id = self._settled_to
        if held:
            time.sleep(min(timeout, 0.05))  # the missing write is usually milliseconds away
        if self.customer_id is None:
            return settled
        return [event for event in settled if event.customer_id == self.customer_id]

    def _gap_expired(self, after_gap: ScreenEvent) -> bool:
        # Ids are handed out in insert order, so the missing write began before `after_gap` was
        # written; writes take milliseconds, so one older than the grace period rolled back.
        if (utcnow() - after_gap.created_at).total_seconds() >= self._grace:
            return True
        now = self._clock()  # and a local timer, in case the writer's clock runs ahead
        if self._gap_seen_at is None:
            self._gap_seen_at = now
        return now - self._gap_seen_at >= self._grace
