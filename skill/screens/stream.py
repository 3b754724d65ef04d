"""Server-Sent Events for screens: settings, and the text of each message.

Ordering and gaps are handled by backend.events.SettledCursor (in skill.screens.feed); serving
the streams is skill.screens.events_app.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from backend.events import ScreenEvent


@dataclass(frozen=True)
class StreamSettings:
    # Wake-ups for events committed by other processes; in-process commits wake at once.
    poll_seconds: float = 0.25
    # The poller reads the outbox at most this often: under load a burst of commits costs one
    # read, not one each (every read takes the GIL from the requests; 50 ms is unnoticeable
    # on a screen).
    read_interval_seconds: float = 0.05
    # A comment line now and then keeps proxies from closing an idle stream and finds dead peers.
    heartbeat_seconds: float = 15.0
    # Each connection ends after this long and the browser reconnects with Last-Event-ID.
    lifetime_seconds: float = 300.0
    retry_ms: int = 1000
    gap_grace_seconds: float = 2.0
    # Open streams per client address (per worker process): a shop's screens behind one router
    # fit; one client cannot hold thousands of connections.
    max_streams_per_client: int = 32
    # How often waiting (unpaired) screens are checked for a pairing, all in one query.
    pairing_check_seconds: float = 0.5
    # Events queued for one stream that is not reading; past this it is closed and reconnects.
    max_queued_events: int = 1000


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


HEARTBEAT = ": heartbeat\n\n"


def resume_point(last_event_id: str | None, after: str | None) -> int | None:
    """Where a client resumes: the Last-Event-ID header (sent by a reconnecting browser) wins
    over ?after= (used on a page's first connection); None when neither is a usable id."""
    for value in (last_event_id, after):
        if value is None:
            continue
        value = value.strip()
        if value.isascii() and value.isdigit() and len(value) <= 18:
            return int(value)
    return None
