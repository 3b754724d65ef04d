"""Korean: counters with native numerals ('라떼 라지 두 잔'), particles that follow the last sound
('귀리 우유 두 개와 라떼 한 잔'), hours said natively ('오후 세 시 20분').

Which counter a product takes (잔, 병, 개, 송이…) is data (skill/strings/speech/ko-KR.json).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from backend.services.views import LineView
from skill.speech import Conjunction, Speech

_NATIVE_ONES = ("", "한", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉")
_NATIVE_TENS = ("", "열", "스물", "서른", "마흔", "쉰", "예순", "일흔", "여든", "아흔")
_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
# Whether a digit or Latin letter, read aloud, ends in a consonant (일, 삼, 엘, 엠…); ㄹ apart.
_DIGIT_FINAL = {"0": "ㅇ", "1": "ㄹ", "3": "ㅁ", "6": "ㄱ", "7": "ㄹ", "8": "ㄹ"}
_LETTER_FINAL = {"L": "ㄹ", "M": "ㅁ", "N": "ㄴ", "R": "ㄹ"}
# A syllable's final consonant, by its index 1..27 in the syllable's code.
_FINALS = "ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾ" "ㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"


def native_number(count: int) -> str:
    """1..99 in native Korean numerals as said before a counter: 한, 두, 스무, 스물한…; other
    numbers as digits (read as Sino-Korean, as people do for big counts)."""
    if not 1 <= count <= 99:
        return str(count)
    tens, ones = divmod(count, 10)
    if count == 20:
        return "스무"
    return _NATIVE_TENS[tens] + _NATIVE_ONES[ones]


def final_sound(text: str) -> str | None:
    """The last consonant of the last syllable ('ㄴ' for 잔), '' for a vowel ending (개), None
    when the text ends in something else."""
    for char in reversed(text.strip()):
        code = ord(char)
        if _HANGUL_FIRST <= code <= _HANGUL_LAST:
            final = (code - _HANGUL_FIRST) % 28
            return "" if final == 0 else _FINALS[final - 1]
        if char.isdigit():
            return _DIGIT_FINAL.get(char, "")
        if char.isascii() and char.isalpha():
            return _LETTER_FINAL.get(char.upper(), "")
        if char.isalnum():
            return None
    return None


def particle(before: str, after_consonant: str, after_vowel: str) -> str:
    """은/는, 이/가, 을/를, 과/와, 이에요/예요 …; 으로/로 takes 로 after ㄹ as after a vowel."""
    final = final_sound(before)
    if final is None:
        return f"{after_consonant}({after_vowel})"  # cannot tell: write both, as Korean text does
    if after_consonant == "으로" and final == "ㄹ":
        return after_vowel
    return after_consonant if final else after_vowel


class KoreanSpeech(Speech):
    def money(self, minor: int, currency: str) -> str:
        """4,990원; 31달러 8센트; 1달러; 99센트."""
        words = self._money_words(currency)
        if words is None:
            return self.money_shown(minor, currency)
        if "small" not in words:  # a currency without minor units (원)
            return f"{minor:,}{words['unit']}"
        whole, cents = divmod(minor, 100)
        said = [f"{whole:,}{words['unit']}"] if whole else []
        if cents or not whole:
            said.append(f"{cents}{words['small']}")
        return " ".join(said)

    def number(self, count: int) -> str:
        return native_number(count)

    def counter(self, line: LineView) -> str:
        counters: Mapping[str, Mapping[str, str]] = self.data["counters"]
        return (
            counters["by_size"].get(line.variant_code)
            or counters["by_product"].get(line.sku)
            or self.data["default_counter"]
        )

    def count(self, quantity: int, counter: str) -> str:
        """'두 잔' (native numerals, spaced), '2파운드' (Sino-Korean units of measure)."""
        if counter in self.data["sino_counters"]:
            return f"{quantity}{counter}"
        return f"{native_number(quantity)} {counter}"

    def line(self, line: LineView) -> str:
        """'라떼 라지 두 잔', '바나나 한 송이', '계란 12구 한 판', '토마토 2파운드'."""
        counter = self.counter(line)
        words = [self.product(line.sku, line.product_name)]
        measured = line.variant_code in self.data["counters"]["by_size"]
        if line.variant_code not in self.data["silent_sizes"] and not measured:
            words.append(self.size(line.variant_code, line.variant_name))
        words.append(self.count(line.quantity, counter))
        return " ".join(words)

    def join(self, items: Sequence[str], conjunction: Conjunction = "and") -> str:
        """'A, B와 C' (과 after a consonant); 'A, B 또는 C'."""
        if not items:
            return ""
        if len(items) == 1:
            return items[0]
        head = ", ".join(items[:-1])
        if conjunction == "or":
            return f"{head} {self.data['list_or']} {items[-1]}"
        return f"{head}{particle(items[-2], '과', '와')} {items[-1]}"

    def time(self, moment: datetime, zone: ZoneInfo) -> str:
        """'오후 세 시 20분': hours are counted in native numerals, minutes in Sino-Korean."""
        local = moment.astimezone(zone)
        half = "오전" if local.hour < 12 else "오후"
        hour = local.hour % 12 or 12
        said = f"{half} {native_number(hour)} 시"
        return f"{said} {local.minute}분" if local.minute else said

    def time_shown(self, moment: datetime, zone: ZoneInfo) -> str:
        """'오후 3시 20분', as a clock on a screen reads in Korean."""
        local = moment.astimezone(zone)
        half = "오전" if local.hour < 12 else "오후"
        shown = f"{half} {local.hour % 12 or 12}시"
        return f"{shown} {local.minute}분" if local.minute else shown

    def particle(self, before: str, after_consonant: str, after_vowel: str) -> str:
        return particle(before, after_consonant, after_vowel)
