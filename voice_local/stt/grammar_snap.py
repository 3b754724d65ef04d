"""The grammar sentences nearest to what a free decoding heard, as candidates to score.

Whisper decoding freely gets the shape of a request right and the catalog words wrong ("a
macho", "cap tune o"). An edit-distance alignment of the heard words against every template
(slot holes taking whole slot phrases, words compared by spelling) finds the templates and slot
values the speaker most likely said; the acoustic model then scores those few sentences. Each
snap also names the heard span every slot took, so the free words can keep their own phrasing
with only the catalog words replaced.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from voice_local.stt.speech_grammar import SlotRef, SpeechGrammar, Token

MAX_SLOT_WORDS = 4  # longest heard span one slot phrase may take
_INSERT = 1.0  # a heard word the template does not have
_DELETE = 1.0  # a template word not heard
_ALTERNATIVES = 4  # slot phrases kept per heard span


@dataclass(frozen=True)
class SlotFill:
    slot_type: str
    start: int  # heard words [start, end) the slot took
    end: int
    phrases: tuple[str, ...]  # the nearest slot phrases, best first


@dataclass(frozen=True)
class Snap:
    layout: tuple[str | SlotFill, ...]  # template words and the slots as filled
    cost: float  # edit cost against the heard words (0: heard exactly)
    head: str = ""  # optional words around the command, kept as heard
    tail: str = ""

    @property
    def fills(self) -> tuple[SlotFill, ...]:
        return tuple(part for part in self.layout if isinstance(part, SlotFill))

    @property
    def sentence(self) -> str:
        """Accepted by the grammar: every slot said as its nearest phrase."""
        return self.render()

    def render(self, fill_index: int = -1, phrase: str = "") -> str:
        """The sentence, with slot `fill_index` said as `phrase` instead of its nearest."""
        parts: list[str] = []
        for part in self.layout:
            if isinstance(part, str):
                parts.append(part)
            else:
                parts.append(phrase if fill_index == self._index(part) else part.phrases[0])
        return " ".join(p for p in (self.head, *parts, self.tail) if p)

    def _index(self, fill: SlotFill) -> int:
        return next(i for i, f in enumerate(self.fills) if f is fill)


class GrammarSnapper:
    def __init__(self, grammar: SpeechGrammar) -> None:
        self.grammar = grammar
        self._templates = tuple(
            dict.fromkeys(_unrolled(grammar, t.tokens) for t in grammar.templates)
        )
        self._vocabulary = sorted(
            {tok for tokens in self._templates for tok in tokens if isinstance(tok, str)}
        )
        self._word_index = {word: i for i, word in enumerate(self._vocabulary)}
        self._phrases = {s.slot_type: s.phrases for s in grammar.slots}
        self._heads = tuple(tuple(p.split()) for part in grammar.before for p in part)
        self._tails = tuple(tuple(p.split()) for part in grammar.after for p in part)

    def snaps(self, heard: str, limit: int = 3) -> list[Snap]:
        """The `limit` best distinct grammar sentences for the heard words, cheapest first."""
        words = heard.split()
        if not words or not self._templates:
            return []
        head, words = _strip(words, self._heads, front=True)
        tail, words = _strip(words, self._tails, front=False)
        if not words:
            return []
        costs = 1.0 - process.cdist(
            self._vocabulary, words, scorer=fuzz.ratio, dtype=np.float32
        ) / 100.0
        spans = _SpanCosts(words, self._phrases)
        scored: dict[str, Snap] = {}
        for tokens in self._templates:
            snap = self._align(tokens, words, costs, spans, " ".join(head), " ".join(tail))
            if snap is not None and (
                snap.sentence not in scored or snap.cost < scored[snap.sentence].cost
            ):
                scored[snap.sentence] = snap
        return sorted(scored.values(), key=lambda s: s.cost)[:limit]

    def _align(
        self, tokens: tuple[Token, ...], words: Sequence[str], costs: np.ndarray,
        spans: _SpanCosts, head: str, tail: str,
    ) -> Snap | None:
        m, n = len(tokens), len(words)
        inf = float("inf")
        table = [[inf] * (n + 1) for _ in range(m + 1)]
        back: list[list[tuple[int, int, int] | None]] = [[None] * (n + 1) for _ in range(m + 1)]
        table[0][0] = 0.0
        for k in range(1, n + 1):
            table[0][k] = k * _INSERT
            back[0][k] = (0, k - 1, -2)
        for i, token in enumerate(tokens):
            row, nxt, nback = table[i], table[i + 1], back[i + 1]
            literal = self._word_index.get(token) if isinstance(token, str) else None
            for k in range(n + 1):
                here = row[k]
                if here == inf:
                    continue
                # A slot is never left out: that would put a value in the sentence unheard.
                if literal is not None and here + _DELETE < nxt[k]:
                    nxt[k], nback[k] = here + _DELETE, (i, k, -1)
                if k == n:
                    continue
                if literal is not None:
                    cost = here + float(costs[literal, k])
                    if cost < nxt[k + 1]:
                        nxt[k + 1], nback[k + 1] = cost, (i, k, -1)
                elif isinstance(token, SlotRef):
                    for end in range(k + 1, min(n, k + MAX_SLOT_WORDS) + 1):
                        cost = here + spans.cost(token.slot_type, k, end)
                        if cost < nxt[end]:
                            nxt[end], nback[end] = cost, (i, k, end)
            for k in range(1, n + 1):  # heard words the template lacks
                if nxt[k - 1] + _INSERT < nxt[k]:
                    nxt[k], nback[k] = nxt[k - 1] + _INSERT, (i + 1, k - 1, -2)
        if table[m][n] == inf:
            return None
        layout: list[str | SlotFill] = []
        i, k = m, n
        while i > 0 or k > 0:
            step = back[i][k]
            if step is None:
                return None
            pi, pk, end = step
            if end == -2:  # a heard word the template lacks: not in the sentence
                i, k = pi, pk
                continue
            token = tokens[pi]
            if isinstance(token, SlotRef):
                layout.append(
                    SlotFill(token.slot_type, pk, end, spans.best(token.slot_type, pk, end))
                )
            else:
                layout.append(token)
            i, k = pi, pk
        layout.reverse()
        return Snap(tuple(layout), table[m][n], head, tail)


class _SpanCosts:
    """Edit cost of a heard span taken by a slot: spelling distance to its nearest phrases."""

    def __init__(self, words: Sequence[str], phrases: dict[str, tuple[str, ...]]) -> None:
        self._words = words
        self._phrases = phrases
        # Spelled without spaces: the model splits a word it does not know ("cap tune o").
        self._keys = {t: [p.replace(" ", "") for p in ps] for t, ps in phrases.items()}
        self._cache: dict[tuple[str, int, int], tuple[float, tuple[str, ...]]] = {}

    def _lookup(self, slot_type: str, start: int, end: int) -> tuple[float, tuple[str, ...]]:
        key = (slot_type, start, end)
        if key not in self._cache:
            spoken = "".join(self._words[start:end])
            choices = self._phrases[slot_type]
            found = process.extract(
                spoken, self._keys[slot_type], scorer=fuzz.ratio, limit=_ALTERNATIVES
            )
            best = found[0][1] if found else 0.0
            # Distance per heard word, as literal words cost, plus half a word for each word
            # the phrase has and the span lacks (or the other way round).
            top = choices[found[0][2]] if found else ""
            extra = abs(len(top.split()) - (end - start)) * 0.5
            cost = (1.0 - best / 100.0) * (end - start) + extra
            self._cache[key] = (cost, tuple(choices[i] for _key, _score, i in found))
        return self._cache[key]

    def cost(self, slot_type: str, start: int, end: int) -> float:
        return self._lookup(slot_type, start, end)[0]

    def best(self, slot_type: str, start: int, end: int) -> tuple[str, ...]:
        return self._lookup(slot_type, start, end)[1]


def _unrolled(grammar: SpeechGrammar, tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    out: list[Token] = []
    for token in tokens:
        repeat = 1 if isinstance(token, str) else grammar.slot_words(token.slot_type).repeat
        out.extend([token] * repeat)
    return tuple(out)


def _strip(
    words: list[str], phrases: tuple[tuple[str, ...], ...], *, front: bool
) -> tuple[list[str], list[str]]:
    """Peel optional addressing words ("alexa", "please") heard exactly at one end."""
    peeled: list[str] = []
    changed = True
    while changed and words:
        changed = False
        for phrase in sorted(phrases, key=len, reverse=True):
            size = len(phrase)
            if size < len(words) and tuple(words[:size] if front else words[-size:]) == phrase:
                if front:
                    peeled, words = peeled + list(phrase), words[size:]
                else:
                    peeled, words = list(phrase) + peeled, words[:-size]
                changed = True
                break
    return peeled, words
