"""Putting the items a customer names into the cart, or taking them out, one question at a time.

Each item goes through the same steps: which product (a "did you mean" when the name is not
clear), which size (asked when it matters and was not said), how many. Items that are clear are
done at once; the first one that needs a question asks it and the rest of the sentence waits in
the question's queue, so "two oat milks and a latte" adds the oat milks, asks the latte's size,
then carries on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from backend.errors import ProductNotFound
from backend.services import carts, shop_info
from backend.services.catalog import resolve_product, singular_forms
from backend.services.shop_info import ProductInfo, SizeInfo
from backend.services.views import CartView, LineView
from skill.dialog.state import (
    Awaiting,
    CartAction,
    ItemRequest,
    Question,
    dialog,
    remember,
    set_question,
)
from skill.handlers.flows import ask, cart_summary
from skill.turn import turn
from skill.visuals import show_cart

# Units that are really counts when the product has no pack of that name: "a dozen bagels".
COUNT_WORDS = {"dozen": 12, "half-dozen": 6, "couple": 2, "pair": 2}
# Sizes that mean "one of them": chosen without asking when a number was said ("three bananas"),
# if the product's other sizes are packs ("single or bunch"; an espresso's "single" is a shot).
SINGLE_SIZES = frozenset({"single", "each"})
PACKS = {"dozen": 12, "half-dozen": 6, "bunch": 0, "bag": 0, "gallon": 0, "half-gallon": 0,
         "pound": 0}
MAX_LINE_QUANTITY = 99


@dataclass(frozen=True)
class Done:
    said: str  # "2 oat milks", for "Added 2 oat milks."
    cart: CartView | None = None  # the cart as the change left it, when the change returned it


@dataclass(frozen=True)
class Asked:
    question: Question
    speech: str


@dataclass(frozen=True)
class Refused:
    speech: str


Outcome = Done | Asked | Refused


def serve(
    handler_input: HandlerInput,
    action: CartAction,
    items: Sequence[ItemRequest],
    *,
    done_before: Sequence[str] = (),
) -> Response:
    """Does every item it can, asks about the first one it cannot (the rest of those wait in the
    question's queue), and reports the cart."""
    done, refused = list(done_before), []
    cart: CartView | None = None
    unclear: list[tuple[Asked, ItemRequest]] = []
    for item in items:
        outcome = step(handler_input, action, item)
        if isinstance(outcome, Asked):
            unclear.append((outcome, item))
        elif isinstance(outcome, Done):
            done.append(outcome.said)
            cart = outcome.cart
        else:
            refused.append(outcome.speech)
    if unclear:
        # The clear items are in; ask about the first unclear one, the others wait their turn.
        asked = unclear[0][0]
        question = replace(asked.question, queue=tuple(item for _, item in unclear[1:]))
        set_question(handler_input, question)
        return ask(handler_input, _so_far(handler_input, action, done, refused) + asked.speech)
    set_question(handler_input, None)
    return _report(handler_input, action, done, refused, cart)


def step(handler_input: HandlerInput, action: CartAction, item: ItemRequest) -> Outcome:
    if action == CartAction.SET:
        return _set(handler_input, item)
    found = product_of(handler_input, item, action)
    if not isinstance(found, str):
        return found
    item = replace(item, sku=found)
    if action == CartAction.REMOVE:
        return _remove(handler_input, item, found)
    return _add(handler_input, item, found)


def product_of(
    handler_input: HandlerInput, item: ItemRequest, action: CartAction
) -> str | Asked | Refused:
    """The SKU meant, or the question that finds out ("Did you mean oat milk or soy milk?")."""
    ctx = turn(handler_input)
    if item.sku is not None:
        return item.sku
    if item.spoken is None:
        key = "which_remove" if action == CartAction.REMOVE else "which_product"
        return Asked(Question(Awaiting.PRODUCT, action, item), ctx.t(key))
    try:
        with ctx.backend.reader() as reader:
            resolution = resolve_product(reader, item.spoken)
    except ProductNotFound as missing:
        skus = _skus_named(handler_input, missing.suggestions[:2])
        if not skus:
            return Refused(ctx.t("not_sold", spoken=item.spoken))
        names = ctx.say.join([ctx.say.product(sku, name) for sku, name in skus], "or")
        return Asked(
            Question(Awaiting.PRODUCT_CHOICE, action, item, tuple(sku for sku, _ in skus)),
            ctx.t("not_sold_suggest", spoken=item.spoken, options=names),
        )
    if resolution.is_confident:
        return resolution.best.sku
    candidates = [resolution.best, *resolution.alternatives[:1]]
    return Asked(
        Question(Awaiting.PRODUCT_CHOICE, action, item, tuple(c.sku for c in candidates)),
        ctx.t("did_you_mean",
              options=ctx.say.join([ctx.say.product(c.sku, c.name) for c in candidates], "or")),
    )


def _skus_named(handler_input: HandlerInput, names: Sequence[str]) -> list[tuple[str, str]]:
    found = []
    for name in names:
        try:
            with turn(handler_input).backend.reader() as reader:
                best = resolve_product(reader, name).best
        except ProductNotFound:
            continue
        found.append((best.sku, best.name))
    return found


# --- adding ------------------------------------------------------------------------------------


def _add(handler_input: HandlerInput, item: ItemRequest, sku: str) -> Outcome:
    ctx = turn(handler_input)
    info = shop_info.product_info(ctx.backend.reader(), sku)
    if not info.available:
        return unavailable(handler_input, info, item)
    size, quantity = _size_and_quantity(info, item)
    if size is None and not item.unit:
        # "One more americano": the size already in the cart, when there is just one.
        held = [line for line in carts.get_cart(ctx.backend.reader(), ctx.customer.id).lines
                if line.sku == sku]
        if len(held) == 1:
            size = info.size(held[0].variant_code)
    if size is None:
        sizes = info.sellable_sizes
        if not sizes:
            return unavailable(handler_input, info, item)
        return Asked(
            Question(Awaiting.SIZE, CartAction.ADD, replace(item, quantity=quantity),
                     tuple(s.code for s in sizes)),
            ctx.t("which_size", product=ctx.say.product(info.sku, info.name),
                  choices=ctx.say.join([ctx.say.size(s.code, s.name) for s in sizes], "or")),
        )
    if not size.available:
        return Refused(
            ctx.t("unavailable_no_reason", product=ctx.say.item_name(_line(info, size, 1)))
        )
    count = 1 if quantity is None else quantity
    if not 1 <= count <= MAX_LINE_QUANTITY:
        return Asked(
            Question(
                Awaiting.QUANTITY, CartAction.ADD, replace(item, quantity=None, unit=size.code)
            ),
            ctx.t("quantity_range_for", product=ctx.say.many(info.sku, info.name)),
        )
    cart = carts.add_item(ctx.backend.uow(), ctx.customer.id, sku, count, size.code)
    remember(handler_input, last_sku=sku, last_variant=size.code, subject=None)
    _show(handler_input, cart)
    return Done(ctx.say.line(_line(info, size, count)), cart)


def _size_and_quantity(info: ProductInfo, item: ItemRequest) -> tuple[SizeInfo | None, int | None]:
    """The size meant and how many, or no size when the customer must be asked."""
    quantity = item.quantity
    sizes = info.sizes
    if item.unit:
        named = size_named(info, item.unit)
        if named is not None:
            return named, quantity
        count = COUNT_WORDS.get(_code(item.unit))
        if count is not None:
            quantity = (quantity or 1) * count
    if len(sizes) == 1:
        return sizes[0], quantity
    if not item.unit and quantity:
        # "Twelve eggs" (or Alexa's number for "a dozen eggs") is a dozen of them.
        for size in sorted(sizes, key=lambda s: -PACKS.get(s.code, 0)):
            count = PACKS.get(size.code, 0)
            if count and quantity % count == 0:
                return size, quantity // count
    single = next((s for s in sizes if s.code in SINGLE_SIZES), None)
    others_are_packs = all(s.code in PACKS for s in sizes if s is not single)
    spoken_singular = item.spoken is not None and _is_singular(item.spoken)
    if single is not None and others_are_packs and (quantity is not None or spoken_singular):
        return single, quantity
    return None, quantity


def size_named(info: ProductInfo, unit: str) -> SizeInfo | None:
    wanted = {_code(form) for form in singular_forms(unit.lower().strip())}
    return next(
        (s for s in info.sizes if s.code in wanted or _code(s.name) in wanted), None
    )


def _code(text: str) -> str:
    """'half a dozen' → 'half-dozen': the catalog's size codes."""
    return "-".join(word for word in text.lower().split() if word not in ("a", "an", "of"))


def _is_singular(spoken: str) -> bool:
    last = spoken.lower().split()[-1] if spoken.split() else ""
    return not last.endswith("s") or last.endswith("ss")


def _line(info: ProductInfo, size: SizeInfo, quantity: int) -> LineView:
    return LineView(info.sku, info.name, size.code, size.name, quantity, size.price_minor)


def unavailable(handler_input: HandlerInput, info: ProductInfo, item: ItemRequest) -> Outcome:
    """Sold out: say why, and offer the closest thing on sale ("Would you like oat milk?")."""
    ctx = turn(handler_input)
    reason = ctx.say.reason(info.unavailable_reason)
    name = ctx.say.product(info.sku, info.name)
    said = (
        ctx.t("unavailable", product=name, reason=reason)
        if reason
        else ctx.t("unavailable_no_reason", product=name)
    )
    other = shop_info.similar_available(ctx.backend.reader(), info.sku)
    if other is None:
        return Refused(said)
    return Asked(
        Question(Awaiting.PRODUCT_CHOICE, CartAction.ADD,
                 replace(item, sku=None, spoken=other.name, unit=None), (other.sku,)),
        said + " " + ctx.t("offer_instead", product=ctx.say.product(other.sku, other.name)),
    )


# --- taking out and changing --------------------------------------------------------------------


def _lines_of(cart: CartView, sku: str, info: ProductInfo, unit: str | None) -> list[LineView]:
    size = size_named(info, unit) if unit else None
    return [
        line
        for line in cart.lines
        if line.sku == sku and (size is None or line.variant_code == size.code)
    ]


def _remove(handler_input: HandlerInput, item: ItemRequest, sku: str) -> Outcome:
    ctx = turn(handler_input)
    info = shop_info.product_info(ctx.backend.reader(), sku)
    cart = carts.get_cart(ctx.backend.reader(), ctx.customer.id)
    lines = _lines_of(cart, sku, info, item.unit)
    if not lines:
        return Refused(ctx.t("not_in_cart", product=ctx.say.product(info.sku, info.name)))
    if item.quantity is None or item.all_of_it:
        size = size_named(info, item.unit) if item.unit else None
        changed = carts.remove_item(
            ctx.backend.uow(), ctx.customer.id, sku, size.code if size else None
        )
        _show(handler_input, changed)
        total = sum(line.quantity for line in lines)
        return Done(ctx.say.line(replace(lines[0], quantity=total)))
    line = lines[-1]
    fewer = min(item.quantity, line.quantity)
    if fewer >= line.quantity:
        changed = carts.remove_item(ctx.backend.uow(), ctx.customer.id, sku, line.variant_code)
    else:
        changed = carts.set_quantity(
            ctx.backend.uow(), ctx.customer.id, sku, line.quantity - fewer, line.variant_code
        )
    remember(handler_input, last_sku=sku, last_variant=line.variant_code)
    _show(handler_input, changed)
    return Done(ctx.say.line(replace(line, quantity=fewer)), changed)


def _set(handler_input: HandlerInput, item: ItemRequest) -> Outcome:
    """'Make it four bagels', 'make that a large': the line changes, nothing is added beside it."""
    ctx = turn(handler_input)
    memory = dialog(handler_input).memory
    if item.sku is None and item.spoken is None:
        if memory.last_sku is None:
            return Asked(Question(Awaiting.PRODUCT, CartAction.SET, item), ctx.t("which_change"))
        item = replace(item, sku=memory.last_sku)
    found = product_of(handler_input, item, CartAction.SET)
    if not isinstance(found, str):
        return found
    info = shop_info.product_info(ctx.backend.reader(), found)
    cart = carts.get_cart(ctx.backend.reader(), ctx.customer.id)
    lines = [line for line in cart.lines if line.sku == found]
    if not lines:
        # "Soy milk instead" right after an oat milk went in: the oat milk becomes a soy milk.
        last = next((ln for ln in cart.lines if ln.sku == memory.last_sku
                     and ln.variant_code == memory.last_variant), None)
        if last is not None:
            return _swap(handler_input, last, replace(item, sku=found), info)
        # "Make it four bagels" with none in the cart: what they want is four bagels.
        return _add(handler_input, replace(item, sku=found), found)
    line = next((ln for ln in lines if ln.variant_code == memory.last_variant), lines[-1])
    result = line
    if item.unit:
        size = size_named(info, item.unit)
        if size is None:
            choices = ctx.say.join(
                [ctx.say.size(s.code, s.name) for s in info.sellable_sizes], "or"
            )
            return Refused(ctx.t("unknown_variant", product=ctx.say.product(info.sku, info.name),
                                 choices=choices))
        if size.code != line.variant_code:
            carts.change_variant(
                ctx.backend.uow(), ctx.customer.id, found, line.variant_code, size.code
            )
            result = _line(info, size, line.quantity)
    pack = PACKS.get(result.variant_code, 0)
    if not item.unit and item.quantity and pack and item.quantity % pack == 0:
        # "Make that two dozen eggs" arrives as 24 (Alexa's number too): 2 of the dozen.
        item = replace(item, quantity=item.quantity // pack)
    if item.quantity is not None:
        if not 1 <= item.quantity <= MAX_LINE_QUANTITY:
            return Asked(
                Question(Awaiting.QUANTITY, CartAction.SET,
                         replace(item, sku=found, quantity=None, unit=result.variant_code)),
                ctx.t("quantity_range_for", product=ctx.say.many(info.sku, info.name)),
            )
        carts.set_quantity(
            ctx.backend.uow(), ctx.customer.id, found, item.quantity, result.variant_code
        )
        result = replace(result, quantity=item.quantity)
    remember(handler_input, last_sku=found, last_variant=result.variant_code)
    _show(handler_input, carts.get_cart(ctx.backend.reader(), ctx.customer.id))
    return Done(ctx.say.line(result))


def _swap(
    handler_input: HandlerInput, last: LineView, item: ItemRequest, info: ProductInfo
) -> Outcome:
    """The line just added is taken out and the product now named goes in its place, in the
    same size and number unless new ones were said."""
    ctx = turn(handler_input)
    carts.remove_item(ctx.backend.uow(), ctx.customer.id, last.sku, last.variant_code)
    same_size = info.size(last.variant_code) is not None
    return _add(
        handler_input,
        replace(
            item,
            quantity=item.quantity if item.quantity is not None else last.quantity,
            unit=item.unit or (last.variant_code if same_size else None),
        ),
        info.sku,
    )


# --- what the customer hears ---------------------------------------------------------------------

_DONE_KEYS = {CartAction.ADD: "added", CartAction.REMOVE: "removed", CartAction.SET: "changed"}


def _so_far(
    handler_input: HandlerInput, action: CartAction, done: list[str], refused: list[str]
) -> str:
    """What already happened this turn, before the question about the next item."""
    t = turn(handler_input).t
    said = [t(f"{_DONE_KEYS[action]}_short", items=t.say.join(done))] if done else []
    return " ".join([*said, *refused, ""]) if said or refused else ""


def _report(
    handler_input: HandlerInput,
    action: CartAction,
    done: list[str],
    refused: list[str],
    cart: CartView | None,
) -> Response:
    ctx = turn(handler_input)
    if not done:
        return ask(handler_input, " ".join(refused) or ctx.t("which_product"))
    if cart is None:
        cart = carts.get_cart(ctx.backend.reader(), ctx.customer.id)
    prefix = " ".join([ctx.t(f"{_DONE_KEYS[action]}_short", items=ctx.say.join(done)), *refused])
    if cart.is_empty:
        return ask(handler_input, prefix + " " + ctx.t("now_empty"))
    items, total = cart_summary(cart, ctx.say)
    return ask(handler_input, prefix + " " + ctx.t("cart_now", items=items, total=total))


def _show(handler_input: HandlerInput, cart: CartView) -> None:
    show_cart(handler_input, cart, turn(handler_input).t("card_cart"))
