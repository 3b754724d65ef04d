"""Turning samples and transcripts into comparable token lists.

Both sides go through the same steps, so whatever we drop or rewrite (case, punctuation,
fillers) can never make a sample and a transcript differ.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

_THOUSANDS_COMMA = re.compile(r"(?<=\d),(?=\d{3}\b)")
_NOT_WORD = re.compile(r"[^\w']+")
_LETTER_DIGIT_BOUNDARY = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


def tokenize(text: str) -> list[str]:
    """Lower-case words; punctuation and hyphens split words; 'a417' and '3개' become two
    tokens because recognisers glue letters, digits and Korean counters."""
    text = text.lower().replace("\u2019", "'")
    text = _THOUSANDS_COMMA.sub("", text)
    text = _NOT_WORD.sub(" ", text)
    text = _LETTER_DIGIT_BOUNDARY.sub(" ", text)
    return [token.strip("'") for token in text.split() if token.strip("'")]


def remove_phrases(tokens: Sequence[str], phrases: Sequence[Sequence[str]]) -> list[str]:
    """Drop every occurrence of any of `phrases` (token sequences), longest phrases first."""
    ordered = sorted((tuple(phrase) for phrase in phrases if phrase), key=len, reverse=True)
    kept: list[str] = []
    index = 0
    while index < len(tokens):
        for phrase in ordered:
            if tuple(tokens[index: index + len(phrase)]) == phrase:
                index += len(phrase)
                break
        else:
            kept.append(tokens[index])
            index += 1
    return kept


def strip_addressing(
    tokens: Sequence[str],
    *,
    wake_words: Sequence[str],
    launch_verbs: Sequence[str],
    invocation: Sequence[str],
) -> list[str]:
    """'alexa ask corner shop to add milk' -> 'add milk': the words that reach the shop."""
    rest = list(tokens)
    while rest and rest[0] in wake_words:
        rest = rest[1:]
    if rest and rest[0] in launch_verbs and invocation:
        after_verb = rest[1:]
        if after_verb[: len(invocation)] == list(invocation):
            rest = after_verb[len(invocation):]
            if rest and rest[0] in ("to", "and", "for", "about", "if", "whether"):
                rest = rest[1:]
    return rest


def split_suffixes(
    tokens: Sequence[str], suffixes: Sequence[str], is_known: Callable[[str], bool]
) -> list[str]:
    """'바나나를' -> '바나나', '를' when '바나나' is a known word and '바나나를' is not.

    Only known stems are split, so a word that merely ends like a particle ('오이', cucumber)
    stays whole.
    """
    if not suffixes:
        return list(tokens)
    ordered = sorted(suffixes, key=len, reverse=True)
    result: list[str] = []
    for token in tokens:
        if is_known(token):
            result.append(token)
            continue
        for suffix in ordered:
            stem = token[: -len(suffix)]
            if token.endswith(suffix) and stem and is_known(stem):
                result.extend((stem, suffix))
                break
        else:
            result.append(token)
    return result
