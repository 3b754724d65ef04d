"""Localized speech templates, kept as data per locale; English is the fallback."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

STRINGS_DIR = Path(__file__).parent / "strings"
FALLBACK_LOCALE = "en-US"


class Translator:
    def __init__(self, locale: str) -> None:
        self.locale = locale
        self._strings = {**_load(FALLBACK_LOCALE), **_load(locale)}

    def __call__(self, key: str, **values: object) -> str:
        return self._strings[key].format(**values)


@cache
def _load(locale: str) -> dict[str, str]:
    path = STRINGS_DIR / f"{locale}.json"
    if not path.exists():
        return {}
    strings: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return strings


@cache
def translator(locale: str | None) -> Translator:
    return Translator(locale or FALLBACK_LOCALE)
