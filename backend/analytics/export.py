"""A report as plain JSON-ready data (for `vcom stats --json` and scripts) and as short text."""

from __future__ import annotations

from typing import Any

from backend.analytics.metrics import ConversationReport, Ratio


def percent(ratio: Ratio, digits: int = 1) -> str:
    """The share as text, e.g. 41.7%, or — when nothing was counted."""
    value = ratio.value
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def number(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _ratio(ratio: Ratio) -> dict[str, Any]:
    return {"value": ratio.value, "numerator": ratio.numerator, "denominator": ratio.denominator}


def report_json(report: ConversationReport) -> dict[str, Any]:
    return {
        "since": report.window.since.isoformat(),
        "until": report.window.until.isoformat(),
        "sessions": report.sessions,
        "turns": report.turns,
        "conversion_rate": _ratio(report.conversion),
        "cart_abandonment": _ratio(report.cart_abandonment),
        "average_turns_to_order": report.average_turns_to_order,
        "average_response_ms": report.average_response_ms,
        "fallback_rate": _ratio(report.fallback),
        "goal_completion": [
            {"intent": goal.intent, **_ratio(goal.completed)} for goal in report.goal_completion
        ],
        "funnel": {
            "sessions": report.funnel.sessions,
            "cart": report.funnel.cart,
            "confirmation": report.funnel.confirmation,
            "order": report.funnel.order,
        },
        "daily": [
            {"day": day.day.isoformat(), "sessions": day.sessions, "orders": day.orders}
            for day in report.daily
        ],
    }
