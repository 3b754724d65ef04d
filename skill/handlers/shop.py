"""Questions about the shop, answered from the catalog and the shop's orders; the cart is never
touched. The product asked about becomes the subject: "I'll take two" right after means two."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from backend.services import shop_info
from backend.services.shop_info import ProductInfo
from backend.services.views import LineView
from skill.dialog.replies import item_from_slots
from skill.dialog.state import Awaiting, CartAction, ItemRequest, Question, remember, set_question
from skill.handlers.flows import ask
from skill.handlers.items import Asked, Refused, product_of, size_named, unavailable
from skill.slots import resolved_id, slot_text
from skill.turn import turn

# CATEGORY slot ids → catalog categories.
CATEGORIES = {
    "coffee": ("coffee",),
    "tea": ("tea",),
    "bakery": ("bakery",),
    "grocery": ("grocery",),
    "household": ("household",),
    "drinks": ("coffee", "tea"),
}
MAX_LISTED = 8


def _asked_product(handler_input: HandlerInput) -> ProductInfo | Response:
    """The product the question is about, or the answer that says why there is none."""
    item = item_from_slots(handler_input)
    if item.spoken is None and item.sku is None:
        return ask(handler_input, turn(handler_input).t("which_product_about"))
    found = product_of(handler_input, item, CartAction.ADD)
    if isinstance(found, Asked):
        set_question(handler_input, found.question)
        return ask(handler_input, found.speech)
    if isinstance(found, Refused):
        return ask(handler_input, found.speech)
    return shop_info.product_info(turn(handler_input).backend.reader(), found)


def _offer(
    handler_input: HandlerInput,
    info: ProductInfo,
    unit: str | None,
    speech: str,
    *,
    named: bool = False,
) -> Response:
    """Ends an answer about a product on sale with "Would you like one?": yes adds it."""
    remember(handler_input, subject=info.sku, subject_unit=unit)
    item = ItemRequest(spoken=info.name, unit=unit)
    offered = Question(Awaiting.PRODUCT_CHOICE, CartAction.ADD, item, (info.sku,))
    set_question(handler_input, offered)
    t = turn(handler_input).t
    offer = t("offer_named", product=_name(handler_input, info)) if named else t("offer_one")
    return ask(handler_input, speech + " " + offer)


class PriceIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("PriceIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = turn(handler_input)
        info = _asked_product(handler_input)
        if isinstance(info, Response):
            return info
        unit = resolved_id(handler_input, "unit") or slot_text(handler_input, "unit")
        size = size_named(info, unit) if unit else None
        if size is None and len(info.sizes) == 1:
            size = info.sizes[0]
        say = ctx.say
        if size is not None:
            phrase = say.line(_line(info, size.code))
            speech = ctx.t("price_one", product=phrase[:1].upper() + phrase[1:],
                           price=say.money(size.price_minor, info.currency))
        else:
            prices = [
                ctx.t("price_of_size", price=say.money(s.price_minor, info.currency),
                      size=say.size(s.code, s.name))
                for s in info.sizes
            ]
            name = _name(handler_input, info)
            speech = ctx.t("price_sizes", product=name[:1].upper() + name[1:],
                           prices=say.join(prices, "or"))
        if not info.sellable_sizes:
            return ask(handler_input, speech + " " + _why_not(handler_input, info))
        return _offer(handler_input, info, size.code if size else None, speech)


def _line(info: ProductInfo, code: str) -> LineView:
    size = info.size(code)
    assert size is not None
    return LineView(info.sku, info.name, size.code, size.name, 1, size.price_minor)


def _name(handler_input: HandlerInput, info: ProductInfo) -> str:
    """The product's name in the customer's language."""
    return turn(handler_input).say.product(info.sku, info.name)


def _why_not(handler_input: HandlerInput, info: ProductInfo) -> str:
    t = turn(handler_input).t
    reason = t.say.reason(info.unavailable_reason)
    if reason:
        return t("unavailable", product=_name(handler_input, info), reason=reason)
    return t("unavailable_no_reason", product=_name(handler_input, info))


class AvailabilityIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AvailabilityIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        info = _asked_product(handler_input)
        if isinstance(info, Response):
            return info
        if not info.sellable_sizes:
            outcome = unavailable(handler_input, info, ItemRequest(sku=info.sku))
            if isinstance(outcome, Asked):
                set_question(handler_input, outcome.question)
                return ask(handler_input, outcome.speech)
            return ask(handler_input, getattr(outcome, "speech", ""))
        t = turn(handler_input).t
        return _offer(handler_input, info, None, t("in_stock", product=_name(handler_input, info)))


class ProductOptionsIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ProductOptionsIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        t = turn(handler_input).t
        info = _asked_product(handler_input)
        if isinstance(info, Response):
            return info
        name = _name(handler_input, info)
        name = name[:1].upper() + name[1:]
        sizes = info.sellable_sizes or info.sizes
        if len(sizes) == 1:
            speech = t("options_one", product=name,
                       price=t.say.money(sizes[0].price_minor, info.currency))
        else:
            choices = t.say.join([t.say.size(s.code, s.name) for s in sizes], "or")
            speech = t("options_sizes", product=name, choices=choices)
        if not info.sellable_sizes:
            return ask(handler_input, speech + " " + _why_not(handler_input, info))
        return _offer(handler_input, info, None, speech)


class CategoryIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("CategoryIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = turn(handler_input)
        key = resolved_id(handler_input, "category")
        if key not in CATEGORIES:
            return ask(handler_input, ctx.t("categories"))
        products = shop_info.category_products(ctx.backend.reader(), CATEGORIES[key])
        on_sale = [ctx.say.product(p.sku, p.name) for p in products if p.sellable_sizes]
        if not on_sale:
            return ask(handler_input, ctx.t("category_empty"))
        listed = on_sale[:MAX_LISTED]
        more = len(on_sale) - len(listed)
        speech = ctx.t("category_list", products=ctx.say.join(listed))
        if more:
            speech += " " + ctx.t("category_more", count=ctx.say.number(more))
        return ask(handler_input, speech)


class RecommendIntentHandler(AbstractRequestHandler):
    """From this shop's own orders: what sells, and what is bought together."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("RecommendIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = turn(handler_input)
        reader = ctx.backend.reader
        item = item_from_slots(handler_input)
        if item.spoken is not None or item.sku is not None:
            info = _asked_product(handler_input)
            if isinstance(info, Response):
                return info
            with_it = shop_info.goes_well_with(reader(), info.sku)
            if with_it:
                first = with_it[0]
                names = [ctx.say.product(p.sku, p.name) for p in with_it]
                speech = ctx.t("goes_with", product=ctx.say.product(info.sku, info.name),
                               products=ctx.say.join(names, "or"))
                return _offer(handler_input, first, None, speech, named=True)
        top = shop_info.popular(reader())
        if not top:
            return ask(handler_input, ctx.t("no_history"))
        names = [ctx.say.product(p.sku, p.name) for p in top]
        speech = ctx.t("popular", products=ctx.say.join(names))
        return _offer(handler_input, top[0], None, speech, named=True)
