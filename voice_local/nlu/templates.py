"""Alexa samples compiled into token templates: literal words with typed slot holes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from voice_local.nlu.interaction_model import Intent, InteractionModel
from voice_local.nlu.locales import LocaleTable
from voice_local.nlu.text import remove_phrases, tokenize

_SLOT_REFERENCE = re.compile(r"\{([^{}]+)\}")

# Alexa adds these to every skill whether or not the model lists them.
REQUIRED_BUILTIN_INTENTS = (
    "AMAZON.CancelIntent", "AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.NavigateHomeIntent",
)


@dataclass(frozen=True)
class Hole:
    slot: str
    type: str


@dataclass(frozen=True)
class Template:
    intent: str
    sample: str
    elements: tuple[str | Hole, ...]

    @property
    def literals(self) -> tuple[str, ...]:
        return tuple(element for element in self.elements if isinstance(element, str))

    @property
    def holes(self) -> tuple[Hole, ...]:
        return tuple(element for element in self.elements if isinstance(element, Hole))


def compile_templates(
    model: InteractionModel, table: LocaleTable, *, deduplicate: bool = True
) -> tuple[Template, ...]:
    """Every sample of every intent, plus Amazon's phrases for the built-in intents.

    With `deduplicate`, samples that differ only in fillers ("please cancel my order") are
    kept once, which is all matching needs; phrase lists for grammars keep every wording.
    """
    fillers = [tokenize(filler) for filler in table.fillers]
    templates: list[Template] = []
    declared = [intent.name for intent in model.intents]
    for intent in model.intents:
        templates.extend(
            _compile(intent, sample, table, fillers) for sample in _unique(intent.samples)
        )
    # The model is the source of truth: a phrase it gives to any intent ("됐어" for Cancel)
    # is not also added as Amazon's phrase for another one.
    taken = {template.elements for template in templates}
    for name in dict.fromkeys((*declared, *REQUIRED_BUILTIN_INTENTS)):
        intent = model.intent(name) if name in declared else Intent(name, (), ())
        for phrase in table.builtin_phrases.get(name, ()):
            template = _compile(intent, phrase, table, fillers)
            if template.elements not in taken:
                templates.append(template)
    if not deduplicate:
        return tuple(templates)
    unique: dict[tuple[str, tuple[str | Hole, ...]], Template] = {}
    for template in templates:
        if template.elements:
            unique.setdefault((template.intent, template.elements), template)
    return tuple(unique.values())


def _unique(samples: tuple[str, ...]) -> list[str]:
    return list(dict.fromkeys(samples))


def _compile(
    intent: Intent, sample: str, table: LocaleTable, fillers: list[list[str]]
) -> Template:
    slot_types = {slot.name: slot.type for slot in intent.slots}
    elements: list[str | Hole] = []
    position = 0
    for reference in _SLOT_REFERENCE.finditer(sample):
        elements.extend(_literal_words(sample[position: reference.start()], table, fillers))
        elements.append(Hole(slot=reference.group(1), type=slot_types[reference.group(1)]))
        position = reference.end()
    elements.extend(_literal_words(sample[position:], table, fillers))
    if not elements:  # a sample made only of fillers ("please") still means something
        elements = [table.aliases.get(token, token) for token in tokenize(sample)]
    return Template(intent=intent.name, sample=sample, elements=tuple(elements))


def _literal_words(text: str, table: LocaleTable, fillers: list[list[str]]) -> list[str]:
    return [table.aliases.get(token, token) for token in remove_phrases(tokenize(text), fillers)]
