"""Read an Alexa interaction-model JSON file into frozen values.

The file is the single source of truth for both the Alexa skill and the kiosk, so the loader
accepts any valid model (not only ours) and rejects broken ones with a message naming the
file and the offending part, instead of failing later inside the matcher.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_LOCALE_IN_NAME = re.compile(r"([a-z]{2})[-_]([A-Z]{2})")
_SLOT_REFERENCE = re.compile(r"\{([^{}]+)\}")


class InteractionModelError(ValueError):
    """The interaction-model file is unreadable or not a valid Alexa model."""


@dataclass(frozen=True)
class SlotValue:
    id: str | None
    name: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class SlotType:
    name: str
    values: tuple[SlotValue, ...]


@dataclass(frozen=True)
class Slot:
    name: str
    type: str


@dataclass(frozen=True)
class Intent:
    name: str
    slots: tuple[Slot, ...]
    samples: tuple[str, ...]

    def slot(self, name: str) -> Slot:
        for slot in self.slots:
            if slot.name == name:
                return slot
        raise KeyError(f"intent {self.name} has no slot {name!r}")


@dataclass(frozen=True)
class InteractionModel:
    locale: str
    invocation_name: str
    intents: tuple[Intent, ...]
    types: tuple[SlotType, ...]

    def intent(self, name: str) -> Intent:
        for intent in self.intents:
            if intent.name == name:
                return intent
        raise KeyError(f"the {self.locale} model has no intent {name!r}")

    def slot_type(self, name: str) -> SlotType | None:
        """The custom (or extended built-in) type; None for built-ins like AMAZON.NUMBER."""
        for slot_type in self.types:
            if slot_type.name == name:
                return slot_type
        return None


def locale_from_file_name(path: Path) -> str | None:
    """'en-US.json' -> 'en-US'; 'shop_ko_KR.json' -> 'ko-KR'."""
    found = _LOCALE_IN_NAME.search(path.name)
    return f"{found.group(1)}-{found.group(2)}" if found else None


def load_interaction_model(path: Path, locale: str | None = None) -> InteractionModel:
    path = Path(path)
    resolved_locale = locale or locale_from_file_name(path)
    if resolved_locale is None:
        raise InteractionModelError(
            f"{path}: cannot tell the locale from the file name; name it like en-US.json "
            "or pass the locale explicitly"
        )
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InteractionModelError(f"{path}: cannot read the file: {error}") from error
    except json.JSONDecodeError as error:
        raise InteractionModelError(
            f"{path}: not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}"
        ) from error
    return parse_interaction_model(document, resolved_locale, source=str(path))


def parse_interaction_model(document: Any, locale: str, *, source: str) -> InteractionModel:
    reader = _Reader(source)
    language_model = reader.mapping(
        reader.mapping(document, "top level").get("interactionModel"), "interactionModel"
    ).get("languageModel")
    language_model = reader.mapping(language_model, "interactionModel.languageModel")
    invocation_name = reader.text(
        language_model.get("invocationName"), "languageModel.invocationName"
    )
    types = tuple(
        _parse_type(reader, raw, f"languageModel.types[{index}]")
        for index, raw in enumerate(reader.sequence(language_model.get("types", []), "types"))
    )
    intents = tuple(
        _parse_intent(reader, raw, f"languageModel.intents[{index}]")
        for index, raw in enumerate(reader.sequence(language_model.get("intents"), "intents"))
    )
    _check_unique(reader, [intent.name for intent in intents], "intent")
    _check_unique(reader, [slot_type.name for slot_type in types], "slot type")
    defined_types = {slot_type.name for slot_type in types}
    for intent in intents:
        for slot in intent.slots:
            if not slot.type.startswith("AMAZON.") and slot.type not in defined_types:
                reader.fail(
                    f"intent {intent.name}, slot {slot.name}: type {slot.type!r} is not "
                    "defined under languageModel.types"
                )
    return InteractionModel(
        locale=locale, invocation_name=invocation_name, intents=intents, types=types
    )


def _parse_intent(reader: _Reader, raw: Any, where: str) -> Intent:
    entry = reader.mapping(raw, where)
    name = reader.text(entry.get("name"), f"{where}.name")
    slots = tuple(
        Slot(
            name=reader.text(reader.mapping(slot, f"{name}.slots")
                             .get("name"), f"{name}.slots[{index}].name"),
            type=reader.text(slot.get("type"), f"{name}.slots[{index}].type"),
        )
        for index, slot in enumerate(reader.sequence(entry.get("slots", []), f"{name}.slots"))
    )
    _check_unique(reader, [slot.name for slot in slots], f"slot in intent {name}")
    samples = tuple(
        reader.text(sample, f"{name}.samples[{index}]")
        for index, sample in enumerate(reader.sequence(entry.get("samples", []), f"{name}.samples"))
    )
    slot_names = {slot.name for slot in slots}
    for sample in samples:
        for referenced in _SLOT_REFERENCE.findall(sample):
            if referenced not in slot_names:
                reader.fail(
                    f"intent {name}: sample {sample!r} uses undeclared slot {{{referenced}}}"
                )
    return Intent(name=name, slots=slots, samples=samples)


def _parse_type(reader: _Reader, raw: Any, where: str) -> SlotType:
    entry = reader.mapping(raw, where)
    name = reader.text(entry.get("name"), f"{where}.name")
    values = []
    for index, raw_value in enumerate(reader.sequence(entry.get("values", []), f"{name}.values")):
        value_where = f"type {name}, values[{index}]"
        value = reader.mapping(raw_value, value_where)
        spoken = reader.mapping(value.get("name"), f"{value_where}.name")
        value_id = value.get("id")
        if value_id is not None and not isinstance(value_id, str):
            reader.fail(f"{value_where}.id must be a string")
        values.append(
            SlotValue(
                id=value_id,
                name=reader.text(spoken.get("value"), f"{value_where}.name.value"),
                synonyms=tuple(
                    reader.text(synonym, f"{value_where}.name.synonyms")
                    for synonym in reader.sequence(spoken.get("synonyms", []), value_where)
                ),
            )
        )
    return SlotType(name=name, values=tuple(values))


def _check_unique(reader: _Reader, names: list[str], what: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            reader.fail(f"{what} {name!r} is defined twice")
        seen.add(name)


class _Reader:
    """Type checks on untrusted JSON that name the file and the place on failure."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, message: str) -> None:
        raise InteractionModelError(f"{self.source}: {message}")

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(f"{where} must be an object, found {_describe(value)}")
        return value

    def sequence(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            self.fail(f"{where} must be a list, found {_describe(value)}")
        return value

    def text(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{where} must be a non-empty string, found {_describe(value)}")
        return value


def _describe(value: Any) -> str:
    return "nothing" if value is None else f"{type(value).__name__} {value!r:.40}"
