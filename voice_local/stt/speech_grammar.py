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
    invocation_name: str
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


LAUNCH_INTENT = "LaunchRequest"  # "open corner shop": Alexa sends a LaunchRequest, no intent
# Share of each template's language-model weight spent on its addressed forms ("alexa ask
# corner shop to …", "… please"): enough to put the words in context, not to favour them.
ADDRESSED_SHARE = 0.2


@dataclass(frozen=True)
class Addressing:
    """The words around a command that speak to the assistant rather than the shop.

    The intent matcher strips them ("alexa ask corner shop to add milk please" → "add milk"),
    so a recognizer limited to the samples must be able to hear them too.
    """

    invocation: str = ""  # the model's invocationName: "corner shop"
    wake_words: tuple[str, ...] = ()
    launch_verbs: tuple[str, ...] = ()
    connectors: tuple[str, ...] = ()  # "ask corner shop *to* add milk"
    fillers: tuple[str, ...] = ()

    def launch_phrases(self) -> tuple[str, ...]:
        if not self.invocation:
            return ()
        return tuple(f"{verb} {self.invocation}" for verb in self.launch_verbs)


@dataclass(frozen=True)
class SpeechGrammar:
    locale: str
    templates: tuple[SampleTemplate, ...]
    slots: tuple[SlotWords, ...]
    skipped_samples: tuple[str, ...] = ()  # samples using slot types we cannot spell out
    # Optional parts around every command, in order: each may be left out or said once with
    # one of its phrases. E.g. ((wake words), (launch phrases), (fillers)) before.
    before: tuple[tuple[str, ...], ...] = ()
    after: tuple[tuple[str, ...], ...] = ()

    def slot_words(self, slot_type: str) -> SlotWords:
        return next(words for words in self.slots if words.slot_type == slot_type)

    def words(self) -> frozenset[str]:
        found = {token for t in self.templates for token in t.tokens if isinstance(token, str)}
        found.update(word for s in self.slots for phrase in s.phrases for word in phrase.split())
        found.update(
            word for part in (*self.before, *self.after) for phrase in part
            for word in phrase.split()
        )
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
        def keep(parts: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
            kept = (tuple(p for p in part if sayable(p.split())) for part in parts)
            return tuple(part for part in kept if part)

        grammar = replace(
            self, templates=templates, slots=tuple(s for s in slots if s.phrases),
            before=keep(self.before), after=keep(self.after),
        )
        return grammar, dropped

    def accepts(self, sentence: str) -> bool:
        """Whether some template, with some slot values, says exactly these words (with or
        without the optional words before and after it)."""
        words = tuple(sentence.split())
        for rest in _optional_heads(words, self.before):
            for middle in _optional_tails(rest, self.after):
                if any(self._matches(self._unrolled(t.tokens), middle) for t in self.templates):
                    return True
        return False

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
        """The expansions of phrases(), each template's weights summing to one; a share of
        each goes to the same words with optional parts before or after them."""
        share = ADDRESSED_SHARE / 2
        n = 0
        for template in self.templates:
            refs = [t for t in template.tokens if isinstance(t, SlotRef)]
            rounds = max((len(self.slot_words(r.slot_type).phrases) for r in refs), default=1)
            for i in range(rounds):
                phrase, weight = " ".join(self._fill(t, i) for t in template.tokens), 1 / rounds
                n += 1
                head, tail = _pick(self.before, n), _pick(self.after, n)
                if head:
                    yield f"{head} {phrase}", share * weight
                if tail:
                    yield f"{phrase} {tail}", share * weight
                yield phrase, weight * (1 - share * (bool(head) + bool(tail)))

    def _fill(self, token: Token, i: int) -> str:
        if isinstance(token, str):
            return token
        words = self.slot_words(token.slot_type)
        n = len(words.phrases)
        return " ".join(words.phrases[(i + k * 3) % n] for k in range(words.repeat))


def _pick(parts: tuple[tuple[str, ...], ...], n: int) -> str:
    """The n-th of a cycle through the optional parts: which are said varies, and with what."""
    if not parts:
        return ""
    mask = n % ((1 << len(parts)) - 1) + 1  # every non-empty combination in turn
    return " ".join(
        part[(n + 3 * k) % len(part)] for k, part in enumerate(parts) if mask >> k & 1
    )


def _optional_heads(
    words: tuple[str, ...], parts: tuple[tuple[str, ...], ...]
) -> Iterator[tuple[str, ...]]:
    """What is left of `words` after each way of saying (or skipping) the optional parts."""
    if not parts:
        yield words
        return
    yield from _optional_heads(words, parts[1:])
    for phrase in parts[0]:
        spoken = tuple(phrase.split())
        if words[: len(spoken)] == spoken:
            yield from _optional_heads(words[len(spoken) :], parts[1:])


def _optional_tails(
    words: tuple[str, ...], parts: tuple[tuple[str, ...], ...]
) -> Iterator[tuple[str, ...]]:
    reversed_parts = tuple(tuple(" ".join(p.split()[::-1]) for p in part) for part in parts[::-1])
    for rest in _optional_heads(words[::-1], reversed_parts):
        yield rest[::-1]


_SLOT_PATTERN = re.compile(r"\{(\w+)\}")


def normalize_words(text: str) -> str:
    """Lower-case words without punctuation, as recognizers spell them."""
    text = text.lower().replace("_", " ")
    return " ".join(re.sub(r"[^\w' ]", " ", text).split())


def build_speech_grammar(
    model: InteractionModelLike, builtin_phrases: Mapping[str, Sequence[str]] | None = None,
    addressing: Addressing | None = None,
    *,
    max_samples: Mapping[str, int] | None = None,
) -> SpeechGrammar:
    """Templates from every sample; intents without samples (Alexa built-ins such as
    AMAZON.YesIntent, whose phrases Amazon supplies) take theirs from `builtin_phrases`.

    With `addressing`, the launch phrases ("open corner shop") become templates of their own
    and wake words, "ask corner shop to" and fillers may come before any command, fillers
    after it."""
    builtin_phrases = builtin_phrases or {}
    custom = {slot_type.name: slot_type for slot_type in model.types}
    slot_words: dict[str, SlotWords] = {}
    templates: list[SampleTemplate] = []
    skipped: list[str] = []
    for intent in model.intents:
        slot_types = {slot.name: slot.type for slot in intent.slots}
        # `max_samples` (per intent, "" for the rest): the first samples of each intent are its
        # core wordings; pocketsphinx's search slows with the grammar's size (twice as slow with
        # every sample of today's model), so it takes these and the matcher all of them.
        cap = None if max_samples is None else max_samples.get(intent.name, max_samples[""])
        for sample in (intent.samples or builtin_phrases.get(intent.name, ()))[:cap]:
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
            if usable and tokens and _one_list_each(tokens):
                templates.append(SampleTemplate(intent.name, tuple(tokens)))
            elif not usable:
                skipped.append(f"{intent.name}: {sample}")
    before: tuple[tuple[str, ...], ...] = ()
    after: tuple[tuple[str, ...], ...] = ()
    if addressing is not None:
        launch = tuple(normalize_words(p) for p in addressing.launch_phrases())
        templates += [SampleTemplate(LAUNCH_INTENT, tuple(p.split())) for p in launch]
        connected = tuple(f"{p} {c}" for p in launch for c in addressing.connectors)
        fillers = tuple(normalize_words(f) for f in addressing.fillers)
        parts = (
            tuple(normalize_words(w) for w in addressing.wake_words), launch + connected, fillers
        )
        before = tuple(tuple(dict.fromkeys(p for p in part if p)) for part in parts)
        after = (tuple(dict.fromkeys(f for f in fillers if f)),)
        before, after = tuple(p for p in before if p), tuple(p for p in after if p)
    return SpeechGrammar(
        locale=model.locale, templates=tuple(dict.fromkeys(templates)),
        slots=tuple(slot_words.values()), skipped_samples=tuple(skipped),
        before=before, after=after,
    )


def _one_list_each(tokens: list[Token]) -> bool:
    """Samples naming two or three items ("{product} and {secondProduct}") stay out of speech
    grammars: a recognizer copies the product list at each reference, and with them the
    pocketsphinx grammar decoded three times slower than real time. The matcher keeps them."""
    lists = [token.slot_type for token in tokens if isinstance(token, SlotRef)]
    return len(lists) == len(set(lists))


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
