"""Conversation steps shared by several intents: confirm a purchase, then place it."""

from __future__ import annotations

from dataclasses import replace

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Intent, IntentConfirmationStatus, Response
from ask_sdk_model.dialog import ConfirmIntentDirective

from backend.errors import CartChanged, EmptyCart, PurchasesLocked
from backend.persistence.models import Fulfilment
from backend.services import carts, customers, orders
from backend.services.carts import LineQuantity
from backend.services.views import CartView
from skill.dialog.state import Awaiting, Question, Restore, set_question
from skill.speech import Speech
from skill.turn import turn
from skill.visuals import show_cart, show_order


def cart_summary(cart: CartView, say: Speech) -> tuple[str, str]:
    return say.lines(cart.lines), say.money(cart.total_minor, cart.currency)


def ask(handler_input: HandlerInput, speech: str, reprompt: str | None = None) -> Response:
    t = turn(handler_input).t
    return handler_input.response_builder.speak(speech).ask(reprompt or t("reprompt")).response


def confirm_purchase(
    handler_input: HandlerInput,
    *,
    changed: bool = False,
    prefix: str = "",
    items_said: bool = False,
    restore: tuple[Restore, ...] = (),
) -> Response:
    """Reads back items and total and asks before anything is ordered.

    `items_said`: the prefix already named every item in the cart, so only the total follows.
    `restore`: what a "no" puts back (the cart before a proposed reorder).
    """
    ctx = turn(handler_input)
    customers.ensure_purchases_allowed(ctx.backend.reader(), ctx.customer.id)
    cart = carts.get_cart(ctx.backend.reader(), ctx.customer.id)
    if cart.is_empty:
        set_question(handler_input, None)
        return ask(handler_input, prefix + ctx.t("cart_empty"))
    items, total = cart_summary(cart, ctx.say)
    key = "cart_changed_confirm" if changed else "confirm_order"
    if items_said and not changed:
        key = "confirm_total"
    speech = prefix + ctx.t(key, items=items[:1].upper() + items[1:], total=total)
    set_question(
        handler_input, Question(Awaiting.PURCHASE, cart_version=cart.version, restore=restore)
    )
    show_cart(handler_input, cart, ctx.t("card_cart"))
    # Alexa answers "yes"/"no" by resending this intent with a confirmation status.
    request_confirmation(handler_input)
    return ask(handler_input, speech, ctx.t("confirm_order", items=items, total=total))


def _current_intent(handler_input: HandlerInput) -> Intent | None:
    request = handler_input.request_envelope.request
    return getattr(request, "intent", None)


def request_confirmation(handler_input: HandlerInput) -> None:
    """Asks Alexa to collect yes/no for this intent (Dialog.ConfirmIntent)."""
    intent = _current_intent(handler_input)
    if isinstance(intent, Intent):
        intent.confirmation_status = IntentConfirmationStatus.NONE
        handler_input.response_builder.add_directive(ConfirmIntentDirective(updated_intent=intent))


def purchase_confirmed(handler_input: HandlerInput, pending: Question) -> Response:
    """The customer said yes: check the cart did not change, ask for the voice code, then order."""
    ctx = turn(handler_input)
    if not ctx.customer.has_voice_code:
        # Placing checks the cart under its lock, and a retried "yes" finds its order.
        return _place(handler_input, pending)
    version, is_empty = carts.cart_version(ctx.backend.reader(), ctx.customer.id)
    if version != pending.cart_version:
        if is_empty and ctx.session_id:
            # A retried "yes" after the order went through: the same key finds the same order.
            return _place(handler_input, pending)
        return confirm_purchase(handler_input, changed=True)
    set_question(handler_input, replace(pending, awaiting=Awaiting.VOICE_CODE))
    return ask(handler_input, ctx.t("ask_code"))


def code_given(handler_input: HandlerInput, pending: Question, code: str) -> Response:
    ctx = turn(handler_input)
    customers.verify_voice_code(ctx.backend.uow(), ctx.customer.id, code)
    return _place(handler_input, pending)


def _place(handler_input: HandlerInput, pending: Question) -> Response:
    ctx = turn(handler_input)
    # The key ties the order to this conversation and this version of the cart: Alexa's retries
    # and a repeated "yes" both find the order already placed instead of placing another.
    key = f"alexa:{ctx.session_id or ctx.request_id}:cart-v{pending.cart_version}"
    try:
        order = orders.place_order(
            ctx.backend.uow(),
            ctx.customer.id,
            key,
            ctx.device_id,
            cart_version=pending.cart_version,
        )
    except EmptyCart:
        set_question(handler_input, None)
        return ask(handler_input, ctx.t("cart_empty"))
    except CartChanged:
        return confirm_purchase(handler_input, changed=True)
    set_question(handler_input, None)
    items, total = ctx.say.lines(order.lines), ctx.say.money(order.total_minor, order.currency)
    eta = ctx.say.time(order.eta, ctx.settings.timezone) if order.eta else ""
    number = ctx.say.order_number(order.number)
    if order.fulfilment == Fulfilment.DELIVERY.value:
        speech = ctx.t("placed_delivery", number=number, items=items, total=total, eta=eta)
    else:
        store = ctx.customer.pickup_store or ctx.settings.shop_name
        speech = ctx.t(
            "placed_pickup", number=number, items=items, total=total, eta=eta, store=store
        )
    show_order(handler_input, order, ctx.settings.timezone)
    return handler_input.response_builder.speak(speech).set_should_end_session(True).response


def purchase_declined(handler_input: HandlerInput, pending: Question) -> Response:
    """No order; a proposal the customer turned down (a reorder) leaves the cart as it was."""
    ctx = turn(handler_input)
    set_question(handler_input, None)
    if not pending.restore:
        return ask(handler_input, ctx.t("not_placed"))
    before = tuple(LineQuantity(r.sku, r.variant_code, r.quantity) for r in pending.restore)
    cart = carts.restore_lines(ctx.backend.uow(), ctx.customer.id, before)
    show_cart(handler_input, cart, ctx.t("card_cart"))
    if cart.is_empty:
        return ask(handler_input, ctx.t("proposal_undone_empty"))
    items, total = cart_summary(cart, ctx.say)
    return ask(handler_input, ctx.t("proposal_undone", items=items, total=total))


def locked_message(handler_input: HandlerInput, error: PurchasesLocked) -> str:
    ctx = turn(handler_input)
    return ctx.t("locked", time=ctx.say.time(error.until, ctx.settings.timezone))
