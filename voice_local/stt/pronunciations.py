"""Pronunciations for grammar words the CMU dictionary lacks, where they follow safely.

Product names pluralize ("lattes") and compound ("sourdough", "cornflakes") freely; a missing
word makes pocketsphinx drop every phrase containing it. Only two derivations are tried, both
built from dictionary entries, so a guess is never a spelling read letter by letter.
"""

from __future__ import annotations

from collections.abc import Callable

Lookup = Callable[[str], str | None]  # word -> space-separated phones, or None

_VOICELESS = {"P", "T", "K", "F", "TH"}
_SIBILANT = {"S", "Z", "SH", "ZH", "CH", "JH"}
_MIN_PART = 3


def guess_pronunciation(word: str, lookup: Lookup) -> str | None:
    return _plural(word, lookup) or _compound(word, lookup)


def _plural(word: str, lookup: Lookup) -> str | None:
    if not word.endswith("s") or len(word) < 4:
        return None
    stem_word = word[:-2] if word.endswith("es") and lookup(word[:-2]) else word[:-1]
    stem = lookup(stem_word)
    if stem is None:
        return None
    last = stem.split()[-1]
    if last in _SIBILANT:
        return f"{stem} IH Z"
    return f"{stem} {'S' if last in _VOICELESS else 'Z'}"


def _compound(word: str, lookup: Lookup) -> str | None:
    for cut in range(_MIN_PART, len(word) - _MIN_PART + 1):
        head, tail = lookup(word[:cut]), lookup(word[cut:])
        if head and tail:
            return f"{head} {tail}"
    return None
