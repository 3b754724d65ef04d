"""Geometry for the dashboard's inline SVG charts, worked out here so the template only draws."""

from __future__ import annotations

import math
from dataclasses import dataclass

from backend.analytics.metrics import DailyCounts, Funnel

FUNNEL_WIDTH = 640
FUNNEL_ROW = 44
FUNNEL_LABEL = 170  # room for the stage names left of the bars
DAILY_WIDTH = 640
DAILY_HEIGHT = 220
DAILY_AXIS = 28  # room under the bars for the day labels
DAILY_LEFT = 34  # room for the y-axis numbers
MAX_DAY_LABELS = 10


@dataclass(frozen=True)
class FunnelBar:
    stage: str
    label: str
    count: int
    share_text: str  # of all sessions
    y: int
    width: float


@dataclass(frozen=True)
class FunnelChart:
    width: int
    height: int
    label_width: int
    bar_room: int
    bars: tuple[FunnelBar, ...]


def funnel_chart(funnel: Funnel) -> FunnelChart:
    stages = (
        ("sessions", "Sessions", funnel.sessions),
        ("cart", "Cart", funnel.cart),
        ("confirmation", "Confirmation", funnel.confirmation),
        ("order", "Order", funnel.order),
    )
    room = FUNNEL_WIDTH - FUNNEL_LABEL - 120  # and room right of the bars for the numbers
    top = max(funnel.sessions, 1)
    bars = tuple(
        FunnelBar(
            stage=stage,
            label=label,
            count=count,
            share_text=f"{count / funnel.sessions * 100:.0f}%" if funnel.sessions else "—",
            y=i * FUNNEL_ROW,
            # A sliver even for zero, so an empty stage still reads as a bar of nothing.
            width=max(2.0, round(room * count / top, 1)),
        )
        for i, (stage, label, count) in enumerate(stages)
    )
    return FunnelChart(FUNNEL_WIDTH, FUNNEL_ROW * len(stages), FUNNEL_LABEL, room, bars)


@dataclass(frozen=True)
class DayColumn:
    day: str  # ISO date
    label: str | None  # shown under the column when there is room
    sessions: int
    orders: int
    x: float
    width: float
    sessions_y: float
    sessions_height: float
    orders_y: float
    orders_height: float


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class DailyChart:
    width: int
    height: int
    left: int
    plot_bottom: int
    columns: tuple[DayColumn, ...]
    ticks: tuple[Tick, ...]


def _nice_top(value: int) -> int:
    """The smallest 1, 2 or 5 × 10ⁿ at or above value (at least 1), for round axis numbers."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def daily_chart(days: tuple[DailyCounts, ...]) -> DailyChart:
    """Sessions per UTC day as bars, the sessions that ordered as a darker bar inside each."""
    plot_bottom = DAILY_HEIGHT - DAILY_AXIS
    plot_height = plot_bottom - 8
    top = _nice_top(max((d.sessions for d in days), default=0))
    slot = (DAILY_WIDTH - DAILY_LEFT) / max(len(days), 1)
    every = max(1, math.ceil(len(days) / MAX_DAY_LABELS))

    def height(value: int) -> float:
        return round(plot_height * value / top, 1)

    columns = tuple(
        DayColumn(
            day=d.day.isoformat(),
            label=f"{d.day:%b} {d.day.day}" if i % every == 0 else None,
            sessions=d.sessions,
            orders=d.orders,
            x=round(DAILY_LEFT + i * slot + slot * 0.15, 1),
            width=round(slot * 0.7, 1),
            sessions_y=plot_bottom - height(d.sessions),
            sessions_height=height(d.sessions),
            orders_y=plot_bottom - height(d.orders),
            orders_height=height(d.orders),
        )
        for i, d in enumerate(days)
    )
    ticks = tuple(Tick(v, plot_bottom - height(v)) for v in sorted({0, top // 2, top}))
    return DailyChart(DAILY_WIDTH, DAILY_HEIGHT, DAILY_LEFT, plot_bottom, columns, ticks)
