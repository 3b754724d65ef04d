"""The companion screen's words in the screen's language: its labels, product and size names,
and how it writes money and times.

The labels live in skill/strings/screen/<locale>.json, apart from skill/strings/<locale>.json:
those are what the skill says or shows in an answer, and tests/skill/test_locales.py checks that
the walk over every answer uses each of them; the page's chrome is no answer. Names come from the
same speech data the skill speaks from (skill/strings/speech/<locale>.json), so the screen and
the voice name a product alike. The page is rendered once and then kept live in the browser, so
everything here also goes to screen.js as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from flask import request
from werkzeug.wrappers import Response as BaseResponse

from skill.localization import FALLBACK_LOCALE, STRINGS_DIR
from skill.speech import speech_data

SCREEN_STRINGS_DIR = STRINGS_DIR / "screen"
LOCALE_OVERRIDE_PARAM = "locale"


@dataclass(frozen=True)
class ScreenLabels:
    """Every fixed text on the page; '{…}' fields are filled in by screen.js."""

    connecting: str
    live: str
    reconnecting: str
    cart: str
    cart_empty: str
    total: str
    order: str
    order_number: str  # {number}
    order_none: str
    eta_pickup: str  # {time}
    eta_delivery: str  # {time}
    line_with_size: str  # {name} {size}
    noscript: str
    status_placed: str
    status_accepted: str
    status_preparing: str
    status_ready: str
    status_out_for_delivery: str
    status_completed: str
    status_cancelled: str


@dataclass(frozen=True)
class PairingLabels:
    """The page an unpaired screen shows (its code), and the page for a broken pairing link."""

    title: str
    intro: str
    say_before: str  # around the code: “pair screen 4719”
    say_after: str
    expires: str  # {minutes}
    setup_question: str
    setup_link: str  # {link} {staff}: markup the template puts in
    link_token: str
    screen_id: str  # {device}
    bad_link: str  # {pair}
    bad_link_expired: str
    bad_link_other_screen: str
    bad_link_taken: str
    busy_title: str
    busy_client: str
    busy_pool: str
    not_yours_title: str
    not_yours: str  # {device}: markup the template puts in
    not_yours_help: str  # {new_screen}: a link the template puts in
    new_screen: str


@dataclass(frozen=True)
class ScreenText:
    locale: str  # a BCP 47 tag for the browser's Intl formats, too
    labels: ScreenLabels
    pairing: PairingLabels
    products: Mapping[str, str]  # SKU → name; the catalog's (English) name when missing
    sizes: Mapping[str, str]  # variant code → name
    silent_sizes: tuple[str, ...]  # sizes a line does not show ("each", "regular")
    money: Mapping[str, str]  # currency → "{amount}원"; others use Intl's currency format

    def as_json(self) -> dict[str, object]:
        """What screen.js reads from the page's config."""
        return {
            "locale": self.locale,
            "labels": asdict(self.labels),
            "products": dict(self.products),
            "sizes": dict(self.sizes),
            "silent_sizes": list(self.silent_sizes),
            "money": dict(self.money),
        }


@cache
def screen_locales() -> tuple[str, ...]:
    """The locales the screen ships in, the fallback first (so it wins a tie)."""
    found = sorted(path.stem for path in SCREEN_STRINGS_DIR.glob("*.json"))
    return (FALLBACK_LOCALE, *(locale for locale in found if locale != FALLBACK_LOCALE))


def screen_locale(override: str | None, accepted: object) -> str:
    """?locale=ko-KR when it names a shipped locale, else the browser's best Accept-Language
    match (werkzeug's LanguageAccept: 'ko' also matches ko-KR), else the fallback."""
    if override in screen_locales():
        return str(override)
    best_match = getattr(accepted, "best_match", None)
    best = best_match(screen_locales()) if best_match else None
    return best if isinstance(best, str) else FALLBACK_LOCALE


def requested_screen_text() -> ScreenText:
    """The words for the page the current request asks for."""
    return screen_text(
        screen_locale(request.args.get(LOCALE_OVERRIDE_PARAM), request.accept_languages)
    )


def vary_on_language(response: BaseResponse) -> BaseResponse:
    """The same URL comes in several languages: caches must keep them apart."""
    response.vary.add("Accept-Language")
    return response


@cache
def screen_text(locale: str) -> ScreenText:
    known = locale if locale in screen_locales() else FALLBACK_LOCALE
    path: Path = SCREEN_STRINGS_DIR / f"{known}.json"
    strings = json.loads(path.read_text(encoding="utf-8"))
    data = speech_data(known)
    return ScreenText(
        locale=known,
        labels=ScreenLabels(**strings["screen"]),
        pairing=PairingLabels(**strings["pairing"]),
        products=dict(data.get("products", {})),
        sizes=dict(data.get("sizes", {})),
        silent_sizes=tuple(data.get("silent_sizes", ())),
        money=dict(data.get("money_shown", {})),
    )
