"""The stretch of time a report covers: `7d`, `24h`, `90m` back from now, or since a UTC date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from backend.errors import DomainError

_RELATIVE = re.compile(r"^\s*(\d{1,5})\s*([dhm])\s*$", re.IGNORECASE)
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


class BadWindow(DomainError):
    def __init__(self, text: str) -> None:
        super().__init__(
            f"'{text}' is not a time span: use a length like 7d, 24h or 90m, or a date like "
            "2026-11-01 (UTC)."
        )


@dataclass(frozen=True)
class Window:
    """Turns with since <= at < until count; both ends are aware UTC datetimes."""

    since: datetime
    until: datetime

    @property
    def days(self) -> tuple[date, ...]:
        """Every UTC day the window touches, oldest first."""
        first, last = self.since.date(), (self.until - timedelta(microseconds=1)).date()
        return tuple(first + timedelta(days=n) for n in range((last - first).days + 1))


def parse_since(text: str, now: datetime) -> Window:
    """`7d` → the last 7×24 hours; `2026-11-01` or an ISO time → from then (UTC unless given)."""
    relative = _RELATIVE.match(text)
    if relative:
        amount, unit = int(relative.group(1)), relative.group(2).lower()
        if amount == 0:
            raise BadWindow(text)
        return Window(now - timedelta(**{_UNITS[unit]: amount}), now)
    try:
        since = datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise BadWindow(text) from error
    since = since.replace(tzinfo=UTC) if since.tzinfo is None else since.astimezone(UTC)
    if since >= now:
        raise BadWindow(text)
    return Window(since, now)
