"""Fills the catalog-driven slot types (PRODUCT, UNIT) of an interaction model from the catalog.

Everything else in the model (intents, samples, dialog, prompts, other types) is written by hand
in ``interaction_models/<locale>.json``; the build only regenerates the two types, so the file
stays the single source of truth and a rebuild with an unchanged catalog changes nothing.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from backend.catalog_data import CatalogSpec, ProductSpec
from interaction_models import model_path

# The model is Alexa's JSON document; it stays data at this edge.
InteractionModelJSON = dict[str, Any]

PRODUCT_TYPE = "PRODUCT"
UNIT_TYPE = "UNIT"

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_MODEL_PATH = model_path()
DEFAULT_PACKAGE_DIR = REPO_ROOT / "skill-package"

# How people say a unit when it is not the variant's own name. Only codes present in the catalog
# are emitted. Words that are also numbers ("one", "twelve") are left out on purpose: they would
# fight the AMAZON.NUMBER quantity slot.
UNIT_SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "small": ("little", "tall", "small size"),
    "medium": ("grande", "medium size", "middle size"),
    "large": ("big", "venti", "large size"),
    "single": ("single shot", "loose"),
    "double": ("double shot", "doppio"),
    "dozen": ("a dozen", "box of a dozen"),
    "half-dozen": ("half a dozen", "half dozen box"),
    "bunch": ("a bunch", "whole bunch"),
    "bag": ("a bag", "sack"),
    "gallon": ("a gallon", "gallon jug"),
    "half-gallon": ("half a gallon", "half gallon jug"),
    "pound": ("a pound", "lb"),
    "each": ("piece", "item"),
}

# Mass nouns and brands nobody pluralises: "two rices" would only add noise to the model.
_UNCOUNTABLE: frozenset[str] = frozenset(
    {
        "bacon",
        "chai",
        "chamomile",
        "cocoa",
        "flour",
        "honey",
        "marinara",
        "matcha",
        "oatly",
        "oatmeal",
        "pasta",
        "peppermint",
        "rice",
        "sencha",
        "spaghetti",
        "spinach",
        "sugar",
    }
)

# English plurals the simple rules get wrong.
_IRREGULAR_PLURALS: Mapping[str, str] = {
    "loaf": "loaves",
    "tomato": "tomatoes",
    "potato": "potatoes",
    "knife": "knives",
    "leaf": "leaves",
}


def build_model(base: InteractionModelJSON, catalog: CatalogSpec) -> InteractionModelJSON:
    """Returns a copy of ``base`` whose PRODUCT and UNIT values come from ``catalog``."""
    model = copy.deepcopy(base)
    try:
        language_model = model["interactionModel"]["languageModel"]
    except (KeyError, TypeError) as exc:
        raise ValueError("the base model has no interactionModel.languageModel") from exc
    types: list[dict[str, Any]] = language_model.setdefault("types", [])
    _set_values(types, PRODUCT_TYPE, product_values(catalog.products))
    _set_values(types, UNIT_TYPE, unit_values(catalog))
    return model


def product_values(products: Sequence[ProductSpec]) -> list[dict[str, Any]]:
    """One value per product: id = SKU, name = product name, synonyms = aliases and plurals.

    A plural is dropped when another product already answers to it, so entity resolution
    never matches two products.
    """
    own_forms = {p.sku: _unique((p.name, *p.aliases)) for p in products}
    claimed: Counter[str] = Counter()
    for forms in own_forms.values():
        claimed.update({_key(f) for f in forms})
    plurals = {
        p.sku: [pl for pl in _unique(pluralize(f) for f in own_forms[p.sku]) if pl]
        for p in products
    }
    plural_owners: Counter[str] = Counter()
    for sku, candidates in plurals.items():
        own_keys = {_key(f) for f in own_forms[sku]}
        plural_owners.update({_key(pl) for pl in candidates if _key(pl) not in own_keys})

    values: list[dict[str, Any]] = []
    for product in sorted(products, key=lambda p: p.sku):
        own_keys = {_key(f) for f in own_forms[product.sku]}
        synonyms = list(own_forms[product.sku][1:])
        for plural in plurals[product.sku]:
            key = _key(plural)
            if key in own_keys or (claimed[key] == 0 and plural_owners[key] == 1):
                synonyms.append(plural)
        synonyms = [s for s in _unique(synonyms) if _key(s) != _key(product.name)]
        values.append(_value(product.sku, product.name, synonyms))
    return values


def unit_values(catalog: CatalogSpec) -> list[dict[str, Any]]:
    """One value per variant code used anywhere in the catalog: id = code, name = its name."""
    names_by_code: dict[str, Counter[str]] = {}
    for product in catalog.products:
        for variant in product.variants:
            names_by_code.setdefault(variant.code, Counter())[variant.name] += 1
    values: list[dict[str, Any]] = []
    for code in sorted(names_by_code):
        counts = names_by_code[code]
        # The most common spelling names the unit; other spellings still resolve to it.
        name = min(counts, key=lambda n: (-counts[n], n))
        others = [n for n in sorted(counts) if n != name]
        spoken = _unique([*others, *UNIT_SYNONYMS.get(code, ())])
        synonyms = [s for s in spoken if _key(s) != _key(name)]
        values.append(_value(code, name, synonyms))
    return values


def pluralize(phrase: str) -> str | None:
    """A simple English plural of a spoken product phrase, or None when it already is plural.

    "oat milk" -> "oat milks", "loaf of bread" -> "loaves of bread", "strawberry" ->
    "strawberries"; "paper towels" -> None.
    """
    words = phrase.split()
    if not words:
        return None
    # "slice of banana bread": the counted noun is the one before "of".
    head = words.index("of") - 1 if "of" in words[1:] else len(words) - 1
    word = words[head]
    plural = _plural_word(word)
    if plural is None:
        return None
    words[head] = plural
    return " ".join(words)


def _plural_word(word: str) -> str | None:
    lower = word.lower()
    if lower in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[lower]
    if lower in _UNCOUNTABLE or lower.endswith("s") or len(lower) < 2 or not lower.isalpha():
        return None
    if lower.endswith(("x", "z", "ch", "sh")):
        return word + "es"
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def render_model(model: InteractionModelJSON) -> str:
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def read_model(path: Path) -> InteractionModelJSON:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: an interaction model must be a JSON object")
    return data


def package_model_path(model_path: Path, package_dir: Path = DEFAULT_PACKAGE_DIR) -> Path:
    """Where the ASK CLI skill package expects the copy of ``model_path`` (same file name)."""
    return Path(package_dir) / "interactionModels" / "custom" / Path(model_path).name


def write_model(path: Path, catalog: CatalogSpec, *, mirrors: Iterable[Path] = ()) -> bool:
    """Rebuilds the model file at ``path`` in place and copies it to each of ``mirrors``.

    Files are only written when their content changes; returns whether any file changed.
    """
    path = Path(path)
    text = render_model(build_model(read_model(path), catalog))
    changed = False
    for target in (path, *map(Path, mirrors)):
        changed |= _write_if_changed(target, text)
    return changed


def stale_files(path: Path, catalog: CatalogSpec, *, mirrors: Iterable[Path] = ()) -> list[Path]:
    """The files a ``write_model`` call would change, without writing anything."""
    path = Path(path)
    text = render_model(build_model(read_model(path), catalog))
    return [t for t in (path, *map(Path, mirrors)) if _read_or_none(t) != text]


def _write_if_changed(target: Path, text: str) -> bool:
    if _read_or_none(target) == text:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return True


def _read_or_none(target: Path) -> str | None:
    try:
        return target.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def _set_values(types: list[dict[str, Any]], name: str, values: list[dict[str, Any]]) -> None:
    for slot_type in types:
        if slot_type.get("name") == name:
            slot_type["values"] = values
            return
    types.append({"name": name, "values": values})


def _value(value_id: str, name: str, synonyms: Sequence[str]) -> dict[str, Any]:
    value_name: dict[str, Any] = {"value": name}
    if synonyms:
        value_name["synonyms"] = sorted(synonyms, key=_key)
    return {"id": value_id, "name": value_name}


def _unique(forms: Iterable[str | None]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for form in forms:
        if form is None or _key(form) in seen:
            continue
        seen.add(_key(form))
        out.append(form)
    return out


def _key(text: str) -> str:
    return " ".join(text.casefold().split())
