"""Localized speech templates, kept as data per locale; English is the fallback.

A template may follow a value with a particle whose form depends on the value's last sound,
written "[after a consonant/after a vowel]": "{product}[은/는] {price}[이에요/예요]." (Korean).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from string import Formatter
from xml.sax.saxutils import escape

from skill.speech import Speech, speech_for

STRINGS_DIR = Path(__file__).parent / "strings"
FALLBACK_LOCALE = "en-US"
_PARTICLE = re.compile(r"\[([^/\]]+)/([^\]]+)\]")


class Translator:
    def __init__(self, locale: str) -> None:
        self.locale = locale
        self._strings = {**_load(FALLBACK_LOCALE), **_load(locale)}
        self.say: Speech = speech_for(locale)

    def __call__(self, key: str, **values: object) -> str:
        # The result is spoken as SSML: what a customer said ("we don't sell <audio …/>") or a
        # product name with "&" must read as text, not as markup or broken XML.
        safe = {name: escape(v) if isinstance(v, str) else v for name, v in values.items()}
        template = self._strings[key]
        if "[" not in template:
            return template.format(**safe)
        said: list[str] = []
        for literal, field, spec, _conversion in Formatter().parse(template):
            # Particles are resolved against the text before them, never inside a value.
            start = 0
            for found in _PARTICLE.finditer(literal):
                said.append(literal[start : found.start()])
                said.append(self.say.particle("".join(said), found[1], found[2]))
                start = found.end()
            said.append(literal[start:])
            if field is not None:
                said.append(format(safe[field], spec or ""))
        return "".join(said)


@cache
def _load(locale: str) -> dict[str, str]:
    path = STRINGS_DIR / f"{locale}.json"
    if not path.exists():
        return {}
    strings: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return strings


def translator(locale: object) -> Translator:
    # The locale comes from the request: only a locale we have strings for may name a file
    # (or a cache entry), anything else speaks the fallback language.
    known = locale if isinstance(locale, str) and locale in _known_locales() else FALLBACK_LOCALE
    return _translator(known)


@cache
def _translator(locale: str) -> Translator:
    return Translator(locale)


@cache
def _known_locales() -> frozenset[str]:
    return frozenset(path.stem for path in STRINGS_DIR.glob("*.json"))
