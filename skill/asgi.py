"""What `vcom serve` runs: event streams on the event loop, everything else in Flask's threads.

Flask answers /alexa, the pages and the health check from a pool of `threads` threads
(skill.wsgi_bridge); GET /screens/<id>/events and GET /staff/events never enter that pool, so
open screens and staff boards cannot take capacity from Alexa, however many there are.
"""

from __future__ import annotations

import re

from flask import Flask

from skill.endpoint import MAX_BODY_BYTES
from skill.screens.events_app import Receive, Scope, ScreenEvents, Send
from skill.staff.views import EVENTS_PATH as STAFF_EVENTS_PATH
from skill.wsgi_bridge import BufferedWSGI

EVENTS_PATH = re.compile(r"/screens/([^/]+)/events")


class ServingApp:
    def __init__(self, flask_app: Flask, threads: int = 8) -> None:
        self.flask_app = flask_app
        self.screen_events = ScreenEvents(flask_app)
        self._wsgi = BufferedWSGI(flask_app.wsgi_app, threads, MAX_BODY_BYTES)

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
            if scope["path"] == STAFF_EVENTS_PATH:
                await self.screen_events.staff(scope, receive, send)
                return
        await self._wsgi(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.screen_events.close()
                self._wsgi.close()
                await send({"type": "lifespan.shutdown.complete"})
                return
