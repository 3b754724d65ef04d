"""The interaction model reduced to what a closed-grammar recognizer needs.

Samples stay templates ("add {quantity} {product}") with one word list per slot type, so the
pocketsphinx grammar stays small instead of multiplying every product by every quantity.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from voice_local.stt.builtin_slot_words import builtin_words


class _Slot(Protocol):
    name: str
    type: str


class _Intent(Protocol):
    name: str
    samples: Sequence[str]
    slots: Sequence[_Slot]


class _Value(Protocol):
    name: str
    synonyms: Sequence[str]


class _SlotType(Protocol):
    name: str
    values: Sequence[_Value]


class InteractionModelLike(Protocol):
    """The parts of voice_local.nlu's InteractionModel read here."""

    locale: str
    intents: Sequence[_Intent]
    types: Sequence[_SlotType]


@dataclass(frozen=True)
class SlotRef:
    slot_type: str


Token = str | SlotRef


@dataclass(frozen=True)
class SampleTemplate:
    intent: str
    tokens: tuple[Token, ...]


@dataclass(frozen=True)
class SlotWords:
    slot_type: str
    phrases: tuple[str, ...]
    repeat: int = 1


@dataclass(frozen=True)
class SpeechGrammar:
    locale: str
    templates: tuple[SampleTemplate, ...]
    slots: tuple[SlotWords, ...]
    skipped_samples: tuple[str, ...] = ()  # samples using slot types we cannot spell out

    def slot_words(self, slot_type: str) -> SlotWords:
        return next(words for words in self.slots if words.slot_type == slot_type)

    def words(self) -> frozenset[str]:
        found = {token for t in self.templates for token in t.tokens if isinstance(token, str)}
        found.update(word for s in self.slots for phrase in s.phrases for word in phrase.split())
        return frozenset(found)

    def restricted_to(self, known: Callable[[str], bool]) -> tuple[SpeechGrammar, frozenset[str]]:
        """Keep only templates and slot phrases made entirely of words the recognizer knows.

        Whole phrases go, not single words: "장바구니에 담아 줘" without its unknown word would
        leave "담아 줘", a template the speaker never said. Returns what was dropped, too.
        """
        dropped = frozenset(word for word in self.words() if not known(word))

        def sayable(words: Iterable[str]) -> bool:
            return not any(word in dropped for word in words)

        slots = tuple(
            replace(s, phrases=tuple(p for p in s.phrases if sayable(p.split())))
            for s in self.slots
        )
        usable_types = {s.slot_type for s in slots if s.phrases}
        templates = tuple(
            t for t in self.templates
            if sayable(tok for tok in t.tokens if isinstance(tok, str))
            and all(tok.slot_type in usable_types for tok in t.tokens if isinstance(tok, SlotRef))
        )
        grammar = replace(
            self, templates=templates, slots=tuple(s for s in slots if s.phrases)
        )
        return grammar, dropped

    def accepts(self, sentence: str) -> bool:
        """Whether some template, with some slot values, says exactly these words."""
        words = tuple(sentence.split())
        return any(self._matches(self._unrolled(t.tokens), words) for t in self.templates)

    def _unrolled(self, tokens: tuple[Token, ...]) -> tuple[Token, ...]:
        """A four-digit slot becomes four single-digit slots."""
        out: list[Token] = []
        for token in tokens:
            repeat = 1 if isinstance(token, str) else self.slot_words(token.slot_type).repeat
            out.extend([token] * repeat)
        return tuple(out)

    def _matches(self, tokens: tuple[Token, ...], words: tuple[str, ...]) -> bool:
        if not tokens:
            return not words
        head, rest = tokens[0], tokens[1:]
        if isinstance(head, str):
            return bool(words) and words[0] == head and self._matches(rest, words[1:])
        for phrase in self.slot_words(head.slot_type).phrases:
            spoken = tuple(phrase.split())
            if words[: len(spoken)] == spoken and self._matches(rest, words[len(spoken) :]):
                return True
        return False

    def phrases(self) -> Iterator[str]:
        """Each template once per value of its largest slot, other slots cycling alongside.

        Vosk compiles these into an n-gram, so every value appears in its template's context
        without listing every combination of values.
        """
        seen: set[str] = set()
        for phrase, _weight in self.weighted_phrases():
            if phrase not in seen:
                seen.add(phrase)
                yield phrase

    def weighted_phrases(self) -> Iterator[tuple[str, float]]:
        """The expansions of phrases(), each template's weights summing to one."""
        for template in self.templates:
            refs = [t for t in template.tokens if isinstance(t, SlotRef)]
            rounds = max((len(self.slot_words(r.slot_type).phrases) for r in refs), default=1)
            for i in range(rounds):
                yield " ".join(self._fill(token, i) for token in template.tokens), 1 / rounds

    def _fill(self, token: Token, i: int) -> str:
        if isinstance(token, str):
            return token
        words = self.slot_words(token.slot_type)
        n = len(words.phrases)
        return " ".join(words.phrases[(i + k * 3) % n] for k in range(words.repeat))


_SLOT_PATTERN = re.compile(r"\{(\w+)\}")


def normalize_words(text: str) -> str:
    """Lower-case words without punctuation, as recognizers spell them."""
    text = text.lower().replace("_", " ")
    return " ".join(re.sub(r"[^\w' ]", " ", text).split())


def build_speech_grammar(
    model: InteractionModelLike, builtin_phrases: Mapping[str, Sequence[str]] | None = None
) -> SpeechGrammar:
    """Templates from every sample; intents without samples (Alexa built-ins such as
    AMAZON.YesIntent, whose phrases Amazon supplies) take theirs from `builtin_phrases`."""
    builtin_phrases = builtin_phrases or {}
    custom = {slot_type.name: slot_type for slot_type in model.types}
    slot_words: dict[str, SlotWords] = {}
    templates: list[SampleTemplate] = []
    skipped: list[str] = []
    for intent in model.intents:
        slot_types = {slot.name: slot.type for slot in intent.slots}
        for sample in intent.samples or builtin_phrases.get(intent.name, ()):
            tokens: list[Token] = []
            usable = True
            for i, part in enumerate(_SLOT_PATTERN.split(sample)):
                if i % 2 == 0:
                    tokens.extend(normalize_words(part).split())
                    continue
                slot_type = slot_types.get(part)
                words = _slot_words(slot_type, custom, model.locale) if slot_type else None
                if words is None:
                    usable = False
                    break
                slot_words[words.slot_type] = words
                tokens.append(SlotRef(words.slot_type))
            if usable and tokens:
                templates.append(SampleTemplate(intent.name, tuple(tokens)))
            elif not usable:
                skipped.append(f"{intent.name}: {sample}")
    return SpeechGrammar(
        locale=model.locale, templates=tuple(dict.fromkeys(templates)),
        slots=tuple(slot_words.values()), skipped_samples=tuple(skipped),
    )


def _slot_words(slot_type: str, custom: dict[str, _SlotType], locale: str) -> SlotWords | None:
    if slot_type in custom:
        spoken = [normalize_words(v.name) for v in custom[slot_type].values]
        spoken += [normalize_words(s) for v in custom[slot_type].values for s in v.synonyms]
        phrases = tuple(dict.fromkeys(p for p in spoken if p))
        return SlotWords(slot_type, phrases) if phrases else None
    builtin = builtin_words(slot_type, locale)
    if builtin is None:
        return None
    return SlotWords(slot_type, builtin.phrases, builtin.repeat)
