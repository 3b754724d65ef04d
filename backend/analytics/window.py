"""The stretch of time a report covers: `7d`, `24h`, `90m` back from now, or since a UTC date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from backend.errors import DomainError

_RELATIVE = re.compile(r"^\s*(\d{1,5})\s*([dhm])\s*$", re.IGNORECASE)
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}
# Reports read every turn in the window: a bound keeps one request from scanning years.
MAX_WINDOW = timedelta(days=366)


class BadWindow(DomainError):
    def __init__(self, text: str) -> None:
        super().__init__(
            f"'{text}' is not a time span: use a length like 7d, 24h or 90m, or a date like "
            "2026-11-01 (UTC)."
        )


class WindowTooLong(BadWindow):
    def __init__(self, text: str) -> None:
        DomainError.__init__(
            self,
            f"'{text}' reaches back too far: a report covers at most {MAX_WINDOW.days} days "
            "(for example 365d, or a date within the last year).",
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
        length = timedelta(**{_UNITS[unit]: amount})
        if length > MAX_WINDOW:
            raise WindowTooLong(text)
        return Window(now - length, now)
    try:
        since = datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise BadWindow(text) from error
    since = since.replace(tzinfo=UTC) if since.tzinfo is None else since.astimezone(UTC)
    if since >= now:
        raise BadWindow(text)
    if now - since > MAX_WINDOW:
        raise WindowTooLong(text)
    return Window(since, now)
