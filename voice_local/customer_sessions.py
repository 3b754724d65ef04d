"""One customer after another at a kiosk.

A customer session begins with the first utterance after the kiosk was idle for `idle_seconds`
(or after the previous customer ordered or said they were done), and ends when the customer
places an order, says "cancel" or "stop", or stays silent for `idle_seconds`. A kiosk that staff
linked to a household (`vcom customers link`) uses that household's cart, which persists; an
unlinked kiosk serves walk-ins, each a customer of their own whose abandoned cart is emptied
when their session ends (backend.services.walk_ins).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from backend.errors import OrderNotFound
from backend.runtime import Backend
from backend.services import walk_ins
from backend.services.customers import CustomerView
from backend.services.orders import latest_order
from backend.services.walk_ins import WalkIn
from voice_local.conversation import LocalConversation

DEFAULT_IDLE_SECONDS = 60.0
# Intents with which a customer says they are done.
DONE_INTENTS = frozenset({"AMAZON.CancelIntent", "AMAZON.StopIntent"})

Clock = Callable[[], float]


@dataclass(frozen=True)
class SessionChange:
    """A session that ended or began, for the kiosk's report."""

    event: str  # "started" or "ended"
    customer_id: int
    walk_in: bool
    reason: str | None = None  # why it ended: ordered, cancelled, timeout
    abandoned_items: int = 0


@dataclass
class _Current:
    customer: CustomerView
    walk_in: WalkIn | None
    last_heard: float
    latest_order: str | None  # a household's newest order when the session began


class CustomerSessions:
    def __init__(
        self,
        backend: Backend,
        conversation: LocalConversation,
        *,
        kiosk_id: str,
        idle_seconds: float = DEFAULT_IDLE_SECONDS,
        pickup_store: str | None = None,
        clock: Clock = time.monotonic,
        on_change: Callable[[SessionChange], None] | None = None,
    ) -> None:
        self._backend = backend
        self._conversation = conversation
        self._base_device = conversation.device
        self.kiosk_id = kiosk_id
        self.idle_seconds = idle_seconds
        self._pickup_store = pickup_store
        self._clock = clock
        self._on_change = on_change
        self._lock: threading.RLock = threading.RLock()
        self._current: _Current | None = None

    @property
    def lock(self) -> threading.RLock:
        """Held for a whole turn, so the idle check never ends a session mid-answer."""
        return self._lock

    @property
    def customer(self) -> CustomerView | None:
        with self._lock:
            return self._current.customer if self._current else None

    def begin_turn(self) -> CustomerView:
        """Before an utterance is answered: ends a session gone idle, starts one if none is open."""
        with self._lock:
            self.expire_idle()
            if self._current is None:
                self._start()
            assert self._current is not None
            self._current.last_heard = self._clock()
            return self._current.customer

    def end_turn(self, intent: str) -> None:
        """After the answer: the session ends if the customer ordered or said they were done."""
        with self._lock:
            current = self._current
            if current is None:
                return
            current.last_heard = self._clock()
            if current.walk_in is not None:
                ordered = walk_ins.has_ordered(self._backend.reader(), current.walk_in)
            else:  # a household orders from home too: only a new order since the start counts
                ordered = self._latest_order_number(current.customer.id) != current.latest_order
            if ordered:
                self._end(walk_ins.ORDERED)
            elif intent in DONE_INTENTS:
                self._end(walk_ins.CANCELLED)

    def expire_idle(self) -> bool:
        """Ends the session if its customer was silent for idle_seconds (safe on any thread)."""
        with self._lock:
            current = self._current
            if current is None or self._clock() - current.last_heard < self.idle_seconds:
                return False
            self._end(walk_ins.TIMEOUT)
            return True

    def close(self) -> None:
        """The kiosk stops: an open session ends as if its customer walked away."""
        with self._lock:
            if self._current is not None:
                self._end(walk_ins.TIMEOUT)

    def _start(self) -> None:
        household = walk_ins.linked_household(self._backend.reader(), self.kiosk_id)
        walk_in: WalkIn | None = None
        if household is None:
            walk_in = walk_ins.start_walk_in(
                self._backend.uow(), self.kiosk_id, pickup_store=self._pickup_store
            )
            # The skill finds the walk-in by this identity; the device id stays the kiosk's.
            self._conversation.device = replace(self._base_device, user_id=walk_in.identity)
            customer = walk_in.customer
        else:
            self._conversation.device = self._base_device
            customer = household
        latest = None if walk_in is not None else self._latest_order_number(customer.id)
        self._current = _Current(customer, walk_in, self._clock(), latest)
        self._report(SessionChange("started", customer.id, walk_in is not None))

    def _end(self, reason: str) -> None:
        current = self._current
        assert current is not None
        self._current = None
        self._conversation.end()  # the skill's session ends too: the next customer starts fresh
        abandoned = 0
        if current.walk_in is not None:
            ended = walk_ins.end_walk_in(self._backend.uow(), current.walk_in.session_id, reason)
            abandoned = ended.abandoned_items
        self._report(
            SessionChange(
                "ended", current.customer.id, current.walk_in is not None, reason, abandoned
            )
        )

    def _latest_order_number(self, customer_id: int) -> str | None:
        try:
            return latest_order(self._backend.reader(), customer_id, open_only=False).number
        except OrderNotFound:
            return None

    def _report(self, change: SessionChange) -> None:
        if self._on_change is not None:
            self._on_change(change)
