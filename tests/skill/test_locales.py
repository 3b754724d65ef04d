"""Every answer the skill can give, in every shipped locale: no key missing, no English in Korean.

The walk (tests/skill/locale_walk.py) drives the real handlers in-process; a spy on the
Translator records which string keys were said, so a key no answer uses, or an answer whose key
a locale lacks, fails here.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterator

import pytest

from backend.runtime import Backend
from skill.builder import build_skill
from skill.localization import STRINGS_DIR, Translator
from skill.settings import SkillSettings
from tests.conftest import Shop
from tests.skill.locale_walk import Answer, broken_answers, invoke_with, walk_every_answer

SHIPPED = sorted(path.stem for path in STRINGS_DIR.glob("*.json"))
# Latin letters a Korean answer may hold: the shop's name and order numbers on a screen.
SHOP_NAME = "Corner Shop"
SHOWN_ORDER_NUMBER = re.compile(r"\b[A-Z]{1,2}-\d+\b")


def _strings(locale: str) -> dict[str, str]:
    strings: dict[str, str] = json.loads((STRINGS_DIR / f"{locale}.json").read_text("utf-8"))
    return strings


def _fields(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


@pytest.fixture
def said_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[set[str]]:
    """The string keys the skill renders while the test runs."""
    keys: set[str] = set()
    original = Translator.__call__

    def recording(self: Translator, key: str, **values: object) -> str:
        keys.add(key)
        return original(self, key, **values)

    monkeypatch.setattr(Translator, "__call__", recording)
    yield keys


def _walk(shop: Shop, locale: str) -> list[Answer]:
    backend = Backend(shop.store, shop.hub)
    send = invoke_with(build_skill(backend, SkillSettings(shop_name=SHOP_NAME)))
    return walk_every_answer(shop, backend, send, locale) + broken_answers(
        shop, send, locale
    )


def test_every_shipped_locale_has_every_key_of_en_us_and_no_other():
    english = _strings("en-US")
    for locale in SHIPPED:
        assert set(_strings(locale)) == set(english), locale


def test_a_translation_uses_only_the_values_its_english_template_is_given():
    english = _strings("en-US")
    for locale in SHIPPED:
        for key, template in _strings(locale).items():
            assert _fields(template) <= _fields(english[key]), (locale, key)


@pytest.mark.parametrize("locale", SHIPPED)
def test_the_walk_says_every_string_key_there_is(sqlite_shop, said_keys, locale):
    _walk(sqlite_shop, locale)
    keys = set(_strings("en-US"))
    assert sorted(keys - said_keys) == []  # never said: a dead string, or a walk to extend
    assert sorted(said_keys - keys) == []


def _english_words(text: str, heard: tuple[str, ...]) -> list[str]:
    """Latin words left once the customer's own words, the shop's name and shown order
    numbers are taken out."""
    text = SHOWN_ORDER_NUMBER.sub(" ", text)
    for allowed in (*heard, SHOP_NAME):
        text = text.replace(allowed, " ")
    return re.findall(r"[A-Za-z]+", text)


def test_korean_answers_say_and_show_no_english(sqlite_shop):
    answers = _walk(sqlite_shop, "ko-KR")
    assert len(answers) > 100
    english = [
        (text, words)
        for answer in answers
        for text in (answer.speech, answer.reprompt, *answer.shown)
        if (words := _english_words(text, answer.heard))
    ]
    assert english == []


def test_korean_answers_resolve_every_particle(sqlite_shop):
    answers = _walk(sqlite_shop, "ko-KR")
    texts = [t for a in answers for t in (a.speech, a.reprompt, *a.shown)]
    assert [t for t in texts if "[" in t or "(" in t] == []


def test_english_answers_are_english(sqlite_shop):
    answers = _walk(sqlite_shop, "en-US")
    assert all(not re.search("[가-힣]", a.speech) for a in answers)


def test_korean_product_names_are_names_the_korean_model_understands():
    """The kiosk names a product the way the customer can say it back: for every product the
    ko-KR interaction model knows, the spoken name is its value or one of its synonyms."""
    from skill.speech import speech_data

    model = json.loads((STRINGS_DIR.parents[1] / "interaction_models" / "ko-KR.json").read_text())
    types = model["interactionModel"]["languageModel"]["types"]
    names = speech_data("ko-KR")["products"]
    [products] = [t for t in types if t["name"] == "PRODUCT"]
    for value in products["values"]:
        said = {value["name"]["value"], *value["name"].get("synonyms", [])}
        assert names.get(value["id"]) in said, value
