"""Server-Sent Events from the outbox: in id order, once, resumable, bounded in time.

Ordering and gaps are handled by backend.events.SettledCursor; this module only formats the
stream and bounds its life.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from backend.events import ScreenEvent, SettledCursor

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
