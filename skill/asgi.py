"""What `vcom serve` runs: screen streams on the event loop, everything else in Flask's threads.

Flask answers /alexa, the pages and the health check from a pool of `threads` threads (through
a2wsgi); GET /screens/<id>/events never enters that pool, so open screens cannot take capacity
from Alexa, however many there are.
"""

from __future__ import annotations

import re
from typing import Any

from a2wsgi import WSGIMiddleware
from flask import Flask

from skill.screens.events_app import Receive, Scope, ScreenEvents, Send

EVENTS_PATH = re.compile(r"/screens/([^/]+)/events")


class ServingApp:
    def __init__(self, flask_app: Flask, threads: int = 8) -> None:
        self.flask_app = flask_app
        self.screen_events = ScreenEvents(flask_app)
        self._wsgi: Any = WSGIMiddleware(flask_app, workers=threads)  # type: ignore[arg-type]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] == "http" and scope["method"] == "GET":
            # fullmatch on the decoded path: "/screens/a%0a/events" names the id "a\n".
            found = EVENTS_PATH.fullmatch(scope["path"])
            if found:
                await self.screen_events(scope, receive, send, found.group(1))
                return
        await self._wsgi(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.screen_events.close()
                await send({"type": "lifespan.shutdown.complete"})
                return
