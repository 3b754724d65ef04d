"""Statements and transactions per turn: a deterministic guard on the endpoint's cost under load.

Every statement is a round trip to the database and some ORM work, and on PostgreSQL every
transaction adds two more (BEGIN and COMMIT); the budgets below are what bench/skill_load.py's
conversation costs today. Raise one only knowingly.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event

from backend.runtime import Backend
from skill.web import create_app
from tests.conftest import Shop
from tests.support.alexa_signing import shared_signer
from tests.support.load import Household, Reply, SignedRequest

# (statements without BEGIN, transactions) per turn, for a household the shop already knows.
# PostgreSQL reads and the turn log's single INSERT run without a transaction (autocommit);
# SQLite keeps one per unit of work, where BEGIN costs no round trip.
BUDGETS: dict[str, dict[str, tuple[int, int]]] = {
    "sqlite": {
        "add": (8, 4),
        "add_again": (8, 4),
        "read_cart": (3, 3),
        "checkout": (4, 4),
        "confirm": (12, 3),
        "order_status": (5, 3),
    },
    "postgresql": {
        "add": (8, 1),
        "add_again": (8, 1),
        "read_cart": (3, 0),
        "checkout": (4, 0),
        "confirm": (12, 1),
        "order_status": (5, 0),
    },
}


@dataclass
class Counter:
    statements: int = 0
    transactions: int = 0
    seen: list[str] = field(default_factory=list)

    def reset(self) -> None:
        self.statements = self.transactions = 0
        self.seen = []


@pytest.fixture
def counted(shop: Shop) -> Iterator[tuple[FlaskClient, Counter, str]]:
    backend = Backend(shop.store, shop.hub)
    app = create_app(backend, verification=shared_signer().verification_settings())
    counter = Counter()
    store = shop.store

    def count_statement(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith("BEGIN"):
            counter.transactions += 1  # SQLite: the begin listener's own statement
        else:
            counter.statements += 1
            counter.seen.append(statement.split("\n")[0][:100])

    def count_begin(_connection: Any) -> None:
        counter.transactions += 1  # psycopg sends BEGIN itself

    for engine in store.pools:
        event.listen(engine, "before_cursor_execute", count_statement)
    if not store.is_sqlite:
        # Only the transactional pool: the autocommit pool's connections never send BEGIN.
        event.listen(store.engine, "begin", count_begin)
    try:
        yield app.test_client(), counter, store.engine.dialect.name
    finally:
        for engine in store.pools:
            event.remove(engine, "before_cursor_execute", count_statement)
        if not store.is_sqlite:
            event.remove(store.engine, "begin", count_begin)


def _send(client: FlaskClient, household: Household, document: dict[str, Any]) -> None:
    request = SignedRequest.of(document)
    reply = client.post("/alexa", data=request.body, headers=request.headers)
    assert reply.status_code == 200, reply.data
    household.remember(Reply(reply.status_code, reply.data, 0.0))


def test_each_turn_of_the_load_conversation_stays_within_its_budget(
    counted: tuple[FlaskClient, Counter, str],
) -> None:
    client, counter, dialect = counted
    budgets = BUDGETS[dialect]
    household = Household.numbered(1)
    _send(client, household, household.add("COF-LATTE", "latte"))  # first sight: registers
    steps = {
        "add": lambda: household.add("COF-MOCHA", "mocha"),
        "add_again": lambda: household.add("COF-MOCHA", "mocha", 2),
        "read_cart": household.read_cart,
        "checkout": household.checkout,
        "confirm": household.confirm_checkout,
        "order_status": household.order_status,
    }
    used: dict[str, tuple[int, int]] = {}
    for name, build in steps.items():
        document = build()
        counter.reset()
        _send(client, household, document)
        used[name] = (counter.statements, counter.transactions)
        assert used[name][0] <= budgets[name][0], (name, counter.seen)
        assert used[name][1] <= budgets[name][1], name
    assert used == budgets, "cheaper than the budget: lower it"
