"""Concrete phrases from the samples: speech-recognition grammars and labelled test sets."""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from voice_local.nlu.interaction_model import InteractionModel
from voice_local.nlu.locales import locale_table
from voice_local.nlu.numbers import number_vocabulary, number_words, spoken_digits
from voice_local.nlu.slot_values import FOUR_DIGIT_TYPE, NUMBER_TYPE
from voice_local.nlu.templates import Hole, compile_templates
from voice_local.nlu.text import tokenize

_NUMBER_TYPES = (NUMBER_TYPE, FOUR_DIGIT_TYPE)


@dataclass(frozen=True)
class ExpandedPhrase:
    text: str
    intent: str
    slots: Mapping[str, str] = field(hash=False)  # slot -> canonical value (id or number)


@dataclass(frozen=True)
class _Filler:
    spoken: str
    canonical: str


def expand_samples(
    model: InteractionModel,
    *,
    max_per_sample: int = 20,
    seed: int = 0,
    numbers: range = range(1, 13),
) -> list[ExpandedPhrase]:
    """Every sample with its slots filled by real values: all combinations when there are at
    most `max_per_sample`, otherwise that many drawn reproducibly with `seed`. Built-in
    intents contribute Amazon's phrases for them. Samples with a slot whose values Amazon
    keeps (AMAZON.SearchQuery and the like) are left out: there is nothing to fill them with."""
    rng = random.Random(seed)
    phrases: list[ExpandedPhrase] = []
    for template in compile_templates(model, locale_table(model.locale), deduplicate=False):
        holes = list(template.holes)
        choices = [_fillers(model, hole.type, numbers, rng) for hole in holes]
        if any(not options for options in choices):
            continue
        for combination in _combinations(choices, max_per_sample, rng):
            filled = dict(zip(holes, combination, strict=True))
            text = _render(template.sample, filled)
            phrases.append(
                ExpandedPhrase(
                    text=text,
                    intent=template.intent,
                    slots=MappingProxyType(
                        {hole.slot: filler.canonical for hole, filler in filled.items()}
                    ),
                )
            )
    return phrases


def vocabulary(model: InteractionModel) -> set[str]:
    """Every word a user of this model may say: sample words, slot values and synonyms,
    Amazon's built-in intent phrases, and number words when a number slot is used."""
    table = locale_table(model.locale)
    words: set[str] = set()
    for template in compile_templates(model, table, deduplicate=False):
        words.update(tokenize(template.sample))
    for slot_type in model.types:
        for value in slot_type.values:
            for form in (value.name, *value.synonyms):
                words.update(tokenize(form))
    used_types = {slot.type for intent in model.intents for slot in intent.slots}
    if not used_types.isdisjoint(_NUMBER_TYPES):
        words.update(number_vocabulary(model.locale))
    return words


def _fillers(
    model: InteractionModel, type_name: str, numbers: range, rng: random.Random
) -> list[_Filler]:
    slot_type = model.slot_type(type_name)
    if slot_type is not None and slot_type.values:
        return [
            _Filler(spoken=form, canonical=value.id or value.name)
            for value in slot_type.values
            for form in (value.name, *value.synonyms)
        ]
    if type_name == NUMBER_TYPE:
        return [_Filler(number_words(n, model.locale), str(n)) for n in numbers]
    if type_name == FOUR_DIGIT_TYPE:
        codes = [f"{rng.randrange(10_000):04d}" for _ in range(10)]
        return [_Filler(spoken_digits(code, model.locale), code) for code in codes]
    return []


def _combinations(
    choices: list[list[_Filler]], limit: int, rng: random.Random
) -> list[tuple[_Filler, ...]]:
    total = 1
    for options in choices:
        total *= len(options)
    if total <= limit:
        return list(itertools.product(*choices))
    picked: dict[tuple[int, ...], None] = {}
    while len(picked) < limit:
        picked.setdefault(tuple(rng.randrange(len(options)) for options in choices), None)
    return [
        tuple(options[index] for options, index in zip(choices, indexes, strict=True))
        for indexes in picked
    ]


def _render(sample: str, filled: dict[Hole, _Filler]) -> str:
    text = sample
    for hole, filler in filled.items():
        text = text.replace("{" + hole.slot + "}", filler.spoken)
    return " ".join(text.split())
