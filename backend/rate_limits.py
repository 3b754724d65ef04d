"""In-process limits on how often something may happen: wrong codes, new pairing codes, sign-ins.

Each process keeps its own counts (they are not in the store), so with N worker processes a
caller gets at most N times the limit; the limits are set so that even that is far too few tries
to guess a code or a token.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

Clock = Callable[[], float]


@dataclass
class SlidingWindow:
    """At most `limit` events per key within any `seconds`-long window."""

    limit: int
    seconds: float
    clock: Clock = time.monotonic
    # Keys seen at most this many: an attacker cycling through keys cannot grow memory forever.
    max_keys: int = 100_000
    _events: dict[Hashable, deque[float]] = field(default_factory=dict, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def _recent(self, key: Hashable, now: float) -> deque[float]:
        times = self._events.get(key)
        if times is None:
            if len(self._events) >= self.max_keys:
                self._forget_idle(now)
            times = self._events.setdefault(key, deque())
        while times and now - times[0] >= self.seconds:
            times.popleft()
        return times

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, t in self._events.items() if not t or now - t[-1] >= self.seconds]:
            del self._events[key]
        if len(self._events) >= self.max_keys:  # still full: forget the oldest half
            for key in list(self._events)[: self.max_keys // 2]:
                del self._events[key]

    def retry_after(self, key: Hashable) -> float:
        """Seconds until `key` may act again; 0 when it may now."""
        with self._lock:
            now = self.clock()
            times = self._recent(key, now)
            if len(times) < self.limit:
                return 0.0
            return max(0.0, self.seconds - (now - times[len(times) - self.limit]))

    def record(self, key: Hashable) -> None:
        with self._lock:
            now = self.clock()
            self._recent(key, now).append(now)

    def try_acquire(self, key: Hashable) -> float:
        """Counts one event for `key` if it is under the limit and returns 0; otherwise counts
        nothing and returns the seconds until it may try again."""
        with self._lock:
            now = self.clock()
            times = self._recent(key, now)
            if len(times) < self.limit:
                times.append(now)
                return 0.0
            return max(0.0, self.seconds - (now - times[len(times) - self.limit]))

    def clear(self, key: Hashable) -> None:
        with self._lock:
            self._events.pop(key, None)

    def reset(self) -> None:
        with self._lock:
            self._events.clear()
