from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware UTC datetimes; SQLite keeps no zone, so it is restored on the way out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use backend.clock.utcnow()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class WholeNumber(TypeDecorator[int]):
    """Money in minor units and quantities: an int, never 2.5, "3" or True.

    PostgreSQL would round a float into an integer column and SQLite would keep it as a REAL, so
    the value is refused before it reaches either (the tables also CHECK it, see migration 0006).
    """

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: int | None, dialect: Dialect) -> int | None:
        if value is None or type(value) is int:
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return int(value)  # an IntEnum and the like: still a whole number
        raise TypeError(f"a whole number is required here, not {value!r}")
