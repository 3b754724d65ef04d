"""Serves a WSGI app on a real local port for the length of a `with` block."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from werkzeug.serving import make_server

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication


@contextmanager
def serve_wsgi(app: WSGIApplication) -> Iterator[str]:
    """Yields the base URL (http://127.0.0.1:<port>) of a threaded server running `app`."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # A short poll interval lets shutdown() return quickly instead of after the default 0.5 s.
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.02},
        name="wsgi-test-server",
        daemon=True,
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
