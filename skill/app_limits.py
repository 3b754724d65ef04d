"""Rate limits kept per Flask app: one SlidingWindow per config key, made on first use (a test
or an operator may put their own in the config first)."""

from __future__ import annotations

from flask import current_app

from backend.rate_limits import SlidingWindow


def app_limit(key: str, *, limit: int, seconds: float) -> SlidingWindow:
    limiter = current_app.config.get(key)
    if not isinstance(limiter, SlidingWindow):
        limiter = SlidingWindow(limit=limit, seconds=seconds)
        current_app.config[key] = limiter
    return limiter
