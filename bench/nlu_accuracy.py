"""Accuracy and speed of the kiosk's intent matcher; prints tables, asserts nothing.

    .venv/bin/python bench/nlu_accuracy.py [interaction_models/en-US.json ...] [--catalog 5000]

For each model: phrases expanded from its samples are matched as written, with one word
dropped, with two neighbouring words swapped, and with a typo in a slot value. --catalog N
also runs the model with N extra synthetic products added to its first catalog slot type, to
show the cost of a large catalogue.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from voice_local.nlu import (
    ExpandedPhrase,
    IntentMatcher,
    InteractionModel,
    SlotType,
    SlotValue,
    expand_samples,
    load_interaction_model,
)

_ROOT = Path(__file__).resolve().parent.parent
_ADJECTIVES = (
    "organic", "smoked", "red", "green", "sparkling", "frozen", "fresh", "spicy", "sweet",
    "salted", "unsalted", "low fat", "whole grain", "gluten free", "vanilla", "chocolate",
    "roasted", "dried", "wild", "baby", "large", "mini", "classic", "greek", "italian",
    "french", "honey", "maple", "lemon", "garlic", "smoky", "crunchy", "creamy", "light",
)
_NOUNS = (
    "apple", "cheese", "yogurt", "salmon", "bread", "crackers", "juice", "tea", "coffee",
    "pasta", "rice", "beans", "soup", "cereal", "granola", "cookies", "butter", "ham",
    "chicken", "sausages", "spinach", "peppers", "olives", "nuts", "almonds", "hummus",
    "water", "soda", "chips", "salsa", "sauce", "noodles", "tofu", "muffins", "bagels",
)
_BRANDS = ("acme", "sunny farm", "blue hill", "green valley", "old mill", "river", "alpine")


def with_synthetic_catalog(model: InteractionModel, size: int, seed: int = 0) -> InteractionModel:
    """The model with `size` invented products added to its largest slot type."""
    if not model.types:
        return model
    target = max(model.types, key=lambda slot_type: len(slot_type.values))
    rng = random.Random(seed)
    names: dict[str, None] = {}
    while len(names) < size:
        parts = [rng.choice(_ADJECTIVES), rng.choice(_NOUNS)]
        if rng.random() < 0.5:
            parts.insert(0, rng.choice(_BRANDS))
        names.setdefault(" ".join(parts), None)
    extra = tuple(
        SlotValue(id=f"SYN-{index:05d}", name=name, synonyms=(name + "s",))
        for index, name in enumerate(names)
    )
    types = tuple(
        SlotType(slot_type.name, slot_type.values + extra) if slot_type is target else slot_type
        for slot_type in model.types
    )
    return replace(model, types=types)


def _drop_word(text: str, rng: random.Random) -> str:
    words = text.split()
    if len(words) > 2:
        del words[rng.randrange(len(words))]
    return " ".join(words)


def _swap_words(text: str, rng: random.Random) -> str:
    words = text.split()
    if len(words) > 2:
        index = rng.randrange(len(words) - 1)
        words[index], words[index + 1] = words[index + 1], words[index]
    return " ".join(words)


def _typo(text: str, rng: random.Random) -> str:
    words = text.split()
    long_words = [index for index, word in enumerate(words) if len(word) >= 5]
    if long_words:
        index = rng.choice(long_words)
        word = words[index]
        position = rng.randrange(1, len(word) - 1)
        words[index] = word[:position] + rng.choice("aeioulnrst") + word[position + 1:]
    return " ".join(words)


def _as_written(text: str, rng: random.Random) -> str:
    return text


_VARIANTS: dict[str, Callable[[str, random.Random], str]] = {
    "as written": _as_written,
    "word dropped": _drop_word,
    "words swapped": _swap_words,
    "typo": _typo,
}


def evaluate(name: str, model: InteractionModel, phrases: list[ExpandedPhrase]) -> None:
    started = time.perf_counter()
    matcher = IntentMatcher(model)
    build_ms = (time.perf_counter() - started) * 1000
    values = sum(len(slot_type.values) for slot_type in model.types)
    print(f"\n{name}: {len(model.intents)} intents, {values} slot values, "
          f"{len(phrases)} phrases, matcher built in {build_ms:.0f} ms")
    print(f"{'variant':<14} {'intent ok':>9} {'slots ok':>9} {'fallback':>9} "
          f"{'median ms':>10} {'p95 ms':>7} {'max ms':>7}")
    rng = random.Random(1)
    for variant, change in _VARIANTS.items():
        intent_ok = slots_ok = fallback = 0
        times: list[float] = []
        for phrase in phrases:
            text = change(phrase.text, rng)
            started = time.perf_counter()
            result = matcher.match(text)
            times.append((time.perf_counter() - started) * 1000)
            fallback += result.intent == "AMAZON.FallbackIntent"
            if result.intent == phrase.intent:
                intent_ok += 1
                found = {slot: resolved.id or resolved.value
                         for slot, resolved in result.slots.items()}
                slots_ok += found == dict(phrase.slots)
        times.sort()
        count = len(phrases)
        print(f"{variant:<14} {intent_ok / count:>9.1%} {slots_ok / count:>9.1%} "
              f"{fallback / count:>9.1%} {statistics.median(times):>10.2f} "
              f"{times[int(0.95 * (count - 1))]:>7.2f} {times[-1]:>7.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", type=Path, default=[
        _ROOT / "interaction_models" / "en-US.json", _ROOT / "interaction_models" / "ko-KR.json",
    ])
    parser.add_argument("--catalog", type=int, default=5000,
                        help="synthetic products added for the large-catalogue run (0: skip)")
    parser.add_argument("--per-sample", type=int, default=5)
    arguments = parser.parse_args()
    for path in arguments.models:
        model = load_interaction_model(path)
        phrases = expand_samples(model, max_per_sample=arguments.per_sample)
        evaluate(path.name, model, phrases)
        if arguments.catalog and model.locale.startswith("en"):
            big = with_synthetic_catalog(model, arguments.catalog)
            evaluate(f"{path.name} + {arguments.catalog} synthetic products", big,
                     expand_samples(big, max_per_sample=arguments.per_sample))


if __name__ == "__main__":
    main()
