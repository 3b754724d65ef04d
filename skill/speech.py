"""Turning carts, orders and money into natural English speech."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from backend.services.views import LineView

# Variant names that add nothing when spoken ("a croissant", not "an each croissant").
SILENT_VARIANTS = frozenset({"each", "single", "regular"})
COUNTED_SIZES = frozenset({"dozen", "half dozen"})
MEASURES = frozenset({"pound", "bag", "bunch", "gallon", "half gallon", "loaf", "pack"})
CURRENCY_WORDS = {
    "USD": ("dollar", "dollars", "cent", "cents"),
    "EUR": ("euro", "euros", "cent", "cents"),
}


def say_money(minor: int, currency: str) -> str:
    """9 dollars 40; 9 dollars; 40 cents."""
    one, many, small_one, small_many = CURRENCY_WORDS.get(
        currency, (currency, currency, "hundredth", "hundredths")
    )
    whole, cents = divmod(minor, 100)
    if whole and cents:
        return f"{whole} {one if whole == 1 else many} {cents}"
    if whole:
        return f"{whole} {one if whole == 1 else many}"
    return f"{cents} {small_one if cents == 1 else small_many}"


def plural(noun: str) -> str:
    last = noun.split(" ")[-1]
    if last.endswith(("s", "x", "ch", "sh")):
        return noun if last.endswith("s") else noun + "es"
    if last.endswith("y") and last[-2:-1] not in tuple("aeiou"):
        return noun[:-1] + "ies"
    return noun + "s"


def article(phrase: str) -> str:
    return "an" if phrase[:1].lower() in "aeiou" else "a"


def say_line(line: LineView) -> str:
    """'2 oat milks', 'a large latte', 'a dozen eggs', '2 pounds of tomatoes'."""
    name = line.product_name
    size = "" if line.variant_name in SILENT_VARIANTS else line.variant_name.replace("-", " ")
    if size in COUNTED_SIZES:  # "a dozen eggs", "2 half dozen eggs"
        count = "a" if line.quantity == 1 else str(line.quantity)
        return f"{count} {size} {name}"
    if size in MEASURES:  # "a bunch of bananas", "2 pounds of tomatoes"
        if line.quantity == 1:
            return f"{article(size)} {size} of {name}"
        return f"{line.quantity} {plural(size)} of {name}"
    if line.quantity == 1:
        phrase = f"{size} {name}".strip()
        return f"{article(phrase)} {phrase}" if not name.endswith("s") else f"{phrase}"
    noun = name if name.endswith("s") else plural(name)
    return f"{line.quantity} {size} {noun}".replace("  ", " ")


def join(items: Sequence[str], conjunction: str = "and") -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def say_lines(lines: Iterable[LineView]) -> str:
    return join([say_line(line) for line in lines])


def say_time(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return local.strftime("%-I:%M %p").replace(":00 ", " ")


def spell_order_number(number: str) -> str:
    """A-417 → 'A 4 1 7', so Alexa reads it digit by digit."""
    letters, _, digits = number.partition("-")
    return f"{letters} {' '.join(digits)}"
