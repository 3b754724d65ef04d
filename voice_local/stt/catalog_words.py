"""The free transcript with its misheard catalog words put right, the words around them kept.

Whisper decoding freely gets a customer's own wording right and the shop's words wrong ("at a
large light" for "add a large latte", "add free lemons"). Snapping the whole sentence to the
grammar's templates forces phrasing the samples never list into a wrong sentence; here only the
spans that sound like a product, a size, a number or a category are replaced, by the nearest
catalog phrase, and the acoustic model then scores the rewrites against the free transcript.

"Sound like" is spelling and a crude sound key together: tiny.en writes what it heard in common
words ("light" for "latte", "free" for "three"), which share consonants more than letters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from voice_local.stt.speech_grammar import SpeechGrammar

# Slot types whose phrases are worth hearing in free speech: articles ("a", "an"), order
# letters and code digits are left to the grammar, as they would match almost any short word.
REWRITTEN_TYPES = ("PRODUCT", "UNIT", "CATEGORY", "AMAZON.NUMBER")
MAX_SPAN_WORDS = 3
MIN_SIMILARITY = 0.65  # spelling, or spelling and sound; below it a span is left as heard
MAX_REWRITES = 4  # sentences returned, at ~30 ms of scoring each


@dataclass(frozen=True)
class Replacement:
    start: int  # heard words [start, end) become `phrase`
    end: int
    phrase: str
    similarity: float  # 0..1


def sound_key(text: str) -> str:
    """Consonant skeleton: letters that sound alike share a symbol, vowels after the first
    letter go ("latte" and "light" → "lt", "three" and "free" → "fr")."""
    word = text.lower()
    for pattern, sound in _SOUNDS:
        word = pattern.sub(sound, word)
    key = word[:1] + re.sub(r"[aeiouy]", "", word[1:])
    return re.sub(r"(.)\1+", r"\1", key)


_SOUNDS = tuple((re.compile(p), s) for p, s in (
    (r"[^a-z ]", ""), (r"gh", ""), (r"^kn", "n"), (r"^wr", "r"), (r"ph|th|v", "f"),
    (r"ck|ch|q|c(?=[^eiy]|$)|g", "k"), (r"c|z|sh|x", "s"), (r"d", "t"), (r"b", "p"),
    (r"(?<=.)[wh]", ""),
))


class CatalogWords:
    def __init__(self, grammar: SpeechGrammar) -> None:
        self._phrases: list[str] = []
        for slot in grammar.slots:
            if slot.slot_type in REWRITTEN_TYPES:
                self._phrases.extend(slot.phrases)
        self._phrases = list(dict.fromkeys(self._phrases))
        self._known = frozenset(self._phrases)
        # Words the templates say around the slots ("to", "my", "much", "where"): heard as
        # such, they are the customer's own words, not a misheard product.
        self._template_words = frozenset(
            token for t in grammar.templates for token in t.tokens if isinstance(token, str)
        )
        self._spelled = [p.replace(" ", "") for p in self._phrases]
        self._sounds = [sound_key(p.replace(" ", "")) for p in self._phrases]

    def replacements(self, heard: str) -> list[Replacement]:
        """For each heard span that is not catalog words heard right, the phrases nearest it
        by spelling and by sound, when near enough; the best first."""
        words = heard.split()
        right: set[int] = set()  # words inside a catalog phrase heard as it is
        for start in range(len(words)):
            for end in range(start + 1, min(len(words), start + MAX_SPAN_WORDS) + 1):
                if " ".join(words[start:end]) in self._known:
                    right.update(range(start, end))
        found: list[Replacement] = []
        for start in range(len(words)):
            for end in range(start + 1, min(len(words), start + MAX_SPAN_WORDS) + 1):
                span = words[start:end]
                if not right.isdisjoint(range(start, end)) or not (
                    self._template_words.isdisjoint(span)
                ):
                    continue
                for phrase, similarity in self._nearest(" ".join(span)):
                    if similarity >= MIN_SIMILARITY:
                        found.append(Replacement(start, end, phrase, similarity))
        return sorted(found, key=lambda r: (-r.similarity, r.start))

    def _nearest(self, span: str) -> list[tuple[str, float]]:
        """The nearest phrase by spelling, and the nearest by sound (its sound and spelling
        similarity averaged: the sound key alone is coarse)."""
        spelled = span.replace(" ", "")
        options: dict[str, float] = {}
        by_spelling = process.extractOne(spelled, self._spelled, scorer=fuzz.ratio)
        if by_spelling is not None:
            options[self._phrases[by_spelling[2]]] = by_spelling[1] / 100.0
        key = sound_key(spelled)
        if len(key) >= 2:
            by_sound = process.extractOne(key, self._sounds, scorer=fuzz.ratio)
            if by_sound is not None:
                phrase = self._phrases[by_sound[2]]
                spelling = fuzz.ratio(spelled, phrase.replace(" ", "")) / 100.0
                similarity = (by_sound[1] / 100.0 + spelling) / 2
                options[phrase] = max(options.get(phrase, 0.0), similarity)
        return [(p, v) for p, v in options.items() if p.replace(" ", "") != spelled]

    def rewrites(self, heard: str) -> list[tuple[str, float]]:
        """Sentences with catalog words put in: all the best non-overlapping replacements at
        once, then each of the best alone; with the cost (1 - similarity) summed over them."""
        words = heard.split()
        replacements = self.replacements(heard)
        chosen: list[Replacement] = []
        taken: set[int] = set()
        for r in replacements:
            if taken.isdisjoint(range(r.start, r.end)):
                chosen.append(r)
                taken.update(range(r.start, r.end))
        out: dict[str, float] = {}
        if chosen:
            out[_apply(words, chosen)] = sum(1.0 - r.similarity for r in chosen)
        for r in replacements:
            if len(out) >= MAX_REWRITES:
                break
            out.setdefault(_apply(words, [r]), 1.0 - r.similarity)
        return list(out.items())


def _apply(words: list[str], replacements: list[Replacement]) -> str:
    out = list(words)
    for r in sorted(replacements, key=lambda r: r.start, reverse=True):
        out[r.start:r.end] = r.phrase.split()
    return " ".join(out)
