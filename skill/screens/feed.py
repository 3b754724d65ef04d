"""One outbox poller per process for every open screen stream (and the staff board's).

A thread follows every household's events with a SettledCursor (woken at once by commits in this
process, every poll interval for commits by others) and checks, in one query, whether any
waiting screen was paired; it hands what it found to the event loop, which passes each event to
the streams of its household. A thousand open screens cost one poll, not a thousand.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.events import ORDER_EVENTS, ScreenEvent, SettledCursor
from backend.persistence.models import Device
from backend.runtime import Backend
from backend.services.pairing import households_of
from skill.screens.stream import StreamSettings, format_event

log = logging.getLogger(__name__)
T = TypeVar("T")
_PAGE = 500


@dataclass(frozen=True)
class Formatted:
    """An event as its stream text, formatted once for all the household's screens."""

    id: int
    text: str


@dataclass(eq=False)
class Follower:
    """One stream's queue of live events; `overflowed` when it stopped reading.

    `customer_id` None follows every household's order events (the staff board)."""

    customer_id: int | None
    queue: asyncio.Queue[Formatted | None]
    overflowed: bool = False

    def push(self, event: Formatted) -> None:
        if self.overflowed:
            return
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self.overflowed = True
            self.queue._queue.clear()  # type: ignore[attr-defined]  # drop and close at once
            self.queue.put_nowait(None)


@dataclass(eq=False)
class Waiter:
    device_id: str
    paired: asyncio.Event = field(default_factory=asyncio.Event)


class ScreenFeed:
    def __init__(self, backend: Backend, settings: StreamSettings) -> None:
        self._backend = backend
        self._settings = settings
        # Stream set-up reads (household, catch-up) use their own two threads, never the ones
        # that answer requests.
        self._io = ThreadPoolExecutor(max_workers=2, thread_name_prefix="screen-io")
        self._followers: dict[int | None, set[Follower]] = defaultdict(set)
        self._waiters: dict[str, set[Waiter]] = defaultdict(set)
        self._waiting_ids: frozenset[str] = frozenset()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._started = asyncio.Lock()
        self._stop = threading.Event()
        self.position = 0  # the newest settled outbox id handed to the loop
        # Devices whose household a new stream asked for, answered together (household_of).
        self._asked: dict[str, list[asyncio.Future[int | None]]] = {}
        self._answering: asyncio.Task[None] | None = None

    async def io(self, call: Callable[..., T], *args: object) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._io, call, *args)

    async def household_of(self, device_id: str) -> int | None:
        """The device's household (None: unpaired). Streams that connect while a lookup runs
        are answered by the next one, in one query: a thousand screens reconnecting after a
        restart cost a few queries, not a thousand."""
        answer: asyncio.Future[int | None] = asyncio.get_running_loop().create_future()
        self._asked.setdefault(device_id, []).append(answer)
        if self._answering is None:
            self._answering = asyncio.ensure_future(self._answer())
        return await answer

    async def _answer(self) -> None:
        try:
            while self._asked:
                asked, self._asked = self._asked, {}
                try:
                    found = await self.io(households_of, self._backend.reader(), sorted(asked))
                except Exception as error:  # each stream reports it (the store is down)
                    for answers in asked.values():
                        for answer in answers:
                            if not answer.done():
                                answer.set_exception(error)
                    continue
                for device_id, answers in asked.items():
                    for answer in answers:
                        if not answer.done():  # a stream whose client left is cancelled
                            answer.set_result(found.get(device_id))
        finally:
            self._answering = None

    async def _ensure_running(self) -> None:
        async with self._started:
            if self._thread is not None:
                return
            self._loop = asyncio.get_running_loop()
            self.position = await self.io(self._backend.hub.latest_id)
            self._thread = threading.Thread(
                target=self._follow, args=(self.position,), name="screen-feed", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._io.shutdown(wait=False, cancel_futures=True)

    # --- the feed thread ---------------------------------------------------------------

    def _follow(self, start: int) -> None:
        cursor = SettledCursor(self._backend.hub, None, start, self._settings.gap_grace_seconds)
        checked_at = read_at = 0.0
        while not self._stop.is_set():
            # Commits in this process wake the cursor at once; without this pause a busy shop
            # would cost one outbox read per commit.
            pause = read_at + self._settings.read_interval_seconds - time.monotonic()
            if pause > 0 and self._stop.wait(pause):
                return
            read_at = time.monotonic()
            try:
                events = cursor.poll(self._settings.poll_seconds)
                paired: set[str] = set()
                waiting = self._waiting_ids
                now = time.monotonic()
                if waiting and now - checked_at >= self._settings.pairing_check_seconds:
                    checked_at = now
                    paired = self._paired_among(waiting)
            except Exception:  # the store is down or restarting: keep going, streams wait
                log.warning("screen feed could not read the store; retrying", exc_info=True)
                self._stop.wait(1.0)
                continue
            if events or paired:
                assert self._loop is not None
                try:
                    self._loop.call_soon_threadsafe(self._dispatch, events, cursor.last_id, paired)
                except RuntimeError:  # the loop closed: the worker is exiting
                    return

    def _paired_among(self, device_ids: frozenset[str]) -> set[str]:
        ids = sorted(device_ids)
        found: set[str] = set()
        with Session(self._backend.store.engine) as session:
            for start in range(0, len(ids), _PAGE):
                chunk = ids[start : start + _PAGE]
                found.update(
                    session.scalars(select(Device.external_id).where(Device.external_id.in_(chunk)))
                )
        return found

    # --- on the event loop -----------------------------------------------------------------

    def _dispatch(self, events: list[ScreenEvent], position: int, paired: set[str]) -> None:
        for event in events:
            followers = tuple(self._followers.get(event.customer_id, ()))
            if event.kind in ORDER_EVENTS:
                followers += tuple(self._followers.get(None, ()))
            if followers:
                formatted = Formatted(event.id, format_event(event))
                for follower in followers:
                    follower.push(formatted)
        self.position = max(self.position, position)
        for device_id in paired:
            for waiter in self._waiters.get(device_id, ()):
                waiter.paired.set()

    async def follow(self, customer_id: int | None) -> tuple[Follower, int]:
        """A follower that gets every event of the household (None: every household's order
        events) settled after the returned id."""
        await self._ensure_running()
        follower = Follower(customer_id, asyncio.Queue(self._settings.max_queued_events + 1))
        self._followers[customer_id].add(follower)
        return follower, self.position

    def unfollow(self, follower: Follower) -> None:
        followers = self._followers.get(follower.customer_id)
        if followers is not None:
            followers.discard(follower)
            if not followers:
                del self._followers[follower.customer_id]

    async def history(
        self, customer_id: int | None, after: int, upto: int
    ) -> tuple[list[ScreenEvent], int]:
        """One page of what a follower of `customer_id` gets with after < id <= upto, read from
        the store, and the id read up to (an empty page may still move on)."""
        events = await self.io(self._backend.hub.read_since, after, customer_id, _PAGE)
        events = [event for event in events if event.id <= upto]
        read_to = events[-1].id if events else after
        if customer_id is None:
            events = [event for event in events if event.kind in ORDER_EVENTS]
        return events, read_to

    async def wait_for_pairing(self, device_id: str) -> Waiter:
        await self._ensure_running()
        waiter = Waiter(device_id)
        self._waiters[device_id].add(waiter)
        self._waiting_ids = frozenset(self._waiters)
        return waiter

    def stop_waiting(self, waiter: Waiter) -> None:
        waiters = self._waiters.get(waiter.device_id)
        if waiters is not None:
            waiters.discard(waiter)
            if not waiters:
                del self._waiters[waiter.device_id]
        self._waiting_ids = frozenset(self._waiters)
