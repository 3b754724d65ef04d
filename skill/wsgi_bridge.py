"""Runs a WSGI app (Flask) from an event loop: one thread hop per request, bounded bodies.

The body is read on the loop (at most `max_body` bytes: beyond that the client gets 413 and
nothing reaches the app), the app runs in a thread pool of its own and its whole response is
collected there, then sent from the loop. A request thus waits for the loop once, not at every
chunk: with a thousand open streams on the same loop, each wait for it costs (the loop thread
queues for the GIL behind the request threads after every socket write).
"""

from __future__ import annotations

import asyncio
import io
import sys
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

TOO_LARGE = b"The request body is too large."


@dataclass
class _Response:
    status: int = 500
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: list[bytes] = field(default_factory=list)


def environ_for(scope: Scope, body: bytes) -> dict[str, Any]:
    """The WSGI environ of an ASGI HTTP scope whose body has been read in full."""
    server = scope.get("server") or ("localhost", 80)
    client = scope.get("client")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": scope.get("root_path", "").encode().decode("latin-1"),
        "PATH_INFO": scope["path"].encode().decode("latin-1"),
        "QUERY_STRING": bytes(scope.get("query_string", b"")).decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1] or 0),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "REMOTE_ADDR": client[0] if client else "",
        "REMOTE_PORT": str(client[1]) if client else "0",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        # The body is complete (whatever the framing), so the app may read it to its end.
        "wsgi.input_terminated": True,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for raw_name, raw_value in scope.get("headers", ()):
        name = bytes(raw_name).decode("latin-1").upper().replace("-", "_")
        value = bytes(raw_value).decode("latin-1")
        key = name if name in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{name}"
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    return environ


class BufferedWSGI:
    def __init__(self, app: WSGIApp, threads: int, max_body: int) -> None:
        self._app = app
        self._max_body = max_body
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="wsgi")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = await self._read_body(receive)
        if body is None:
            await send(
                {
                    "type": "http.response.start",
                    "status": 413,
                    "headers": [(b"content-type", b"text/plain"), (b"connection", b"close")],
                }
            )
            await send({"type": "http.response.body", "body": TOO_LARGE})
            return
        loop = asyncio.get_running_loop()
        response = await loop.run_in_executor(self._pool, self._run, environ_for(scope, body))
        await send(
            {"type": "http.response.start", "status": response.status, "headers": response.headers}
        )
        await send({"type": "http.response.body", "body": b"".join(response.body)})

    async def _read_body(self, receive: Receive) -> bytes | None:
        """The whole body, or None once it grows past the limit (the rest is never read)."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self._max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    def _run(self, environ: dict[str, Any]) -> _Response:
        response = _Response()

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            response.status = int(status.split(" ", 1)[0])
            response.headers = [
                (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers
            ]
            return response.body.append

        result = self._app(environ, start_response)
        try:
            for chunk in result:
                if chunk:
                    response.body.append(chunk)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return response

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
