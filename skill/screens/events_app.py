"""GET /screens/<id>/events and /staff/events on the event loop: thousands of open streams, no
thread each.

Every stream is a coroutine fed by the process's one ScreenFeed. A paired screen's stream needs
the screen's proof cookie and never starts before the pairing; an unpaired screen's stream only
says `paired` or `expired`. The staff board's stream (every household's order events) needs a
signed-in staff session, checked by the same code as the staff pages. Each client address may
hold a bounded number of streams.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine, MutableMapping
from typing import Any

from flask import Flask
from werkzeug.http import parse_cookie

from backend.clock import utcnow
from backend.runtime import Backend
from backend.services.pairing import live_code
from skill.screens.access import COOKIE_NAME, read_proof
from skill.screens.feed import ScreenFeed
from skill.screens.secret_key import ensure_secret_key
from skill.screens.stream import (
    HEARTBEAT,
    StreamSettings,
    format_event,
    format_signal,
    opening,
    resume_point,
)
from skill.screens.views import SECURITY_HEADERS, STREAM_SETTINGS_KEY, valid_device_id
from skill.staff.auth import configured_token, is_logged_in
from skill.wsgi_bridge import environ_for

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_STREAM_HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-cache"),
    (b"x-accel-buffering", b"no"),
    *((name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS.items()),
]


async def _plain(send: Send, status: int, text: str, retry_after: int | None = None) -> None:
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"cache-control", b"no-store")]
    if retry_after is not None:
        headers.append((b"retry-after", str(retry_after).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": text.encode()})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _query(scope: Scope, name: str) -> str | None:
    from urllib.parse import parse_qs

    values = parse_qs(bytes(scope.get("query_string", b"")).decode("latin-1")).get(name)
    return values[0] if values else None


class ScreenEvents:
    """The ASGI handler for one process; `feed` is made on first use (inside the worker)."""

    def __init__(self, flask_app: Flask) -> None:
        self._app = flask_app
        self._backend: Backend = flask_app.extensions["vcom.backend"]
        self._feed: ScreenFeed | None = None
        self._open: Counter[str] = Counter()

    @property
    def settings(self) -> StreamSettings:
        configured = self._app.config.get(STREAM_SETTINGS_KEY)
        return configured if isinstance(configured, StreamSettings) else StreamSettings()

    @property
    def feed(self) -> ScreenFeed:
        if self._feed is None:
            self._feed = ScreenFeed(self._backend, self.settings)
        return self._feed

    def close(self) -> None:
        if self._feed is not None:
            self._feed.stop()

    def open_streams(self, client: str) -> int:
        return self._open[client]

    async def __call__(self, scope: Scope, receive: Receive, send: Send, device_id: str) -> None:
        if not valid_device_id(device_id):
            await _plain(send, 404, "Not found")
            return
        await self._counted(scope, send, self._serve(scope, receive, send, device_id))

    async def staff(self, scope: Scope, receive: Receive, send: Send) -> None:
        """GET /staff/events: every household's order events, for a signed-in staff browser."""
        await self._counted(scope, send, self._serve_staff(scope, receive, send))

    async def _counted(self, scope: Scope, send: Send, stream: Coroutine[Any, Any, None]) -> None:
        """Runs `stream` unless its client address already holds its share of open streams."""
        client = (scope.get("client") or ("?", 0))[0]
        if self._open[client] >= self.settings.max_streams_per_client:
            stream.close()
            await _plain(send, 429, "Too many open streams from this address.", retry_after=30)
            return
        self._open[client] += 1
        try:
            await stream
        finally:
            self._open[client] -= 1
            if self._open[client] <= 0:
                del self._open[client]

    async def _serve_staff(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The staff pages' own check (Flask's signed session and the session row in the store),
        # in a thread: it reads the store.
        if not await self.feed.io(self._staff_signed_in, environ_for(scope, b"")):
            await _plain(send, 403, "Sign in on /staff first.")
            return
        settings = self.settings
        after = resume_point(_header(scope, b"last-event-id"), _query(scope, "after"))
        await send({"type": "http.response.start", "status": 200, "headers": _STREAM_HEADERS})
        await _until_disconnect(receive, send, self._follow(send, None, after, settings))

    def _staff_signed_in(self, environ: dict[str, Any]) -> bool:
        with self._app.request_context(environ):
            token = configured_token()
            return token is not None and is_logged_in(token)

    async def _serve(self, scope: Scope, receive: Receive, send: Send, device_id: str) -> None:
        settings = self.settings
        feed = self.feed
        customer_id = await feed.household_of(device_id)
        if customer_id is None:
            body = self._waiting(send, device_id, settings)
        else:
            cookies = parse_cookie(_header(scope, b"cookie") or "")
            secret = ensure_secret_key(self._app)
            proof = read_proof(secret, cookies.getlist(COOKIE_NAME), device_id, customer_id)
            if proof is None:
                await _plain(send, 403, "This screen is not paired on this browser.")
                return
            after = resume_point(_header(scope, b"last-event-id"), _query(scope, "after"))
            # Catch-up never reaches back before the pairing.
            if after is not None:
                after = max(after, proof.floor_event_id)
            body = self._follow(send, customer_id, after, settings)
        await send({"type": "http.response.start", "status": 200, "headers": _STREAM_HEADERS})
        await _until_disconnect(receive, send, body)

    async def _follow(
        self, send: Send, customer_id: int | None, after: int | None, settings: StreamSettings
    ) -> None:
        """The household's events (None: every household's order events) after `after` (None:
        from now on)."""
        await _write(send, opening(settings))
        feed = self.feed
        follower, upto = await feed.follow(customer_id)
        try:
            # Everything settled after `upto` reaches the follower; what came before and after
            # `after` is read from the store. Without `after` the stream starts now: no query.
            last = upto if after is None else after
            while last < upto:
                page, read_to = await feed.history(customer_id, last, upto)
                if page:
                    await _write(send, "".join(format_event(e) for e in page))
                if read_to <= last:
                    break
                last = read_to
            started = time.monotonic()
            while (left := settings.lifetime_seconds - (time.monotonic() - started)) > 0:
                try:
                    event = await asyncio.wait_for(
                        follower.queue.get(), min(left, settings.heartbeat_seconds)
                    )
                except TimeoutError:
                    if time.monotonic() - started < settings.lifetime_seconds:
                        await _write(send, HEARTBEAT)
                    continue
                if event is None:  # it fell too far behind: end; the browser catches up
                    return
                batch = [event]
                while not follower.queue.empty():
                    queued = follower.queue.get_nowait()
                    if queued is None:
                        return
                    batch.append(queued)
                fresh = [e for e in batch if e.id > last]
                if fresh:
                    await _write(send, "".join(e.text for e in fresh))
                    last = fresh[-1].id
        finally:
            feed.unfollow(follower)

    async def _waiting(self, send: Send, device_id: str, settings: StreamSettings) -> None:
        """For a screen showing a pairing code: `paired` once it is linked, `expired` when the
        code runs out (the page then asks for a fresh one). Never makes a code itself."""
        await _write(send, opening(settings))
        feed = self.feed
        code = await feed.io(live_code, self._backend.reader(), device_id)
        if code is None:
            await _write(send, format_signal("expired"))
            return
        expires_in = (code.expires_at - utcnow()).total_seconds()
        waiter = await feed.wait_for_pairing(device_id)
        try:
            started = time.monotonic()
            deadline = started + min(expires_in, settings.lifetime_seconds)
            while (left := deadline - time.monotonic()) > 0:
                try:
                    await asyncio.wait_for(
                        waiter.paired.wait(), min(left, settings.heartbeat_seconds)
                    )
                except TimeoutError:
                    await _write(send, HEARTBEAT)
                    continue
                await _write(send, format_signal("paired"))
                return
            if time.monotonic() - started >= expires_in:
                await _write(send, format_signal("expired"))
        finally:
            feed.stop_waiting(waiter)


async def _write(send: Send, text: str) -> None:
    await send({"type": "http.response.body", "body": text.encode(), "more_body": True})


async def _until_disconnect(receive: Receive, send: Send, body: Awaitable[None]) -> None:
    """Runs the stream until it ends or the client goes away, then ends the response."""

    async def disconnected() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    stream = asyncio.ensure_future(body)
    watcher = asyncio.ensure_future(disconnected())
    try:
        await asyncio.wait((stream, watcher), return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (stream, watcher):
            task.cancel()
        await asyncio.gather(stream, watcher, return_exceptions=True)
    if watcher.done() and not watcher.cancelled():
        return  # the client left: nothing more to send
    await send({"type": "http.response.body", "body": b"", "more_body": False})
    if not stream.cancelled() and stream.exception() is not None:
        raise stream.exception()  # type: ignore[misc]  # to the server's log
