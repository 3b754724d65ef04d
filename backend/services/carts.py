"""The household cart: add, change, remove, read, clear. Every change is a screen event."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select

from backend.clock import utcnow
from backend.errors import CustomerNotFound, InvalidQuantity, NotInCart
from backend.persistence import cart_rows
from backend.persistence.cart_rows import CartLineRow
from backend.persistence.catalog_rows import ProductRow, VariantRow
from backend.persistence.models import Cart, CartLine, Product, Variant
from backend.services.catalog import load_product, pick_variant
from backend.services.views import CartView, cart_payload, line_view
from backend.unit_of_work import UnitOfWork

MAX_QUANTITY = 99
DEFAULT_CURRENCY = "USD"


@dataclass
class LockedCart:
    """A cart locked for this transaction, and its lines as the change leaves them."""

    id: int
    customer_id: int
    version: int  # as locked; the change makes it version + 1
    lines: list[CartLineRow]


def check_quantity(quantity: int) -> None:
    if not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidQuantity(quantity)


def lock_cart(uow: UnitOfWork, customer_id: int) -> LockedCart:
    """The cart, locked for this transaction (SQLite: the write lock is already held)."""
    locked = cart_rows.lock(uow.connection, customer_id, utcnow())
    if locked is None:
        raise CustomerNotFound(str(customer_id))
    lines = cart_rows.lines_of(uow.connection, locked.cart_id)
    return LockedCart(locked.cart_id, customer_id, locked.version, lines)


def cart_currency(lines: list[CartLineRow]) -> str:
    return lines[0].currency if lines else DEFAULT_CURRENCY


def view_of(customer_id: int, version: int, lines: list[CartLineRow]) -> CartView:
    return CartView(
        customer_id=customer_id,
        lines=tuple(line_view(line) for line in lines),
        currency=cart_currency(lines),
        version=version,
    )


def changed(
    uow: UnitOfWork, cart: LockedCart, reason: str, *, touched_variant_id: int | None = None
) -> CartView:
    """Emits the change as a screen event and returns the new state (caller commits)."""
    view = view_of(cart.customer_id, cart.version + 1, cart.lines)
    if touched_variant_id is not None:
        line = next((line for line in cart.lines if line.variant_id == touched_variant_id), None)
        view = replace(view, touched=line_view(line) if line else None)
    uow.emit(cart.customer_id, "cart_updated", {"reason": reason, "cart": cart_payload(view)})
    return view


def add_to_locked_cart(
    uow: UnitOfWork,
    cart: LockedCart,
    product: Product | ProductRow,
    variant: Variant | VariantRow,
    quantity: int,
) -> None:
    line = next((line for line in cart.lines if line.variant_id == variant.id), None)
    new_quantity = quantity + (line.quantity if line else 0)
    if new_quantity > MAX_QUANTITY:
        raise InvalidQuantity(new_quantity)
    if line is not None:
        cart_rows.set_quantity(uow.connection, line.id, new_quantity)
        line.quantity = new_quantity
        return
    line_id = cart_rows.insert_line(uow.connection, cart.id, variant.id, quantity)
    cart.lines.append(
        CartLineRow(
            id=line_id,
            variant_id=variant.id,
            quantity=quantity,
            sku=product.sku,
            product_name=product.name,
            variant_code=variant.code,
            variant_name=variant.name,
            unit_price_minor=variant.price_minor,
            currency=product.currency,
            product_available=product.available,
            unavailable_reason=product.unavailable_reason,
            variant_available=variant.available,
        )
    )


def add_item(
    uow: UnitOfWork, customer_id: int, sku: str, quantity: int = 1, variant: str | None = None
) -> CartView:
    check_quantity(quantity)
    with uow:
        product = load_product(uow, sku)
        chosen = pick_variant(product, variant)
        cart = lock_cart(uow, customer_id)
        add_to_locked_cart(uow, cart, product, chosen, quantity)
        view = changed(uow, cart, "added", touched_variant_id=chosen.id)
        uow.commit()
        return view


def set_quantity(
    uow: UnitOfWork, customer_id: int, sku: str, quantity: int, variant: str | None = None
) -> CartView:
    check_quantity(quantity)
    with uow:
        cart = lock_cart(uow, customer_id)
        line = _find_line(uow, cart, sku, variant)
        cart_rows.set_quantity(uow.connection, line.id, quantity)
        line.quantity = quantity
        view = changed(uow, cart, "quantity_changed", touched_variant_id=line.variant_id)
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
            if line.sku == sku and (variant is None or line.variant_code == variant)
        ]
        if not doomed:
            raise NotInCart(load_product(uow, sku).name, sku)
        removed = replace(line_view(doomed[0]), quantity=sum(line.quantity for line in doomed))
        doomed_ids = [line.id for line in doomed]
        cart_rows.delete_lines(uow.connection, doomed_ids)
        cart.lines = [line for line in cart.lines if line.id not in doomed_ids]
        view = replace(changed(uow, cart, "removed"), touched=removed)
        uow.commit()
        return view


@dataclass(frozen=True)
class LineQuantity:
    """How many of one product size a cart held: what undoing a proposal puts back."""

    sku: str
    variant_code: str
    quantity: int  # 0: the line was not there


def quantities_of(cart: CartView, wanted: list[tuple[str, str]]) -> tuple[LineQuantity, ...]:
    held = {(line.sku, line.variant_code): line.quantity for line in cart.lines}
    return tuple(LineQuantity(sku, code, held.get((sku, code), 0)) for sku, code in wanted)


def restore_lines(
    uow: UnitOfWork, customer_id: int, quantities: tuple[LineQuantity, ...]
) -> CartView:
    """Puts these lines back to the quantities given, in one transaction (a declined reorder)."""
    with uow:
        cart = lock_cart(uow, customer_id)
        for wanted in quantities:
            line = next(
                (
                    line
                    for line in cart.lines
                    if line.sku == wanted.sku and line.variant_code == wanted.variant_code
                ),
                None,
            )
            if line is None:
                continue  # already gone: nothing to undo
            if wanted.quantity <= 0:
                cart_rows.delete_lines(uow.connection, [line.id])
                cart.lines = [kept for kept in cart.lines if kept.id != line.id]
            else:
                check_quantity(wanted.quantity)
                cart_rows.set_quantity(uow.connection, line.id, wanted.quantity)
                line.quantity = wanted.quantity
        view = changed(uow, cart, "restored")
        uow.commit()
        return view


def change_variant(
    uow: UnitOfWork, customer_id: int, sku: str, from_code: str | None, to_variant: str
) -> CartView:
    """'Make that a large': the line keeps its quantity and takes the other size."""
    with uow:
        product = load_product(uow, sku)
        chosen = pick_variant(product, to_variant)
        cart = lock_cart(uow, customer_id)
        line = _find_line(uow, cart, sku, from_code)
        if line.variant_id != chosen.id:
            cart_rows.delete_lines(uow.connection, [line.id])
            cart.lines = [kept for kept in cart.lines if kept.id != line.id]
            add_to_locked_cart(uow, cart, product, chosen, line.quantity)
        view = changed(uow, cart, "quantity_changed", touched_variant_id=chosen.id)
        uow.commit()
        return view


def clear_cart(uow: UnitOfWork, customer_id: int) -> CartView:
    with uow:
        cart = lock_cart(uow, customer_id)
        cart_rows.clear(uow.connection, cart.id)
        cart.lines = []
        view = changed(uow, cart, "cleared")
        uow.commit()
        return view


def get_cart(uow: UnitOfWork, customer_id: int) -> CartView:
    with uow:
        found = cart_rows.cart_of(uow.connection, customer_id)
        if found is None:
            raise CustomerNotFound(str(customer_id))
        version, lines = found
        return view_of(customer_id, version, lines)


def cart_version(uow: UnitOfWork, customer_id: int) -> tuple[int, bool]:
    """The cart's version and whether it is empty, in one statement (the "yes" turn's check)."""
    has_lines = select(CartLine.id).where(CartLine.cart_id == Cart.id).exists()
    with uow:
        row = uow.connection.execute(
            select(Cart.version, has_lines).where(Cart.customer_id == customer_id)
        ).one_or_none()
        if row is None:
            raise CustomerNotFound(str(customer_id))
        return int(row[0]), not row[1]


def _find_line(uow: UnitOfWork, cart: LockedCart, sku: str, variant: str | None) -> CartLineRow:
    for line in cart.lines:
        if line.sku == sku and (variant is None or line.variant_code == variant):
            return line
    raise NotInCart(load_product(uow, sku).name, sku)
