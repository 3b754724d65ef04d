"""What the kiosk itself says and shows (the skill's answers have their own strings).

One JSON file per locale in voice_local/strings/; a missing locale or key falls back to en-US.
Order numbers are spelled the way the locale says them (skill.speech).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from skill.speech import speech_for

STRINGS_DIR = Path(__file__).parent / "strings"
FALLBACK_LOCALE = "en-US"


@cache
def kiosk_strings(locale: str) -> dict[str, str]:
    # Only a locale that has a file names one: anything else speaks the fallback language.
    known = {path.stem for path in STRINGS_DIR.glob("*.json")}
    path = STRINGS_DIR / f"{locale if locale in known else FALLBACK_LOCALE}.json"
    strings: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return strings


def kiosk_text(locale: str, key: str, **values: object) -> str:
    strings = kiosk_strings(locale)
    template = strings.get(key) or kiosk_strings(FALLBACK_LOCALE)[key]
    return template.format(**values)


def spoken_order_number(locale: str, number: str) -> str:
    """'A 1 0 9' in English, '에이 일 공 구' in Korean."""
    return speech_for(locale).order_number(number)
