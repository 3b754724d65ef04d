"""A scratch copy of a store: a SQLite file with the same catalog, customers, carts and orders.

Rehearsals (`vcom simulate --replay`) run on it, so they never place real orders in the shop's
store. Works from SQLite and PostgreSQL alike: the newest schema is created by the migrations,
then every table is copied row by row, parents first. The outbox and the turn log (history
that can be large and that a rehearsal does not read) are left out.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import insert, select

from backend.persistence.migrate import upgrade
from backend.persistence.models import Base, ConversationTurn, OutboxEvent
from backend.persistence.store import Store

LEFT_OUT = frozenset({OutboxEvent.__tablename__, ConversationTurn.__tablename__})
BATCH = 1000


def scratch_copy(source: Store, directory: Path) -> str:
    """Copies `source` into a new SQLite file in `directory`; returns the copy's URL."""
    url = f"sqlite:///{directory / 'scratch.sqlite3'}"
    target = upgrade(url)
    try:
        with source.engine.connect() as reading, target.engine.begin() as writing:
            for table in Base.metadata.sorted_tables:
                if table.name in LEFT_OUT:
                    continue
                rows = reading.execute(select(table)).mappings()
                while batch := rows.fetchmany(BATCH):
                    writing.execute(insert(table), [dict(row) for row in batch])
    finally:
        target.dispose()
    return url
