"""Domain errors: each message says what went wrong and what to do about it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime


class DomainError(Exception):
    """Base of every error a caller can show to a person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ProductNotFound(DomainError):
    def __init__(self, spoken: str, suggestions: Sequence[str]) -> None:
        self.spoken = spoken
        self.suggestions = tuple(suggestions)
        hint = f" Did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"We don't sell '{spoken}'.{hint}")


class ProductUnavailable(DomainError):
    def __init__(
        self,
        product_name: str,
        reason: str | None,
        *,
        sku: str | None = None,
        variant: tuple[str, str] | None = None,
    ) -> None:
        self.product_name = product_name
        self.reason = reason
        # What it is, for callers that name it in another language: the SKU, and the (code,
        # name) of the size when only that size is unavailable.
        self.sku = sku
        self.variant = variant
        super().__init__(f"{product_name} is unavailable: {reason or 'not in stock right now'}.")


class UnknownVariant(DomainError):
    def __init__(
        self,
        product_name: str,
        variant: str,
        choices: Sequence[str],
        *,
        sku: str | None = None,
        codes: Sequence[str] = (),
    ) -> None:
        self.product_name = product_name
        self.choices = tuple(choices)
        self.sku = sku
        self.codes = tuple(codes)  # the choices' variant codes, in the same order
        super().__init__(
            f"{product_name} doesn't come as '{variant}'. Choose one of: {', '.join(self.choices)}."
        )


class InvalidQuantity(DomainError):
    def __init__(self, quantity: int) -> None:
        self.quantity = quantity
        super().__init__(f"Quantity must be between 1 and 99, not {quantity}.")


class NotInCart(DomainError):
    def __init__(self, product_name: str, sku: str | None = None) -> None:
        self.product_name = product_name
        self.sku = sku  # callers that speak another language name the product from its SKU
        super().__init__(f"There is no {product_name} in the cart.")


class EmptyCart(DomainError):
    def __init__(self) -> None:
        super().__init__("The cart is empty: add something before checking out.")


class CartChanged(DomainError):
    def __init__(self) -> None:
        super().__init__("The cart changed after it was confirmed: confirm it again.")


class NothingToReorder(DomainError):
    def __init__(self, what: str, sku: str | None = None) -> None:
        self.what = what
        self.sku = sku  # set when a product was named: it was never bought before
        super().__init__(f"There is no {what} to reorder yet: place an order first.")


class OrderNotFound(DomainError):
    def __init__(self, number: str | None) -> None:
        self.number = number
        if number:
            super().__init__(f"There is no order {number}. Check the number on the receipt.")
        else:
            super().__init__("There is no open order.")


class InvalidTransition(DomainError):
    def __init__(self, number: str, current: str, wanted: str, allowed: Sequence[str]) -> None:
        self.current = current
        self.wanted = wanted
        state = _STATE_WORDS.get(current, current)
        if not allowed:
            message = f"Order {number} is already {state}, so it cannot change any more."
        elif current == wanted:
            message = f"Order {number} is already {state}. It can move on to {_either(allowed)}."
        else:
            message = (
                f"Order {number} is {state}, so it cannot be marked {_words(wanted)}. "
                f"It can move on to {_either(allowed)}."
            )
        super().__init__(message)


# How a status reads after "Order A-100 is …".
_STATE_WORDS = {"preparing": "being prepared", "out_for_delivery": "out for delivery"}


def _words(status: str) -> str:
    return status.replace("_", " ")


def _either(statuses: Sequence[str]) -> str:
    words = [_words(s) for s in statuses]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


class CustomerNotFound(DomainError):
    def __init__(self, ref: str) -> None:
        super().__init__(
            f"No customer or device '{ref}'. Run `vcom db seed` for the demo customer."
        )


class AmbiguousCustomer(DomainError):
    def __init__(self, name: str, ids: Sequence[int]) -> None:
        self.ids = tuple(ids)
        listed = ", ".join(str(i) for i in ids)
        super().__init__(f"Several customers are called '{name}' (ids {listed}): use an id.")


class PurchasesLocked(DomainError):
    def __init__(self, until: datetime) -> None:
        self.until = until
        super().__init__(
            "Purchasing is locked after three wrong voice codes; try again after "
            f"{until:%H:%M} UTC."
        )


class WrongVoiceCode(DomainError):
    def __init__(self, attempts_left: int) -> None:
        self.attempts_left = attempts_left
        super().__init__(f"That code is not right. {attempts_left} attempt(s) left.")


class InvalidVoiceCode(DomainError):
    def __init__(self) -> None:
        super().__init__("A voice purchase code is exactly four digits.")


class StoreError(DomainError):
    """The database could not be used: missing, locked, unreachable or not initialised."""


class ConfigurationError(DomainError, ValueError):
    """A setting (an environment variable or option) that cannot work: says which, and what is
    accepted. A ValueError too, for callers that validate settings generically."""
