"""Finds the mistakes in an interaction model that Alexa would reject or silently misroute.

``check_model`` returns human-readable problems (an empty list means the model is fine). It never
raises on a malformed document: a missing or mistyped part is itself reported as a problem.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

MIN_CUSTOM_SAMPLES = 15
# A house limit: Alexa's own caps are looser, and utterances this long are never spoken anyway.
MAX_SAMPLE_CHARS = 200
MAX_SAMPLE_WORDS = 20

_SLOT_REF = re.compile(r"\{([^{}]*)\}")
_NAME = re.compile(r"[A-Za-z][A-Za-z_]*")
_BUILT_IN_INTENT = re.compile(r"AMAZON\.[A-Za-z]+")
_ALLOWED_SAMPLE_PUNCTUATION = frozenset(" '.-")
_DELEGATION = frozenset({"ALWAYS", "SKILL_RESPONSE"})
_PROMPT_TYPES = frozenset({"PlainText", "SSML"})
# Words Alexa reserves for waking the device or launching a skill.
_RESERVED_INVOCATION_WORDS = frozenset(
    {
        "alexa",
        "amazon",
        "echo",
        "computer",
        "skill",
        "app",
        "ask",
        "tell",
        "open",
        "launch",
        "start",
        "begin",
        "load",
        "run",
        "resume",
        "enable",
        "play",
        "use",
    }
)
_TWO_WORD_FILLERS = frozenset({"the", "a", "an", "for", "to", "of"})


def check_model(model_json: Any) -> list[str]:
    problems: list[str] = []
    language_model = _dig(model_json, "interactionModel", "languageModel")
    if not isinstance(language_model, dict):
        return ["the model has no interactionModel.languageModel object"]
    _check_invocation_name(language_model.get("invocationName"), problems)
    custom_types = _check_types(language_model.get("types", []), problems)
    intents = _check_intents(language_model.get("intents"), custom_types, problems)
    _check_unused_types(custom_types, intents, problems)
    prompt_ids = _check_prompts(_dig(model_json, "interactionModel", "prompts") or [], problems)
    dialog = _dig(model_json, "interactionModel", "dialog")
    if dialog is not None:
        _check_dialog(dialog, intents, prompt_ids, problems)
    return problems


# --- invocation name -------------------------------------------------------------------------


def _check_invocation_name(name: Any, problems: list[str]) -> None:
    if not isinstance(name, str):
        problems.append("invocationName is missing")
        return
    if not _is_invocation_shaped(name):
        problems.append(
            f"invocationName '{name}' must be two or more lowercase words (letters, spaces, "
            "apostrophes, periods only; spell numbers out)"
        )
        return
    words = name.split()
    reserved = sorted(set(words) & _RESERVED_INVOCATION_WORDS)
    if reserved:
        problems.append(f"invocationName '{name}' uses reserved words: {', '.join(reserved)}")
    if len(words) == 2 and set(words) & _TWO_WORD_FILLERS:
        problems.append(
            f"invocationName '{name}': a two-word name cannot contain 'the', 'a', 'an', "
            "'for', 'to' or 'of'"
        )


def _is_invocation_shaped(name: str) -> bool:
    """Two or more words of letters (any script; no capitals), apostrophes and periods."""
    words = name.split(" ")
    return (
        len(words) >= 2
        and name == name.lower()
        and all(w and w[0].isalpha() and all(c.isalpha() or c in "'." for c in w) for w in words)
    )


# --- slot types ------------------------------------------------------------------------------


def _check_types(types: Any, problems: list[str]) -> set[str]:
    if not isinstance(types, list):
        problems.append("languageModel.types must be a list")
        return set()
    names: set[str] = set()
    for name, slot_type in _named(types, "name", "slot type", problems):
        names.add(name)
        _check_type_values(name, slot_type.get("values"), problems)
    return names


def _named(
    items: list[Any], key: str, what: str, problems: list[str]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """The entries that have a `key`, reporting the ones without and names given twice."""
    seen: set[str] = set()
    for i, item in enumerate(items):
        name = item.get(key) if isinstance(item, dict) else None
        if not isinstance(name, str) or not name:
            problems.append(f"{what} #{i + 1} has no {key}")
            continue
        if name in seen:
            problems.append(f"{what} {name} is defined twice")
        seen.add(name)
        yield name, item


def _check_type_values(type_name: str, values: Any, problems: list[str]) -> None:
    if not isinstance(values, list) or not values:
        problems.append(f"slot type {type_name} has no values")
        return
    ids: Counter[str] = Counter()
    owner: dict[str, str] = {}
    for i, value in enumerate(values):
        spoken = _dig(value, "name", "value")
        if not isinstance(spoken, str) or not spoken.strip():
            problems.append(f"slot type {type_name}: value #{i + 1} has no name.value")
            continue
        value_id = value.get("id") if isinstance(value.get("id"), str) else spoken
        ids[value_id] += 1
        synonyms = _dig(value, "name", "synonyms") or []
        if not isinstance(synonyms, list) or not all(isinstance(s, str) for s in synonyms):
            problems.append(f"slot type {type_name}: synonyms of '{value_id}' must be strings")
            continue
        for form in (spoken, *synonyms):
            key = _key(form)
            other = owner.setdefault(key, value_id)
            if other != value_id:
                problems.append(
                    f"slot type {type_name}: '{form}' resolves to both '{other}' and '{value_id}'"
                )
    for value_id, count in sorted(ids.items()):
        if count > 1:
            problems.append(f"slot type {type_name}: value id '{value_id}' is used {count} times")


def _check_unused_types(
    custom_types: set[str], intents: dict[str, dict[str, str]], problems: list[str]
) -> None:
    used = {slot_type for slots in intents.values() for slot_type in slots.values()}
    for name in sorted(custom_types - used):
        problems.append(f"slot type {name} is not used by any intent slot")


# --- intents and samples ---------------------------------------------------------------------


def _check_intents(
    intents: Any, custom_types: set[str], problems: list[str]
) -> dict[str, dict[str, str]]:
    """Returns each intent's declared slots (name -> type) for the dialog checks."""
    if not isinstance(intents, list) or not intents:
        problems.append("languageModel.intents must be a non-empty list")
        return {}
    declared: dict[str, dict[str, str]] = {}
    sample_owner: dict[str, str] = {}
    for name, intent in _named(intents, "name", "intent", problems):
        built_in = name.startswith("AMAZON.")
        if not (_BUILT_IN_INTENT if built_in else _NAME).fullmatch(name):
            problems.append(f"intent name '{name}' may only contain letters and underscores")
        slots = _check_slots(name, intent.get("slots", []), custom_types, problems)
        declared[name] = slots
        samples = intent.get("samples", [])
        if not isinstance(samples, list) or not all(isinstance(s, str) for s in samples):
            problems.append(f"intent {name}: samples must be a list of strings")
            continue
        if not built_in and len(samples) < MIN_CUSTOM_SAMPLES:
            problems.append(
                f"intent {name} has {len(samples)} samples; custom intents need at least "
                f"{MIN_CUSTOM_SAMPLES}"
            )
        seen: set[str] = set()
        for sample in samples:
            _check_sample(name, sample, slots, problems)
            key = _key(sample)
            if key in seen:
                problems.append(f"intent {name}: sample '{sample}' is listed twice")
                continue
            seen.add(key)
            other = sample_owner.setdefault(key, name)
            if other != name:
                problems.append(f"sample '{sample}' belongs to both {other} and {name}")
    return declared


def _check_slots(
    intent: str, slots: Any, custom_types: set[str], problems: list[str]
) -> dict[str, str]:
    if not isinstance(slots, list):
        problems.append(f"intent {intent}: slots must be a list")
        return {}
    declared: dict[str, str] = {}
    for slot in slots:
        name = slot.get("name") if isinstance(slot, dict) else None
        slot_type = slot.get("type") if isinstance(slot, dict) else None
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            problems.append(f"intent {intent}: slot name {name!r} must be letters and underscores")
            continue
        if name in declared:
            problems.append(f"intent {intent}: slot {name} is declared twice")
        if not isinstance(slot_type, str) or not slot_type:
            problems.append(f"intent {intent}: slot {name} has no type")
            continue
        if not slot_type.startswith("AMAZON.") and slot_type not in custom_types:
            problems.append(f"intent {intent}: slot {name} uses undefined slot type {slot_type}")
        declared[name] = slot_type
    for slot in slots:
        if isinstance(slot, dict) and isinstance(slot.get("name"), str):
            for sample in slot.get("samples", []) or []:
                _check_sample(f"{intent} (slot {slot['name']})", sample, declared, problems)
    return declared


def _check_sample(where: str, sample: str, slots: dict[str, str], problems: list[str]) -> None:
    if not sample.strip():
        problems.append(f"intent {where}: empty sample")
        return
    for ref in _SLOT_REF.findall(sample):
        if ref not in slots:
            problems.append(f"intent {where}: sample '{sample}' uses undeclared slot {{{ref}}}")
    text = _SLOT_REF.sub(" ", sample)
    if "{" in text or "}" in text:
        problems.append(f"intent {where}: sample '{sample}' has an unmatched brace")
    if any(ch.isdigit() for ch in text):
        problems.append(f"intent {where}: sample '{sample}' has digits; spell numbers out")
    odd = sorted(
        {ch for ch in text if not ch.isalpha() and not ch.isdigit()}
        - _ALLOWED_SAMPLE_PUNCTUATION
        - {"{", "}"}
    )
    if odd:
        problems.append(
            f"intent {where}: sample '{sample}' contains characters Alexa rejects: {''.join(odd)}"
        )
    if len(sample) > MAX_SAMPLE_CHARS or len(sample.split()) > MAX_SAMPLE_WORDS:
        problems.append(
            f"intent {where}: sample '{sample[:40]}...' is longer than {MAX_SAMPLE_CHARS} "
            f"characters or {MAX_SAMPLE_WORDS} words"
        )


# --- prompts and dialog ----------------------------------------------------------------------


def _check_prompts(prompts: Any, problems: list[str]) -> set[str]:
    if not isinstance(prompts, list):
        problems.append("interactionModel.prompts must be a list")
        return set()
    ids: set[str] = set()
    for prompt_id, prompt in _named(prompts, "id", "prompt", problems):
        ids.add(prompt_id)
        variations = prompt.get("variations")
        if not isinstance(variations, list) or not variations:
            problems.append(f"prompt {prompt_id} has no variations")
            continue
        for variation in variations:
            kind = variation.get("type") if isinstance(variation, dict) else None
            value = variation.get("value") if isinstance(variation, dict) else None
            if kind not in _PROMPT_TYPES or not isinstance(value, str) or not value.strip():
                problems.append(
                    f"prompt {prompt_id}: each variation needs a type (PlainText or SSML) "
                    "and a non-empty value"
                )
    return ids


def _check_dialog(
    dialog: Any, intents: dict[str, dict[str, str]], prompt_ids: set[str], problems: list[str]
) -> None:
    if not isinstance(dialog, dict):
        problems.append("interactionModel.dialog must be an object")
        return
    _check_delegation("dialog", dialog.get("delegationStrategy"), problems)
    dialog_intents = dialog.get("intents", [])
    if not isinstance(dialog_intents, list):
        problems.append("dialog.intents must be a list")
        return
    for i, entry in enumerate(dialog_intents):
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str):
            problems.append(f"dialog intent #{i + 1} has no name")
            continue
        where = f"dialog intent {name}"
        if name not in intents:
            problems.append(f"{where} is not an intent of the language model")
        _check_delegation(where, entry.get("delegationStrategy"), problems)
        _check_prompt_refs(where, entry, prompt_ids, problems)
        slots = intents.get(name, {})
        for slot in entry.get("slots", []) or []:
            slot_name = slot.get("name") if isinstance(slot, dict) else None
            if slot_name not in slots:
                problems.append(f"{where}: slot {slot_name} is not declared on the intent")
                continue
            if slot.get("type") is not None and slot.get("type") != slots[slot_name]:
                problems.append(
                    f"{where}: slot {slot_name} has type {slot.get('type')} here but "
                    f"{slots[slot_name]} on the intent"
                )
            _check_prompt_refs(f"{where}, slot {slot_name}", slot, prompt_ids, problems)


def _check_prompt_refs(
    where: str, entry: dict[str, Any], prompt_ids: set[str], problems: list[str]
) -> None:
    prompts = entry.get("prompts") or {}
    if not isinstance(prompts, dict):
        problems.append(f"{where}: prompts must be an object")
        return
    for flag, prompt_kind in (
        ("confirmationRequired", "confirmation"),
        ("elicitationRequired", "elicitation"),
    ):
        if entry.get(flag) is True and not prompts.get(prompt_kind):
            problems.append(f"{where}: {flag} is true but there is no {prompt_kind} prompt")
    for prompt_id in _referenced_prompt_ids(entry):
        if prompt_id not in prompt_ids:
            problems.append(f"{where}: prompt '{prompt_id}' is referenced but not defined")


def _referenced_prompt_ids(entry: dict[str, Any]) -> Iterator[str]:
    prompts = entry.get("prompts") or {}
    for prompt_id in prompts.values():
        if isinstance(prompt_id, str):
            yield prompt_id
    for validation in entry.get("validations", []) or []:
        if isinstance(validation, dict) and isinstance(validation.get("prompt"), str):
            yield validation["prompt"]


def _check_delegation(where: str, strategy: Any, problems: list[str]) -> None:
    if strategy is not None and strategy not in _DELEGATION:
        problems.append(
            f"{where}: delegationStrategy {strategy!r} must be ALWAYS or SKILL_RESPONSE"
        )


# --- helpers ---------------------------------------------------------------------------------


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _key(text: str) -> str:
    return " ".join(text.casefold().split())
