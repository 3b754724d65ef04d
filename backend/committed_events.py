"""What the units of work of one request committed, for the front door that served it.

The turn log needs to know whether a turn changed the cart or placed an order. Reading that
back from the store costs a query per turn and, written later in a batch, would read a later
state. Instead, each unit of work reports the screen events it committed to the collector of
the current context (a request's thread), if one was started.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CommittedEvent:
    kind: str
    payload: Mapping[str, Any]


@dataclass
class Collector:
    events: list[CommittedEvent] = field(default_factory=list)
    token: Token[Collector | None] | None = None


_current: ContextVar[Collector | None] = ContextVar("vcom_committed_events", default=None)


def start_collecting() -> Collector:
    collector = Collector()
    collector.token = _current.set(collector)
    return collector


def stop_collecting(collector: Collector) -> None:
    if collector.token is not None:
        _current.reset(collector.token)
        collector.token = None


def note_committed(events: Sequence[CommittedEvent]) -> None:
    collector = _current.get()
    if collector is not None:
        collector.events.extend(events)
