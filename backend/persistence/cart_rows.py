"""The cart's statements in Core SQL, built once.

Every cart change and checkout runs these, so they skip the ORM's unit of work: a change is a
few explicit statements on the transaction's connection (measured with bench/turn_cost.py, the
ORM's flush and object loading cost more than the round trips). The rules live in
backend/services/carts.py; this module only reads and writes rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from backend.persistence.models import Cart, CartLine, Product, Variant

_carts = Cart.__table__
_lines = CartLine.__table__
_variants = Variant.__table__
_products = Product.__table__


@dataclass
class CartLineRow:
    """A cart line with today's catalog facts about what it holds."""

    id: int
    variant_id: int
    quantity: int
    sku: str
    product_name: str
    variant_code: str
    variant_name: str
    unit_price_minor: int
    currency: str
    product_available: bool
    unavailable_reason: str | None
    variant_available: bool


@dataclass(frozen=True)
class LockedRow:
    cart_id: int
    version: int  # before this transaction's change


_LINE_COLUMNS = (
    _lines.c.id,
    _lines.c.variant_id,
    _lines.c.quantity,
    _products.c.sku,
    _products.c.name,
    _variants.c.code,
    _variants.c.name,
    _variants.c.price_minor,
    _products.c.currency,
    _products.c.available,
    _products.c.unavailable_reason,
    _variants.c.available,
)
_LINES_WITH_CATALOG = _lines.join(_variants, _variants.c.id == _lines.c.variant_id).join(
    _products, _products.c.id == _variants.c.product_id
)

# Taking the row lock and moving the version on in one statement: every lock is followed by a
# change, or by a rollback that undoes the bump.
_LOCK = (
    update(_carts)
    .where(_carts.c.customer_id == bindparam("owner"))
    .values(version=_carts.c.version + 1, updated_at=bindparam("now"))
    .returning(_carts.c.id, _carts.c.version)
)
# Read after the lock is granted, in a statement of its own: PostgreSQL would return the lines of
# a locking statement as they were before the concurrent change it waited for.
_LINES_OF_CART = (
    select(*_LINE_COLUMNS)
    .select_from(_LINES_WITH_CATALOG)
    .where(_lines.c.cart_id == bindparam("cart_id"))
    .order_by(_lines.c.id)
)
_CART_WITH_LINES = (
    select(_carts.c.version, *_LINE_COLUMNS)
    .select_from(_carts.outerjoin(_LINES_WITH_CATALOG, _lines.c.cart_id == _carts.c.id))
    .where(_carts.c.customer_id == bindparam("customer_id"))
    .order_by(_lines.c.id)
)
_INSERT_LINE = insert(_lines).returning(_lines.c.id)
_SET_QUANTITY = (
    update(_lines)
    .where(_lines.c.id == bindparam("line_id"))
    .values(quantity=bindparam("new_quantity"))
)
_DELETE_LINES = delete(_lines).where(_lines.c.id.in_(bindparam("line_ids", expanding=True)))
_CLEAR = delete(_lines).where(_lines.c.cart_id == bindparam("cart_id"))


def lock(connection: Connection, customer_id: int, now: datetime) -> LockedRow | None:
    row = connection.execute(_LOCK, {"owner": customer_id, "now": now}).one_or_none()
    return None if row is None else LockedRow(row[0], row[1] - 1)


def lines_of(connection: Connection, cart_id: int) -> list[CartLineRow]:
    return [CartLineRow(*row) for row in connection.execute(_LINES_OF_CART, {"cart_id": cart_id})]


def cart_of(connection: Connection, customer_id: int) -> tuple[int, list[CartLineRow]] | None:
    """The cart's version and lines in one statement, without locking; None if no cart."""
    rows = connection.execute(_CART_WITH_LINES, {"customer_id": customer_id}).all()
    if not rows:
        return None
    lines = [CartLineRow(*row[1:]) for row in rows if row[1] is not None]
    return rows[0][0], lines


def insert_line(connection: Connection, cart_id: int, variant_id: int, quantity: int) -> int:
    values = {"cart_id": cart_id, "variant_id": variant_id, "quantity": quantity}
    line_id: int = connection.execute(_INSERT_LINE, values).scalar_one()
    return line_id


def set_quantity(connection: Connection, line_id: int, quantity: int) -> None:
    connection.execute(_SET_QUANTITY, {"line_id": line_id, "new_quantity": quantity})


def delete_lines(connection: Connection, line_ids: list[int]) -> None:
    connection.execute(_DELETE_LINES, {"line_ids": line_ids})


def clear(connection: Connection, cart_id: int) -> None:
    connection.execute(_CLEAR, {"cart_id": cart_id})
