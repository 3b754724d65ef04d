"""Entity resolution: which canonical slot value a span of spoken words stands for.

Custom types resolve against their values and synonyms (exactly, with plurals folded, then
fuzzily to absorb recognition errors such as "oat mills"); AMAZON.NUMBER and
AMAZON.FOUR_DIGIT_NUMBER go through the locale's number words; any other built-in type
without listed values (AMAZON.SearchQuery, AMAZON.City, ...) captures the words as spoken.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from rapidfuzz import fuzz, process

from voice_local.nlu.interaction_model import InteractionModel, SlotType, SlotValue
from voice_local.nlu.locales import LocaleTable
from voice_local.nlu.numbers import (
    is_number_word,
    number_vocabulary,
    parse_digit_string,
    parse_number,
)
from voice_local.nlu.text import tokenize

NUMBER_TYPE = "AMAZON.NUMBER"
FOUR_DIGIT_TYPE = "AMAZON.FOUR_DIGIT_NUMBER"

# Below these rapidfuzz ratios a near miss is more often another word than a misrecognition.
_PHRASE_CUTOFF = 80.0
_TOKEN_CUTOFF = 75.0
# A fuzzy hit never ties with an exact one.
_FUZZY_WEIGHT = 0.95
# "bean coffee" for "coffee beans": every word right, order wrong.
_REORDERED_SCORE = 0.9
# "귀리우유" for "귀리 우유", "oatmilk" for "oat milk": only the spacing differs.
_RESPACED_SCORE = 0.98
_FREE_FORM_SCORE = 0.7
_CACHE_LIMIT = 50_000


@dataclass(frozen=True)
class SlotResolution:
    value: str  # canonical value name, or the number as digits
    id: str | None
    score: float  # 1.0 exact, lower for fuzzy or free-form captures


class SlotResolver(Protocol):
    max_tokens: int

    def resolve(
        self, tokens: tuple[str, ...], *, fuzzy: bool = True
    ) -> SlotResolution | None: ...

    def knows(self, token: str) -> bool: ...


class CatalogResolver:
    """A custom slot type's values, looked up by any spoken form."""

    def __init__(self, slot_type: SlotType, table: LocaleTable) -> None:
        self._singular: Callable[[str], str] = table.singularize
        self._min_fuzzy_length = table.min_fuzzy_length
        self._exact: dict[str, SlotValue] = {}
        self._reordered: dict[str, SlotValue] = {}
        self._unspaced: dict[str, SlotValue] = {}
        self._keys: list[str] = []
        self._values: list[SlotValue] = []
        self._by_token: dict[str, list[int]] = {}
        self._raw_tokens: set[str] = set()
        self.max_tokens = 1
        for value in slot_type.values:
            for form in (value.name, *value.synonyms):
                tokens = tokenize(form)
                if not tokens:
                    continue
                self._raw_tokens.update(tokens)
                key = self._key(tuple(tokens))
                self._exact.setdefault(key, value)
                self._reordered.setdefault(_sorted_words(key), value)
                self._unspaced.setdefault(key.replace(" ", ""), value)
                entry = len(self._keys)
                self._keys.append(key)
                self._values.append(value)
                for token in set(key.split()):
                    self._by_token.setdefault(token, []).append(entry)
                self.max_tokens = max(self.max_tokens, len(tokens))
        self._token_choices = list(self._by_token)
        self._similar_tokens: dict[str, tuple[str, ...]] = {}
        self._cache: dict[tuple[str, ...], SlotResolution | None] = {}

    def knows(self, token: str) -> bool:
        return token in self._raw_tokens or self._singular(token) in self._by_token

    def resolve(
        self, tokens: tuple[str, ...], *, fuzzy: bool = True
    ) -> SlotResolution | None:
        key = self._key(tokens)
        exact = self._exact.get(key)
        if exact is not None:
            return SlotResolution(value=exact.name, id=exact.id, score=1.0)
        respaced = self._unspaced.get(key.replace(" ", ""))
        if respaced is not None:
            return SlotResolution(respaced.name, respaced.id, _RESPACED_SCORE)
        if not fuzzy or len(tokens) > self.max_tokens + 1:
            return None
        if len(tokens) > 1:
            reordered = self._reordered.get(_sorted_words(key))
            if reordered is not None:
                return SlotResolution(reordered.name, reordered.id, _REORDERED_SCORE)
        if tokens in self._cache:
            return self._cache[tokens]
        result = self._fuzzy(key)
        if len(self._cache) < _CACHE_LIMIT:
            self._cache[tokens] = result
        return result

    def _key(self, tokens: tuple[str, ...]) -> str:
        return " ".join(self._singular(token) for token in tokens)

    def _fuzzy(self, key: str) -> SlotResolution | None:
        # Compare whole phrases only with values sharing a (possibly misheard) word: a full
        # scan of thousands of values per span would cost milliseconds.
        entries: set[int] = set()
        for token in key.split():
            for similar in self._tokens_like(token):
                entries.update(self._by_token[similar])
        if not entries:
            return None
        ordered = sorted(entries)
        best = process.extractOne(
            key, [self._keys[entry] for entry in ordered], scorer=fuzz.ratio,
            score_cutoff=_PHRASE_CUTOFF,
        )
        if best is None:
            return None
        value = self._values[ordered[best[2]]]
        return SlotResolution(value=value.name, id=value.id, score=_FUZZY_WEIGHT * best[1] / 100)

    def _tokens_like(self, token: str) -> tuple[str, ...]:
        cached = self._similar_tokens.get(token)
        if cached is not None:
            return cached
        found: list[str] = [token] if token in self._by_token else []
        if len(token) >= self._min_fuzzy_length:
            found.extend(
                choice
                for choice, _, _ in process.extract(
                    token, self._token_choices, scorer=fuzz.ratio,
                    score_cutoff=_TOKEN_CUTOFF, limit=5,
                )
                if choice != token
            )
        result = tuple(found)
        if len(self._similar_tokens) < _CACHE_LIMIT:
            self._similar_tokens[token] = result
        return result


def _sorted_words(key: str) -> str:
    return " ".join(sorted(key.split()))


class NumberResolver:
    def __init__(self, locale: str) -> None:
        self._locale = locale
        self._words = number_vocabulary(locale)
        self.max_tokens = 6

    def knows(self, token: str) -> bool:
        return token in self._words or is_number_word(token, self._locale)

    def resolve(
        self, tokens: tuple[str, ...], *, fuzzy: bool = True
    ) -> SlotResolution | None:
        number = parse_number(tokens, self._locale)
        return None if number is None else SlotResolution(value=str(number), id=None, score=1.0)


class FourDigitResolver(NumberResolver):
    def __init__(self, locale: str) -> None:
        super().__init__(locale)
        self.max_tokens = 8

    def resolve(
        self, tokens: tuple[str, ...], *, fuzzy: bool = True
    ) -> SlotResolution | None:
        digits = parse_digit_string(tokens, self._locale)
        if digits is None or len(digits) != 4:
            return None
        return SlotResolution(value=digits, id=None, score=1.0)


class FreeFormResolver:
    """Built-in types whose values Amazon keeps (AMAZON.SearchQuery, AMAZON.City, ...)."""

    max_tokens = 8

    def knows(self, token: str) -> bool:
        return False

    def resolve(
        self, tokens: tuple[str, ...], *, fuzzy: bool = True
    ) -> SlotResolution | None:
        return SlotResolution(value=" ".join(tokens), id=None, score=_FREE_FORM_SCORE)


def resolver_for(type_name: str, model: InteractionModel, table: LocaleTable) -> SlotResolver:
    slot_type = model.slot_type(type_name)
    if slot_type is not None and slot_type.values:
        return CatalogResolver(slot_type, table)
    if type_name == NUMBER_TYPE:
        return NumberResolver(model.locale)
    if type_name == FOUR_DIGIT_TYPE:
        return FourDigitResolver(model.locale)
    return FreeFormResolver()
