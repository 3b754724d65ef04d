"""Whisper writes like a caption ("At 2 bananas.", "12-ounce", "(coughs)"); the grammar and the
matcher read spoken words ("two bananas", "twelve ounce"). This turns one into the other."""

from __future__ import annotations

import re

from voice_local.stt.speech_grammar import normalize_words

_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
# Sound-effect captions the model writes for non-speech: "(coughs)", "[music]", "*sigh*", "♪".
_ANNOTATION = re.compile(r"\([^)]*\)|\[[^\]]*\]|\*[^*]*\*|♪+")
_LETTER_DIGIT = re.compile(r"(?<=[a-zA-Z])(?=\d)|(?<=\d)(?=[a-zA-Z])")
_NUMBER = re.compile(r"\d+(?:,\d{3})*")


def number_words(digits: str) -> str:
    """"12" → "twelve", "105" → "one hundred five"; four digits and more are read one by one
    ("1234" → "one two three four"), as codes and order numbers are spoken at a counter."""
    digits = digits.replace(",", "")
    if len(digits) >= 4 or (len(digits) > 1 and digits.startswith("0")):
        return " ".join(_ONES[int(d)] for d in digits)
    value = int(digits)
    words: list[str] = []
    if value >= 100:
        words += [_ONES[value // 100], "hundred"]
        value %= 100
        if value == 0:
            return " ".join(words)
    if value < 20:
        words.append(_ONES[value])
    else:
        words.append(_TENS[value // 10])
        if value % 10:
            words.append(_ONES[value % 10])
    return " ".join(words)


def spoken_words(caption: str) -> str:
    """Lower-case spoken words of a Whisper caption; "" when it only names noises."""
    text = _ANNOTATION.sub(" ", caption)
    text = _LETTER_DIGIT.sub(" ", text).replace("&", " and ").replace("%", " percent ")
    text = re.sub(r"(?<=\w)-(?=\w)", " ", text)  # "12-ounce", "check-out"
    text = _NUMBER.sub(lambda m: f" {number_words(m.group())} ", text)
    return normalize_words(text)


def without_repeats(words: str) -> str:
    """A sentence the model said again and again ("place my order place my order place my")
    kept once: on short clips tiny.en loops until its length cap, the last word often cut. At
    least three words must come again (two, after a sentence of three or more), and a single
    word repeated is left alone: "one one one one" is a code."""
    tokens = words.split()
    for period in range(2, len(tokens) - 1):
        again = len(tokens) - period
        if again < (2 if period >= 3 else 3):
            break
        # The last word may be cut off mid-way ("add free lemons add free le").
        if all(tokens[i] == tokens[i - period] for i in range(period, len(tokens) - 1)) and (
            tokens[-period - 1].startswith(tokens[-1])
        ):
            return " ".join(tokens[:period])
    return words
