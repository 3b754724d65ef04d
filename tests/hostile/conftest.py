"""One signed-request endpoint per module: hypothesis runs hundreds of requests through it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from backend.catalog_data import CatalogSpec
from backend.persistence.models import Cart, CartLine, Customer, Device, Order, OutboxEvent
from backend.runtime import Backend, open_backend
from backend.seed import seed
from backend.unit_of_work import UnitOfWork
from skill.web import ALEXA_ROUTE, create_app
from tests.support.alexa_signing import shared_signer


@dataclass(frozen=True)
class StoreState:
    """Everything a request could change, in a form that compares by value."""

    customers: int
    devices: int
    carts: tuple[tuple[int, int], ...]
    cart_lines: tuple[tuple[int, int, int], ...]
    orders: int
    events: int


@dataclass(frozen=True)
class Endpoint:
    client: FlaskClient
    backend: Backend

    def post(self, body: bytes, *, signed: bool = True) -> tuple[int, bytes]:
        headers = shared_signer().sign(body) if signed else {"Content-Type": "application/json"}
        reply = self.client.post(ALEXA_ROUTE, data=body, headers=headers)
        return reply.status_code, reply.get_data()

    def post_json(self, document: Any) -> tuple[int, bytes]:
        return self.post(json.dumps(document).encode())

    def state(self) -> StoreState:
        with self.backend.reader() as uow:
            session = uow.session
            return StoreState(
                customers=session.scalar(select(func.count()).select_from(Customer)) or 0,
                devices=session.scalar(select(func.count()).select_from(Device)) or 0,
                carts=tuple(session.execute(select(Cart.id, Cart.version).order_by(Cart.id))),
                cart_lines=tuple(
                    session.execute(
                        select(CartLine.cart_id, CartLine.variant_id, CartLine.quantity).order_by(
                            CartLine.id
                        )
                    )
                ),
                orders=session.scalar(select(func.count()).select_from(Order)) or 0,
                events=session.scalar(select(func.count()).select_from(OutboxEvent)) or 0,
            )


@pytest.fixture(scope="module")
def endpoint(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, catalog: CatalogSpec
) -> Iterator[Endpoint]:
    path = tmp_path_factory.mktemp("hostile") / "shop.sqlite3"
    shutil.copy(sqlite_template, path)
    backend = open_backend(f"sqlite:///{path}")
    seed(UnitOfWork(backend.store, backend.hub), catalog)
    app = create_app(backend, verification=shared_signer().verification_settings())
    yield Endpoint(app.test_client(), backend)
    backend.store.dispose()
