"""Spoken forms of the Alexa built-in slot types a grammar-constrained recognizer must allow.

Alexa resolves these itself; an offline recognizer with a closed grammar needs the words.
"""

from __future__ import annotations

from dataclasses import dataclass

_EN_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_EN_TEENS = (
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
)
_EN_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_EN_TENS_UNITS = tuple(f"{tens} {unit}".strip() for tens in _EN_TENS for unit in ("", *_EN_UNITS))
_EN_NUMBERS = (
    "zero", *_EN_UNITS, *_EN_TEENS, *_EN_TENS_UNITS,
    "a hundred", "one hundred", "a dozen", "a couple", "a couple of", "a", "an",
)
_EN_DIGITS = ("zero", "oh", *_EN_UNITS)
_EN_ORDINALS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "last", "latest", "previous",
)

# Counting goods uses native Korean numerals before a counter (두 개); codes use Sino-Korean digits.
_KO_NATIVE = (
    "한", "하나", "두", "둘", "세", "셋", "네", "넷", "다섯", "여섯", "일곱", "여덟", "아홉", "열",
)
_KO_SINO = ("공", "영", "일", "이", "삼", "사", "오", "육", "칠", "팔", "구", "십")
_KO_ORDINALS = ("첫", "첫번째", "두번째", "세번째", "지난번", "마지막")


@dataclass(frozen=True)
class BuiltinWords:
    phrases: tuple[str, ...]
    repeat: int = 1  # a four-digit code is four digit words in a row


_BY_LANGUAGE: dict[str, dict[str, BuiltinWords]] = {
    "en": {
        "AMAZON.NUMBER": BuiltinWords(_EN_NUMBERS),
        "AMAZON.FOUR_DIGIT_NUMBER": BuiltinWords(_EN_DIGITS, repeat=4),
        "AMAZON.Ordinal": BuiltinWords(_EN_ORDINALS),
    },
    "ko": {
        "AMAZON.NUMBER": BuiltinWords(_KO_NATIVE + _KO_SINO),
        "AMAZON.FOUR_DIGIT_NUMBER": BuiltinWords(_KO_SINO, repeat=4),
        "AMAZON.Ordinal": BuiltinWords(_KO_ORDINALS),
    },
}


def builtin_words(slot_type: str, locale: str) -> BuiltinWords | None:
    """Spoken forms of a built-in type in the locale's language, or None if we have none."""
    return _BY_LANGUAGE.get(locale.split("-")[0].lower(), {}).get(slot_type)
