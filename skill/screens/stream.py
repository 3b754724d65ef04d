"""Server-Sent Events from the outbox: in id order, once, resumable, bounded in time.

Outbox ids are handed out when a row is inserted but become visible when its transaction
commits, so on PostgreSQL id 12 can be visible while id 11 is still on its way. A reader that
moved past 11 would never see it. The cursor therefore stops at the first missing id and waits
for it; an id that stays missing longer than `gap_grace_seconds` belonged to a transaction that
rolled back, and is skipped.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from backend.clock import utcnow
from backend.events import EventHub, ScreenEvent

Clock = Callable[[], float]


@dataclass(frozen=True)
class StreamSettings:
    # Wake-ups for events committed by other processes; in-process commits wake at once.
    poll_seconds: float = 0.25
    # A comment line now and then keeps proxies from closing an idle stream and finds dead peers.
    heartbeat_seconds: float = 15.0
    # Each connection ends after this long and the browser reconnects with Last-Event-ID,
    # so a server thread is never held forever by a tab that went away silently.
    lifetime_seconds: float = 300.0
    retry_ms: int = 1000
    gap_grace_seconds: float = 2.0


class SettledCursor:
    """One household's events after `after_id`, never past an id that may still commit."""

    def __init__(
        self,
        hub: EventHub,
        customer_id: int,
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


def format_event(event: ScreenEvent) -> str:
    data = json.dumps(
        {"id": event.id, "kind": event.kind, "at": event.created_at.isoformat(), **event.payload},
        separators=(",", ":"),
    )
    return f"id: {event.id}\nevent: {event.kind}\ndata: {data}\n\n"


def format_signal(kind: str, data: dict[str, object] | None = None) -> str:
    return f"event: {kind}\ndata: {json.dumps(data or {})}\n\n"


def opening(settings: StreamSettings) -> str:
    # Sent at once so the browser sees the stream open before the first event.
    return f"retry: {settings.retry_ms}\n: connected\n\n"


def household_stream(
    cursor: SettledCursor, settings: StreamSettings, clock: Clock = time.monotonic
) -> Iterator[str]:
    yield opening(settings)
    started = last_write = clock()
    while clock() - started < settings.lifetime_seconds:
        events = cursor.poll(settings.poll_seconds)
        for event in events:
            yield format_event(event)
        now = clock()
        if events:
            last_write = now
        elif now - last_write >= settings.heartbeat_seconds:
            yield ": heartbeat\n\n"
            last_write = now


def waiting_stream(
    is_paired: Callable[[], bool],
    expires_at: float,
    settings: StreamSettings,
    clock: Clock = time.monotonic,
) -> Iterator[str]:
    """For a screen showing a pairing code: says `paired` once it is linked, `expired` when the
    code runs out (the page then shows a fresh one)."""
    yield opening(settings)
    started = last_write = clock()
    # Checking the devices table is heavier than an outbox read: poll it less often.
    interval = max(settings.poll_seconds, 0.5)
    while clock() - started < settings.lifetime_seconds:
        if is_paired():
            yield format_signal("paired")
            return
        now = clock()
        if now >= expires_at:
            yield format_signal("expired")
            return
        if now - last_write >= settings.heartbeat_seconds:
            yield ": heartbeat\n\n"
            last_write = now
        time.sleep(interval)


def resume_point(last_event_id: str | None, after: str | None) -> int | None:
    """Where a client resumes: the Last-Event-ID header (sent by a reconnecting browser) wins
    over ?after= (used on a page's first connection); None when neither is a usable id."""
    for value in (last_event_id, after):
        if value is not None and value.strip().isdigit():
            return int(value.strip())
    return None
