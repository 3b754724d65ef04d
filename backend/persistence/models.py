"""The store's tables as SQLAlchemy 2.0 typed mappings."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from backend.clock import utcnow
from backend.persistence.types import UTCDateTime, WholeNumber

# SQLite only autoincrements INTEGER PRIMARY KEY; PostgreSQL gets a bigint.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def _whole(column: str) -> CheckConstraint:
    """SQLite keeps 2.5 in an INTEGER column as a REAL; PostgreSQL's integer columns need no
    check. Money and quantities are whole numbers (migration 0006)."""
    return CheckConstraint(f"typeof({column}) = 'integer'", name=f"{column}_whole").ddl_if(
        dialect="sqlite"
    )


class Base(DeclarativeBase):
    pass


class OrderStatus(enum.StrEnum):
    PLACED = "placed"
    ACCEPTED = "accepted"
    PREPARING = "preparing"
    READY = "ready"
    OUT_FOR_DELIVERY = "out_for_delivery"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Fulfilment(enum.StrEnum):
    PICKUP = "pickup"
    DELIVERY = "delivery"


class DeviceKind(enum.StrEnum):
    ALEXA_USER = "alexa_user"
    ALEXA_DEVICE = "alexa_device"
    KIOSK = "kiosk"
    SCREEN = "screen"
    WALK_IN = "walk_in"  # the identity of one walk-in customer at an unlinked kiosk


def _enum(cls: type[enum.StrEnum], name: str) -> Enum:
    return Enum(
        cls, name=name, native_enum=False, length=24, values_callable=lambda e: [m.value for m in e]
    )


class Product(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(40))
    currency: Mapped[str] = mapped_column(String(3))
    available: Mapped[bool] = mapped_column(Boolean, default=True)
    unavailable_reason: Mapped[str | None] = mapped_column(String(200))

    variants: Mapped[list[Variant]] = relationship(
        back_populates="product", order_by="Variant.position", cascade="all, delete-orphan"
    )
    aliases: Mapped[list[ProductAlias]] = relationship(cascade="all, delete-orphan")

    @property
    def default_variant(self) -> Variant:
        return self.variants[0]


class Variant(Base):
    __tablename__ = "variants"
    __table_args__ = (
        UniqueConstraint("product_id", "code"),
        CheckConstraint("price_minor > 0", name="price_positive"),
        _whole("price_minor"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)
    price_minor: Mapped[int] = mapped_column(WholeNumber)
    available: Mapped[bool] = mapped_column(Boolean, default=True)

    product: Mapped[Product] = relationship(back_populates="variants")


class ProductAlias(Base):
    __tablename__ = "product_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(120), unique=True)


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    fulfilment: Mapped[Fulfilment] = mapped_column(_enum(Fulfilment, "fulfilment"))
    pickup_store: Mapped[str | None] = mapped_column(String(120))
    delivery_address: Mapped[str | None] = mapped_column(String(300))
    voice_code_hash: Mapped[str | None] = mapped_column(String(200))
    failed_code_attempts: Mapped[int] = mapped_column(Integer, default=0)
    purchases_locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    devices: Mapped[list[Device]] = relationship(back_populates="customer")


class Device(Base):
    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    kind: Mapped[DeviceKind] = mapped_column(_enum(DeviceKind, "device_kind"))
    external_id: Mapped[str] = mapped_column(String(300), unique=True)
    label: Mapped[str | None] = mapped_column(String(120))

    customer: Mapped[Customer] = relationship(back_populates="devices")


class Cart(Base):
    """One cart per customer, shared by the household's devices; its row is the lock for edits."""

    __tablename__ = "carts"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), unique=True
    )
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    lines: Mapped[list[CartLine]] = relationship(
        back_populates="cart", order_by="CartLine.id", cascade="all, delete-orphan"
    )


class CartLine(Base):
    __tablename__ = "cart_lines"
    __table_args__ = (
        UniqueConstraint("cart_id", "variant_id"),
        CheckConstraint("quantity BETWEEN 1 AND 99", name="quantity_range"),
        _whole("quantity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cart_id: Mapped[int] = mapped_column(ForeignKey("carts.id", ondelete="CASCADE"))
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"))
    quantity: Mapped[int] = mapped_column(WholeNumber)

    cart: Mapped[Cart] = relationship(back_populates="lines")
    variant: Mapped[Variant] = relationship()


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        # A checkout key belongs to one household: another's key finds nothing of theirs.
        UniqueConstraint(
            "customer_id", "idempotency_key", name="uq_orders_customer_id_idempotency_key"
        ),
        CheckConstraint("total_minor >= 0", name="total_minor_not_negative"),
        _whole("total_minor"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    number: Mapped[str | None] = mapped_column(String(12), unique=True)
    # Reorders, "where is my order" and the turn log all look up a household's orders.
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    status: Mapped[OrderStatus] = mapped_column(_enum(OrderStatus, "order_status"))
    fulfilment: Mapped[Fulfilment] = mapped_column(_enum(Fulfilment, "fulfilment"))
    total_minor: Mapped[int] = mapped_column(WholeNumber)
    currency: Mapped[str] = mapped_column(String(3))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    device_external_id: Mapped[str | None] = mapped_column(String(300))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    eta: Mapped[datetime | None] = mapped_column(UTCDateTime())

    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", order_by="OrderLine.id", cascade="all, delete-orphan"
    )
    timeline: Mapped[list[OrderStatusChange]] = relationship(
        order_by="OrderStatusChange.id", cascade="all, delete-orphan"
    )


class OrderLine(Base):
    """A copy of what was bought at the price paid: later catalog edits leave orders alone."""

    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price_minor >= 0", name="unit_price_minor_not_negative"),
        _whole("quantity"),
        _whole("unit_price_minor"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"))
    sku: Mapped[str] = mapped_column(String(40))
    product_name: Mapped[str] = mapped_column(String(120))
    variant_code: Mapped[str] = mapped_column(String(40))
    variant_name: Mapped[str] = mapped_column(String(80))
    quantity: Mapped[int] = mapped_column(WholeNumber)
    unit_price_minor: Mapped[int] = mapped_column(WholeNumber)

    order: Mapped[Order] = relationship(back_populates="lines")
    variant: Mapped[Variant] = relationship()


class OrderStatusChange(Base):
    __tablename__ = "order_status_changes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    status: Mapped[OrderStatus] = mapped_column(_enum(OrderStatus, "order_status"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    note: Mapped[str | None] = mapped_column(String(200))


class OutboxEvent(Base):
    """Screen events, written in the same transaction as the change they describe."""

    __tablename__ = "outbox_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class WalkInSession(Base):
    """One customer served at a kiosk that is not linked to a household.

    Each walk-in is a customer of their own (their cart, their orders), created when they start
    talking and finished when they order, say "cancel"/"stop", or walk away (timeout).
    """

    __tablename__ = "walk_in_sessions"
    __table_args__ = (Index("ix_walk_in_sessions_kiosk_latest", "kiosk_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(300))
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), unique=True
    )
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # "ordered", "cancelled", "timeout" or "replaced" (a new session began without an end).
    end_reason: Mapped[str | None] = mapped_column(String(24))
    # Items left in the cart when the session ended without an order (the cart is emptied).
    abandoned_items: Mapped[int] = mapped_column(Integer, default=0)


PAIRING_CODE_DIGITS = 4


class ScreenPairing(Base):
    """A code shown by an unpaired screen, waiting to be said to a speaker."""

    __tablename__ = "screen_pairings"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_external_id: Mapped[str] = mapped_column(String(300), unique=True)
    # Unique across live codes: expired rows are deleted before a new code is chosen.
    code: Mapped[str] = mapped_column(String(PAIRING_CODE_DIGITS), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StaffSession(Base):
    """A signed-in staff browser. The cookie carries a secret whose SHA-256 is the id: signing
    out deletes the row, so the cookie stops working at once, on every instance."""

    __tablename__ = "staff_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class TurnOutcome(enum.StrEnum):
    """How one turn of a conversation ended, as the analytics count it."""

    ANSWERED = "answered"
    REFUSED = "refused"  # understood, but the shop said no (not sold, locked, wrong code…)
    FALLBACK = "fallback"  # not understood
    ERROR = "error"  # the skill or the store failed
    ORDER_PLACED = "order_placed"
    ENDED = "ended"


class ConversationTurn(Base):
    """One request and its answer, for analytics. Never audio, slot values or tokens."""

    __tablename__ = "conversation_turns"
    # The household's latest turn, read when the next one is written.
    __table_args__ = (Index("ix_conversation_turns_customer_latest", "customer_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    session_id: Mapped[str] = mapped_column(String(300), index=True)
    # Kept when a household is deleted: the shop's history stays countable.
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL")
    )
    device_id: Mapped[str | None] = mapped_column(String(300))
    request_type: Mapped[str] = mapped_column(String(60))
    intent: Mapped[str | None] = mapped_column(String(100))
    outcome: Mapped[TurnOutcome] = mapped_column(_enum(TurnOutcome, "turn_outcome"))
    duration_ms: Mapped[int] = mapped_column(Integer)
    order_placed: Mapped[bool] = mapped_column(Boolean, default=False)
    cart_items: Mapped[int] = mapped_column(Integer, default=0)
    cart_added: Mapped[bool] = mapped_column(Boolean, default=False)
    confirmation_asked: Mapped[bool] = mapped_column(Boolean, default=False)
