"""Statements and transactions per turn: a deterministic guard on the endpoint's cost under load.

Every statement is a round trip to the database and a few hundred microseconds of ORM work; the
budgets below are what bench/skill_load.py's conversation costs today. Raise one only knowingly.
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
BUDGETS: dict[str, tuple[int, int]] = {
    "add": (14, 3),
    "add_again": (13, 3),
    "read_cart": (4, 3),
    "checkout": (5, 4),
    "confirm": (20, 4),
    "order_status": (6, 3),
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
def counted(sqlite_shop: Shop) -> Iterator[tuple[FlaskClient, Counter]]:
    backend = Backend(sqlite_shop.store, sqlite_shop.hub)
    app = create_app(backend, verification=shared_signer().verification_settings())
    counter = Counter()

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith("BEGIN"):
            counter.transactions += 1
        else:
            counter.statements += 1
            counter.seen.append(statement.split("\n")[0][:100])

    event.listen(sqlite_shop.store.engine, "before_cursor_execute", count)
    try:
        yield app.test_client(), counter
    finally:
        event.remove(sqlite_shop.store.engine, "before_cursor_execute", count)


def _send(client: FlaskClient, household: Household, document: dict[str, Any]) -> None:
    request = SignedRequest.of(document)
    reply = client.post("/alexa", data=request.body, headers=request.headers)
    assert reply.status_code == 200, reply.data
    household.remember(Reply(reply.status_code, reply.data, 0.0))


def test_each_turn_of_the_load_conversation_stays_within_its_budget(
    counted: tuple[FlaskClient, Counter],
) -> None:
    client, counter = counted
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
        assert used[name][0] <= BUDGETS[name][0], (name, counter.seen)
        assert used[name][1] <= BUDGETS[name][1], name
    assert used == BUDGETS, "cheaper than the budget: lower it"
