"""Turning carts, orders, money and times into speech (and screen text) in the customer's language.

What differs between languages is data in skill/strings/speech/<locale>.json: the words for
money, the names of products and sizes, containers and counters, list words, letter and digit
names. The grammar that uses it (English articles and plurals; Korean counters, numerals and
particles) is code, one class per language.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from backend.money import ZERO_DECIMAL_CURRENCIES, format_money
from backend.services.views import LineView

SPEECH_DIR = Path(__file__).parent / "strings" / "speech"
FALLBACK_LOCALE = "en-US"
Conjunction = Literal["and", "or"]


@cache
def speech_data(locale: str) -> Mapping[str, Any]:
    path = SPEECH_DIR / f"{locale}.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


class Speech:
    """The parts every language shares: names from the locale's data, money shown on screens."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.data = speech_data(locale)

    # --- names ---------------------------------------------------------------------------------

    def product(self, sku: str, name: str) -> str:
        """The product's name in this language; the catalog's name when the locale has none."""
        names: Mapping[str, str] = self.data.get("products", {})
        return names.get(sku, name)

    def size(self, code: str, name: str) -> str:
        sizes: Mapping[str, str] = self.data.get("sizes", {})
        return sizes.get(code, name.replace("-", " "))

    def reason(self, text: str | None) -> str | None:
        """Why a product is unavailable, as the shop wrote it, or None when it cannot be said in
        this language (the answer then gives no reason rather than a sentence in English)."""
        if not text:
            return None
        if not self.data.get("translate_reasons"):
            return text
        reasons: Mapping[str, str] = self.data.get("reasons", {})
        return reasons.get(text)

    def many(self, sku: str, name: str) -> str:
        """The product as in "how many … would you like": 'oat milks', 'packs of paper towels'."""
        return self.product(sku, name)

    def number(self, count: int) -> str:
        """A count said before a counter or on its own: '3'; Korean '세'."""
        return str(count)

    def digits(self, text: str) -> str:
        """A code said digit by digit: '4 7 1 9'; Korean '사 칠 일 구'."""
        names: Mapping[str, str] = self.data.get("digits", {})
        return " ".join(names.get(char, char) for char in text if not char.isspace())

    def item_name(self, line: LineView) -> str:
        """A line without its count, for screens: 'large latte', '라떼 라지'."""
        name = self.product(line.sku, line.product_name)
        if line.variant_code in self.data.get("silent_sizes", ()):
            return name
        size = self.size(line.variant_code, line.variant_name)
        return f"{name} {size}" if self.data.get("size_after_name") else f"{size} {name}"

    # --- money ---------------------------------------------------------------------------------

    def money_shown(self, minor: int, currency: str) -> str:
        shown: Mapping[str, str] = self.data.get("money_shown", {})
        template = shown.get(currency)
        if template is None:
            return format_money(minor, currency)
        return template.format(amount=f"{minor:,}")

    def _money_words(self, currency: str) -> Mapping[str, str] | None:
        words: Mapping[str, Mapping[str, str]] = self.data["money"]
        return words.get(currency)

    # --- shared by every language ----------------------------------------------------------------

    def lines(self, lines: Iterable[LineView]) -> str:
        return self.join([self.line(line) for line in lines])

    def order_number(self, number: str) -> str:
        """A-417 → 'A 4 1 7' (each letter and digit said on its own)."""
        letters, _, digits = number.partition("-")
        names: Mapping[str, str] = self.data.get("letters", {})
        digit_names: Mapping[str, str] = self.data.get("digits", {})
        said = [names.get(letter.upper(), letter) for letter in letters]
        said += [digit_names.get(digit, digit) for digit in digits]
        return " ".join(said)

    # --- per language ----------------------------------------------------------------------------

    def money(self, minor: int, currency: str) -> str:
        raise NotImplementedError

    def line(self, line: LineView) -> str:
        raise NotImplementedError

    def join(self, items: Sequence[str], conjunction: Conjunction = "and") -> str:
        raise NotImplementedError

    def time(self, moment: datetime, zone: ZoneInfo) -> str:
        raise NotImplementedError

    def time_shown(self, moment: datetime, zone: ZoneInfo) -> str:
        return self.time(moment, zone)

    def particle(self, before: str, after_consonant: str, after_vowel: str) -> str:
        """A particle whose form follows the word before it (Korean); others have none."""
        return after_vowel


class EnglishSpeech(Speech):
    def money(self, minor: int, currency: str) -> str:
        """31 dollars and 8 cents; 1 dollar; 99 cents; 4,990 won."""
        words = self._money_words(currency)
        if currency in ZERO_DECIMAL_CURRENCIES or words is None:
            unit = words["one"] if words and minor == 1 else words["many"] if words else currency
            return f"{minor:,} {unit}"
        whole, cents = divmod(minor, 100)
        dollars = f"{whole:,} {words['one'] if whole == 1 else words['many']}"
        small = f"{cents} {words['small_one'] if cents == 1 else words['small_many']}"
        if whole and cents:
            return f"{dollars} and {small}"
        return dollars if whole else small

    def many(self, sku: str, name: str) -> str:
        return self.line(LineView(sku, name, "each", "each", 2, 0)).removeprefix("2 ")

    def plural(self, noun: str) -> str:
        irregular: Mapping[str, str] = self.data.get("plurals", {})
        head, _, last = noun.rpartition(" ")
        prefix = f"{head} " if head else ""
        if last in irregular:
            return prefix + irregular[last]
        if last.endswith(("s", "x", "ch", "sh")):
            return noun if self._is_plural(noun) else noun + "es"
        if last.endswith("y") and last[-2:-1] not in tuple("aeiou"):
            return noun[:-1] + "ies"
        return noun + "s"

    def article(self, phrase: str) -> str:
        return "an" if phrase[:1].lower() in "aeiou" else "a"

    def _is_plural(self, name: str) -> bool:
        last = name.split(" ")[-1]
        return last.endswith("s") and not last.endswith(("ss", "us"))

    def _lookup(self, table: str, name: str) -> str | None:
        """A table entry for the whole name ('peanut butter'), else for its last word ('honey')."""
        entries: Mapping[str, str] = self.data.get(table, {})
        return entries.get(name) or entries.get(name.split(" ")[-1])

    def line(self, line: LineView) -> str:
        """'2 oat milks', 'a large latte', 'a banana', 'a jar of honey', '2 pounds of tomatoes'."""
        name = self.product(line.sku, line.product_name)
        count = line.quantity
        code = line.variant_code
        silent = code in self.data["silent_sizes"]
        size = "" if silent else self.size(code, line.variant_name)
        if code in self.data["counted_sizes"]:  # "a dozen eggs", "2 half dozen eggs"
            return f"{'a' if count == 1 else count} {size} {name}"
        if code in self.data["measures"]:  # "a bunch of bananas", "2 pounds of tomatoes"
            return self._measure(count, size, name)
        head, _, last = name.rpartition(" ")
        singulars: Mapping[str, str] = self.data.get("singulars", {})
        singular = singulars.get(last) if self._is_plural(name) else None
        if singular is not None:  # "a banana", "3 bananas"
            noun = f"{head} {singular}".strip() if count == 1 else name
        else:
            container = self._lookup("containers", name)
            if container is None and self._is_plural(name):
                container = self.data["default_container"]  # "a pack of paper towels"
            if container is not None and silent:
                return self._measure(count, container, name)
            noun = name if count == 1 or self._is_plural(name) else self.plural(name)
        phrase = f"{size} {noun}".strip()
        if count == 1:
            return f"{self.article(phrase)} {phrase}"
        return f"{count} {phrase}"

    def _measure(self, count: int, measure: str, name: str) -> str:
        if count == 1:
            return f"{self.article(measure)} {measure} of {name}"
        return f"{count} {self.plural(measure)} of {name}"

    def join(self, items: Sequence[str], conjunction: Conjunction = "and") -> str:
        if not items:
            return ""
        if len(items) == 1:
            return items[0]
        return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"

    def time(self, moment: datetime, zone: ZoneInfo) -> str:
        local = moment.astimezone(zone)
        return local.strftime("%-I:%M %p").replace(":00 ", " ")


def speech_for(locale: str) -> Speech:
    from skill.speech_ko import KoreanSpeech  # Korean grammar lives in its own module

    languages: dict[str, type[Speech]] = {"en": EnglishSpeech, "ko": KoreanSpeech}
    known = locale if (SPEECH_DIR / f"{locale}.json").exists() else FALLBACK_LOCALE
    return _speech(known, languages.get(known.split("-")[0], EnglishSpeech))


@cache
def _speech(locale: str, kind: type[Speech]) -> Speech:
    return kind(locale)


# The English forms, for callers that speak only the fallback language (and older tests).
def say_money(minor: int, currency: str) -> str:
    return speech_for(FALLBACK_LOCALE).money(minor, currency)


def say_line(line: LineView) -> str:
    return speech_for(FALLBACK_LOCALE).line(line)


def say_lines(lines: Iterable[LineView]) -> str:
    return speech_for(FALLBACK_LOCALE).lines(lines)


def join(items: Sequence[str], conjunction: Conjunction = "and") -> str:
    return speech_for(FALLBACK_LOCALE).join(items, conjunction)


def say_time(moment: datetime, zone: ZoneInfo) -> str:
    return speech_for(FALLBACK_LOCALE).time(moment, zone)


def spell_order_number(number: str) -> str:
    return speech_for(FALLBACK_LOCALE).order_number(number)
