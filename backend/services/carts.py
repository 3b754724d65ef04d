"""The household cart: add, change, remove, read, clear. Every change is a screen event."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from backend.clock import utcnow
from backend.errors import CustomerNotFound, InvalidQuantity, NotInCart
from backend.persistence.models import Cart, CartLine, Variant
from backend.services.catalog import load_product, pick_variant
from backend.services.views import CartView, LineView, cart_payload, cart_view
from backend.unit_of_work import UnitOfWork

MAX_QUANTITY = 99
DEFAULT_CURRENCY = "USD"


def check_quantity(quantity: int) -> None:
    if not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidQuantity(quantity)


def lock_cart(uow: UnitOfWork, customer_id: int) -> Cart:
    """The cart row, locked for this transaction (SQLite: the write lock is already held).

    Two statements on purpose: the lines are read after the lock is granted. Joined into the
    locking statement, PostgreSQL would return the lines as they were before a concurrent edit
    it waited for, and that edit would be lost.
    """
    cart = uow.session.scalar(
        select(Cart)
        .where(Cart.customer_id == customer_id)
        .with_for_update()
        .options(
            selectinload(Cart.lines)
            .joinedload(CartLine.variant, innerjoin=True)
            .joinedload(Variant.product, innerjoin=True)
        )
    )
    if cart is None:
        raise CustomerNotFound(str(customer_id))
    return cart


def cart_currency(cart: Cart) -> str:
    return cart.lines[0].variant.product.currency if cart.lines else DEFAULT_CURRENCY


def changed(uow: UnitOfWork, cart: Cart, reason: str, touched: Variant | None = None) -> CartView:
    """Bumps the version, emits the event, and returns the new state (caller commits)."""
    cart.version += 1
    cart.updated_at = utcnow()
    uow.session.flush()
    # No reload: the locked cart's lines are already what was flushed, in id order (new lines
    # are appended and get the highest ids); reloading them cost five statements per change.
    view = cart_view(cart, cart_currency(cart))
    if touched is not None:
        line = next(
            (
                line
                for line in view.lines
                if line.variant_code == touched.code and line.sku == touched.product.sku
            ),
            None,
        )
        view = replace(view, touched=line)
    uow.emit(cart.customer_id, "cart_updated", {"reason": reason, "cart": cart_payload(view)})
    return view


def add_to_locked_cart(uow: UnitOfWork, cart: Cart, variant: Variant, quantity: int) -> None:
    line = next((line for line in cart.lines if line.variant_id == variant.id), None)
    new_quantity = quantity + (line.quantity if line else 0)
    if new_quantity > MAX_QUANTITY:
        raise InvalidQuantity(new_quantity)
    if line is None:
        cart.lines.append(CartLine(variant=variant, quantity=quantity))
    else:
        line.quantity = new_quantity


def add_item(
    uow: UnitOfWork, customer_id: int, sku: str, quantity: int = 1, variant: str | None = None
) -> CartView:
    check_quantity(quantity)
    with uow:
        cart = lock_cart(uow, customer_id)
        # Held until the view is built: the session keeps loaded objects only weakly, and a
        # collected product would be read again for the new line.
        product = load_product(uow, sku)
        chosen = pick_variant(product, variant)
        add_to_locked_cart(uow, cart, chosen, quantity)
        view = changed(uow, cart, "added", chosen)
        uow.commit()
        return view


def set_quantity(
    uow: UnitOfWork, customer_id: int, sku: str, quantity: int, variant: str | None = None
) -> CartView:
    check_quantity(quantity)
    with uow:
        cart = lock_cart(uow, customer_id)
        line = _find_line(uow, cart, sku, variant)
        line.quantity = quantity
        view = changed(uow, cart, "quantity_changed")
        uow.commit()
        return view


def remove_item(
    uow: UnitOfWork, customer_id: int, sku: str, variant: str | None = None
) -> CartView:
    """Removes the product (every size of it unless `variant` names one)."""
    with uow:
        cart = lock_cart(uow, customer_id)
        doomed = [
            line
            for line in cart.lines
            if line.variant.product.sku == sku and (variant is None or line.variant.code == variant)
        ]
        if not doomed:
            raise NotInCart(load_product(uow, sku).name)
        removed = LineView(
            sku,
            doomed[0].variant.product.name,
            doomed[0].variant.code,
            doomed[0].variant.name,
            sum(line.quantity for line in doomed),
            doomed[0].variant.price_minor,
        )
        for line in doomed:
            cart.lines.remove(line)
        view = replace(changed(uow, cart, "removed"), touched=removed)
        uow.commit()
        return view


def clear_cart(uow: UnitOfWork, customer_id: int) -> CartView:
    with uow:
        cart = lock_cart(uow, customer_id)
        cart.lines.clear()
        view = changed(uow, cart, "cleared")
        uow.commit()
        return view


def get_cart(uow: UnitOfWork, customer_id: int) -> CartView:
    with uow:
        # One statement: a cart has a handful of lines, so joining them beats a query per level.
        cart = (
            uow.session.scalars(
                select(Cart)
                .where(Cart.customer_id == customer_id)
                .options(
                    joinedload(Cart.lines)
                    .joinedload(CartLine.variant, innerjoin=True)
                    .joinedload(Variant.product, innerjoin=True)
                )
            )
            .unique()
            .one_or_none()
        )
        if cart is None:
            raise CustomerNotFound(str(customer_id))
        return cart_view(cart, cart_currency(cart))


def cart_version(uow: UnitOfWork, customer_id: int) -> tuple[int, bool]:
    """The cart's version and whether it is empty, in one statement (the "yes" turn's check)."""
    has_lines = select(CartLine.id).where(CartLine.cart_id == Cart.id).exists()
    with uow:
        row = uow.session.execute(
            select(Cart.version, has_lines).where(Cart.customer_id == customer_id)
        ).one_or_none()
        if row is None:
            raise CustomerNotFound(str(customer_id))
        return int(row[0]), not row[1]


def _find_line(uow: UnitOfWork, cart: Cart, sku: str, variant: str | None) -> CartLine:
    for line in cart.lines:
        if line.variant.product.sku == sku and (variant is None or line.variant.code == variant):
            return line
    raise NotInCart(load_product(uow, sku).name)
