"""Spoken numbers per locale, for AMAZON.NUMBER and AMAZON.FOUR_DIGIT_NUMBER slots.

Speech recognisers write numbers as words ("twenty one", "두 개") or digits ("21"); codes are
usually read digit by digit ("four one seven"). Korean has two number systems: native words
for counting things ("두 개", "세 병") and Sino-Korean for codes and order numbers ("사백십칠").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from voice_local.nlu.locales import korean_counters

_EN_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_EN_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
# Said instead of zero when reading codes ("four oh one").
_EN_DIGIT_ALIASES = {"oh": 0, "o": 0, "nil": 0}
_EN_EXTRA_WORDS = ("a", "an", "and", "dozen", "half", "couple", "pair", "double", "oh")

_KO_NATIVE_TENS = {
    "열": 10, "스물": 20, "스무": 20, "서른": 30, "마흔": 40, "쉰": 50, "예순": 60, "일흔": 70,
    "여든": 80, "아흔": 90,
}
# Attributive forms ("한", "두", "세", "네") come before counters: "두 개".
_KO_NATIVE_UNITS = {
    "하나": 1, "한": 1, "둘": 2, "두": 2, "셋": 3, "세": 3, "석": 3, "서": 3, "넷": 4, "네": 4,
    "넉": 4, "너": 4, "다섯": 5, "닷": 5, "여섯": 6, "엿": 6, "일곱": 7, "여덟": 8, "아홉": 9,
}
_KO_SINO_DIGITS = {
    "영": 0, "공": 0, "일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "륙": 6, "칠": 7,
    "팔": 8, "구": 9,
}
_KO_SINO_SMALL_UNITS = {"십": 10, "백": 100, "천": 1000}
_KO_SINO_LARGE_UNITS = {"만": 10_000, "억": 100_000_000}
_KO_NATIVE_ATTRIBUTIVE = {1: "한", 2: "두", 3: "세", 4: "네", 20: "스무"}
_KO_NATIVE_TENS_WORDS = {10: "열", 20: "스물", 30: "서른", 40: "마흔", 50: "쉰", 60: "예순",
                         70: "일흔", 80: "여든", 90: "아흔"}
_KO_NATIVE_UNIT_WORDS = {5: "다섯", 6: "여섯", 7: "일곱", 8: "여덟", 9: "아홉"}

_DIGITS = re.compile(r"\d+")


def parse_number(words: Sequence[str], locale: str) -> int | None:
    """The number all of `words` say together, or None if any word is not part of a number."""
    tokens = [word.lower() for word in words if word]
    if not tokens:
        return None
    if all(_DIGITS.fullmatch(token) for token in tokens):
        return int("".join(tokens))
    if locale.lower().startswith("ko"):
        return _parse_korean(tokens)
    return _parse_english(tokens)


def parse_digit_string(words: Sequence[str], locale: str) -> str | None:
    """The digits of a code read out loud, keeping leading zeros: 'zero four one nine' -> '0419',
    'forty seven nineteen' -> '4719', '4719' -> '4719'."""
    tokens = [word.lower() for word in words if word]
    if not tokens:
        return None
    if locale.lower().startswith("ko"):
        return _korean_digit_string(tokens)
    return _english_digit_string(tokens)


def number_words(n: int, locale: str) -> str:
    """How a person says `n`: 'twenty one'; Korean uses native counting words up to 99
    ('두', as in '두 개') and Sino-Korean above ('백이십')."""
    if n < 0:
        raise ValueError(f"cannot say negative number {n}")
    if locale.lower().startswith("ko"):
        return _korean_words(n)
    return _english_words(n)


def spoken_digits(digits: str, locale: str) -> str:
    """A code read digit by digit: '4719' -> 'four seven one nine' / '사 칠 일 구'."""
    if locale.lower().startswith("ko"):
        return " ".join(_korean_sino_words(int(digit)) for digit in digits)
    return " ".join(_english_words(int(digit)) for digit in digits)


def is_number_word(token: str, locale: str) -> bool:
    """A whole number on its own ('두', '열두', '21'), not one glued to a counter ('두개')."""
    if locale.lower().startswith("ko") and _strip_counter([token]) != [token]:
        return False
    return parse_number([token], locale) is not None


def number_vocabulary(locale: str) -> frozenset[str]:
    """Every word number_words and parse_number deal in, for speech-recognition grammars."""
    if locale.lower().startswith("ko"):
        return frozenset(
            [*_KO_NATIVE_TENS, *_KO_NATIVE_UNITS, *_KO_SINO_DIGITS, *_KO_SINO_SMALL_UNITS,
             *_KO_SINO_LARGE_UNITS, *korean_counters()]
        )
    return frozenset([*_EN_UNITS, *_EN_TENS, *_EN_SCALES, *_EN_EXTRA_WORDS])


# --- English -----------------------------------------------------------------------------


def _single_digit(token: str) -> int | None:
    if token.isdecimal() and len(token) == 1:
        return int(token)
    value = _EN_UNITS.get(token, _EN_DIGIT_ALIASES.get(token))
    return value if value is not None and value < 10 else None


def _parse_english(tokens: list[str]) -> int | None:
    # "four one seven": a code read digit by digit means 417, not 4 + 1 + 7.
    if len(tokens) >= 2:
        digits = [_single_digit(token) for token in tokens]
        if all(digit is not None for digit in digits) and _EN_DIGIT_ALIASES.keys().isdisjoint(
            tokens[:1]
        ):
            return int("".join(str(digit) for digit in digits))
    return _english_cardinal(tokens)


def _english_cardinal(tokens: list[str]) -> int | None:
    total = 0  # completed thousands/millions
    current = 0  # below the next scale word
    seen_number = False
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token in ("a", "an"):
            # Only "a hundred", "a dozen", "a couple", "a pair"; a lone "a" is an article.
            if following not in (*_EN_SCALES, "dozen", "couple", "pair"):
                return None
            current += 1
            seen_number = True
        elif token == "half" and tokens[index + 1: index + 3] in (["a", "dozen"], ["dozen"]):
            current += 6
            index += 3 if following == "a" else 2
            seen_number = True
            continue
        elif token == "and" and seen_number and following is not None:
            pass  # "one hundred and five"
        elif token == "dozen":
            current = (current or 1) * 12
            seen_number = True
        elif token in ("couple", "pair"):
            if following == "of":
                index += 1
            current = (current or 1) * 2
            seen_number = True
        elif token in _EN_UNITS:
            if current % 100 >= 20 and current % 10 == 0 and _EN_UNITS[token] < 10:
                current += _EN_UNITS[token]  # "twenty one"
            elif current % 100 == 0:
                current += _EN_UNITS[token]
            else:
                return None  # "one two" as a cardinal is not a number (digit codes handled)
            seen_number = True
        elif token in _EN_TENS:
            if current % 100 != 0:
                return None
            current += _EN_TENS[token]
            seen_number = True
        elif token in _EN_SCALES:
            scale = _EN_SCALES[token]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
            seen_number = True
        elif _DIGITS.fullmatch(token):
            if current % 100 != 0 and current != 0:
                return None
            current += int(token)
            seen_number = True
        else:
            return None
        index += 1
    return total + current if seen_number else None


def _english_digit_string(tokens: list[str]) -> str | None:
    digits: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if _DIGITS.fullmatch(token):
            digits.append(token)
        elif token == "double" and following is not None and _single_digit(following) is not None:
            digits.append(str(_single_digit(following)) * 2)
            index += 1
        elif token in _EN_TENS:
            unit = _EN_UNITS.get(following or "", 10)
            if 0 < unit < 10:
                digits.append(str(_EN_TENS[token] + unit))
                index += 1
            else:
                digits.append(str(_EN_TENS[token]))
        elif token in _EN_UNITS or token in _EN_DIGIT_ALIASES:
            digits.append(str(_EN_UNITS.get(token, _EN_DIGIT_ALIASES.get(token))))
        elif token == "hundred" and digits:
            digits.append("00")
        else:
            return None
        index += 1
    return "".join(digits)


def _english_words(n: int) -> str:
    if n < 20:
        return next(word for word, value in _EN_UNITS.items() if value == n)
    if n < 100:
        tens = next(word for word, value in _EN_TENS.items() if value == n - n % 10)
        return tens if n % 10 == 0 else f"{tens} {_english_words(n % 10)}"
    for scale_word, scale in sorted(_EN_SCALES.items(), key=lambda item: -item[1]):
        if n >= scale:
            head = f"{_english_words(n // scale)} {scale_word}"
            return head if n % scale == 0 else f"{head} {_english_words(n % scale)}"
    raise AssertionError("unreachable")


# --- Korean ------------------------------------------------------------------------------


def _strip_counter(tokens: list[str]) -> list[str]:
    """'두 개' / '두개' -> ['두']; counters are grammar, not part of the number."""
    if len(tokens) > 1 and tokens[-1] in korean_counters():
        return tokens[:-1]
    last = tokens[-1]
    for counter in sorted(korean_counters(), key=len, reverse=True):
        if last.endswith(counter) and len(last) > len(counter):
            return [*tokens[:-1], last[: -len(counter)]]
    return tokens


def _parse_korean(tokens: list[str]) -> int | None:
    tokens = _strip_counter(tokens)
    if all(_DIGITS.fullmatch(token) for token in tokens):
        return int("".join(tokens))
    text = "".join(tokens)
    native = _korean_native(text)
    if native is not None:
        return native
    return _korean_sino(text)


def _korean_native(text: str) -> int | None:
    for tens_word, tens in _KO_NATIVE_TENS.items():
        if text == tens_word:
            return tens
        if text.startswith(tens_word) and tens_word != "스무":
            unit = _KO_NATIVE_UNITS.get(text[len(tens_word):])
            if unit is not None:
                return tens + unit
    return _KO_NATIVE_UNITS.get(text)


def _korean_sino(text: str) -> int | None:
    if not text:
        return None
    if all(char in _KO_SINO_DIGITS for char in text):
        return int("".join(str(_KO_SINO_DIGITS[char]) for char in text))
    total = 0  # completed 만/억 groups
    group = 0  # below the next 만/억
    digit: int | None = None
    for char in text:
        if char in _KO_SINO_DIGITS:
            if digit is not None:
                return None
            digit = _KO_SINO_DIGITS[char]
        elif char in _KO_SINO_SMALL_UNITS:
            group += (1 if digit is None else digit) * _KO_SINO_SMALL_UNITS[char]
            digit = None
        elif char in _KO_SINO_LARGE_UNITS:
            group += digit or 0
            total += (group or 1) * _KO_SINO_LARGE_UNITS[char]
            group, digit = 0, None
        else:
            return None
    return total + group + (digit or 0)


def _korean_digit_string(tokens: list[str]) -> str | None:
    text = "".join(tokens)
    if text.isdecimal():
        return text
    if all(char in _KO_SINO_DIGITS or char.isdecimal() for char in text):
        return "".join(char if char.isdecimal() else str(_KO_SINO_DIGITS[char]) for char in text)
    return None


def _korean_words(n: int) -> str:
    if 0 < n < 100:
        tens, unit = n - n % 10, n % 10
        if unit == 0:
            return _KO_NATIVE_ATTRIBUTIVE.get(n) or _KO_NATIVE_TENS_WORDS[tens]
        unit_word = _KO_NATIVE_ATTRIBUTIVE.get(unit) or _KO_NATIVE_UNIT_WORDS[unit]
        return f"{_KO_NATIVE_TENS_WORDS[tens]}{unit_word}" if tens else unit_word
    return _korean_sino_words(n)


def _korean_sino_words(n: int) -> str:
    if n == 0:
        return "영"
    digit_words = {value: char for char, value in _KO_SINO_DIGITS.items() if char not in "공륙"}
    parts: list[str] = []
    for large_char, large in sorted(_KO_SINO_LARGE_UNITS.items(), key=lambda item: -item[1]):
        if n >= large:
            parts.append(_korean_sino_words(n // large) + large_char)
            n %= large
    for small_char, small in sorted(_KO_SINO_SMALL_UNITS.items(), key=lambda item: -item[1]):
        if n >= small:
            digit = n // small
            parts.append(("" if digit == 1 else digit_words[digit]) + small_char)
            n %= small
    if n:
        parts.append(digit_words[n])
    return "".join(parts)
