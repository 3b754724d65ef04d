"""How carts, money, times and order numbers are said, in English and in Korean."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from backend.catalog_data import load_catalog
from backend.services.views import LineView
from skill.speech import say_line, say_lines, say_money, speech_for, spell_order_number
from skill.speech_ko import native_number, particle

CATALOG = load_catalog()
ENGLISH = speech_for("en-US")
KOREAN = speech_for("ko-KR")


def line(name: str, variant: str, quantity: int, sku: str = "SKU") -> LineView:
    return LineView(sku, name, variant, variant.replace("-", " "), quantity, 100)


def catalog_line(sku: str, variant: str, quantity: int) -> LineView:
    product = CATALOG.product(sku)
    size = next(v for v in product.variants if v.code == variant)
    return LineView(sku, product.name, size.code, size.name, quantity, size.price_minor)


EVERY_LINE = [(p.sku, v.code) for p in CATALOG.products for v in p.variants]

# Written by hand: the products whose article, plural or measure a rule could get wrong.
TRICKY = {
    ("GRO-BANANAS", "single"): ("a banana", "2 bananas"),
    ("GRO-BANANAS", "bunch"): ("a bunch of bananas", "2 bunches of bananas"),
    ("GRO-APPLES", "single"): ("an apple", "2 apples"),
    ("GRO-APPLES", "bag"): ("a bag of apples", "2 bags of apples"),
    ("GRO-AVOCADOS", "single"): ("an avocado", "2 avocados"),
    ("GRO-LEMONS", "single"): ("a lemon", "2 lemons"),
    ("GRO-EGGS", "dozen"): ("a dozen eggs", "2 dozen eggs"),
    ("GRO-EGGS", "half-dozen"): ("a half dozen eggs", "2 half dozen eggs"),
    ("GRO-TOMATOES", "pound"): ("a pound of tomatoes", "2 pounds of tomatoes"),
    ("GRO-OATS", "each"): ("a bag of rolled oats", "2 bags of rolled oats"),
    ("GRO-STRAWBERRIES", "each"): ("a box of strawberries", "2 boxes of strawberries"),
    ("GRO-HONEY", "each"): ("a jar of honey", "2 jars of honey"),
    ("GRO-BREAD", "each"): ("a loaf of white bread", "2 loaves of white bread"),
    ("GRO-SOURDOUGH", "each"): ("a sourdough loaf", "2 sourdough loaves"),
    ("GRO-WHOLEMILK", "half-gallon"): (
        "a half gallon of whole milk", "2 half gallons of whole milk"
    ),
    ("GRO-WHOLEMILK", "gallon"): ("a gallon of whole milk", "2 gallons of whole milk"),
    ("GRO-OATMILK", "each"): ("an oat milk", "2 oat milks"),
    ("GRO-COFFEEBEANS", "each"): ("a bag of coffee beans", "2 bags of coffee beans"),
    ("HOU-PAPERTOWELS", "each"): ("a pack of paper towels", "2 packs of paper towels"),
    ("HOU-TISSUES", "each"): ("a box of tissues", "2 boxes of tissues"),
    ("HOU-BATTERIES", "each"): ("a pack of double a batteries", "2 packs of double a batteries"),
    ("BAK-CROISSANT", "each"): ("a croissant", "2 croissants"),
    ("BAK-ALMONDCROISSANT", "each"): ("an almond croissant", "2 almond croissants"),
    ("BAK-EVERYTHINGBAGEL", "each"): ("an everything bagel", "2 everything bagels"),
    ("BAK-BREAKFASTSANDWICH", "each"): ("a breakfast sandwich", "2 breakfast sandwiches"),
    ("BAK-BROWNIE", "each"): ("a brownie", "2 brownies"),
    ("BAK-BANANABREAD", "each"): ("a slice of banana bread", "2 slices of banana bread"),
    ("COF-ESPRESSO", "single"): ("an espresso", "2 espressos"),
    ("COF-ESPRESSO", "double"): ("a double espresso", "2 double espressos"),
    ("COF-AMERICANO", "small"): ("a small americano", "2 small americanos"),
    ("COF-LATTE", "large"): ("a large latte", "2 large lattes"),
    ("TEA-ENGLISHBREAKFAST", "medium"): (
        "a medium english breakfast tea", "2 medium english breakfast teas"
    ),
    ("COF-HOTCHOCOLATE", "small"): ("a small hot chocolate", "2 small hot chocolates"),
}


@pytest.mark.parametrize(("sku", "variant"), sorted(TRICKY))
def test_tricky_products_are_said_with_the_right_article_plural_and_measure(sku, variant):
    one, two = TRICKY[(sku, variant)]
    assert say_line(catalog_line(sku, variant, 1)) == one
    assert say_line(catalog_line(sku, variant, 2)) == two


@pytest.mark.parametrize(("sku", "variant"), EVERY_LINE)
def test_one_of_any_product_takes_an_article_and_two_of_it_a_number(sku, variant):
    one = say_line(catalog_line(sku, variant, 1))
    two = say_line(catalog_line(sku, variant, 2))
    article, first = one.split(" ")[:2]
    assert article == ("an" if first[0] in "aeiou" else "a"), one
    assert two.startswith("2 ") and "  " not in one + two
    # A plural name alone is never "one": "a banana", "a pack of paper towels".
    last = one.split(" ")[-1]
    plural_last = last.endswith("s") and not last.endswith("ss")
    assert not plural_last or " of " in one or "dozen" in one, one


@pytest.mark.parametrize(("sku", "variant"), EVERY_LINE)
def test_every_product_has_a_korean_name_and_counter(sku, variant):
    one = KOREAN.line(catalog_line(sku, variant, 1))
    two = KOREAN.line(catalog_line(sku, variant, 2))
    assert not re.search("[A-Za-z]", one + two), one
    assert " 한 " in f" {one} " or one.endswith("1파운드"), one
    assert " 두 " in f" {two} " or two.endswith("2파운드"), two


@pytest.mark.parametrize(
    ("sku", "variant", "quantity", "spoken"),
    [
        ("COF-LATTE", "large", 2, "라떼 라지 두 잔"),
        ("GRO-OATMILK", "each", 1, "귀리 우유 한 팩"),
        ("GRO-BANANAS", "single", 3, "바나나 세 개"),
        ("GRO-BANANAS", "bunch", 1, "바나나 한 송이"),
        ("GRO-WATER", "each", 2, "생수 두 병"),
        ("GRO-EGGS", "dozen", 1, "계란 12구 한 판"),
        ("GRO-TOMATOES", "pound", 2, "토마토 2파운드"),
        ("BAK-CROISSANT", "each", 20, "크루아상 스무 개"),
        ("COF-ESPRESSO", "single", 21, "에스프레소 스물한 잔"),
    ],
)
def test_korean_lines_take_the_products_counter_and_native_numbers(
    sku, variant, quantity, spoken
):
    assert KOREAN.line(catalog_line(sku, variant, quantity)) == spoken


def test_several_lines_are_joined_with_and():
    lines = [line("oat milk", "each", 2), line("latte", "large", 1), line("croissant", "each", 1)]
    assert say_lines(lines) == "2 oat milks, a large latte and a croissant"


def test_korean_lists_join_the_last_item_with_the_particle_its_sound_takes():
    assert KOREAN.join(["라떼 한 잔", "바나나 한 개"]) == "라떼 한 잔과 바나나 한 개"
    assert KOREAN.join(["바나나 한 개", "라떼 한 잔"]) == "바나나 한 개와 라떼 한 잔"
    assert KOREAN.join(["스몰", "미디엄", "라지"], "or") == "스몰, 미디엄 또는 라지"


@pytest.mark.parametrize(
    ("minor", "spoken"),
    [
        (3108, "31 dollars and 8 cents"),
        (940, "9 dollars and 40 cents"),
        (900, "9 dollars"),
        (100, "1 dollar"),
        (101, "1 dollar and 1 cent"),
        (99, "99 cents"),
        (1, "1 cent"),
        (123456, "1,234 dollars and 56 cents"),
    ],
)
def test_money_is_said_as_people_say_it(minor, spoken):
    assert say_money(minor, "USD") == spoken


@pytest.mark.parametrize(
    ("minor", "currency", "spoken", "shown"),
    [
        (4990, "KRW", "4,990원", "4,990원"),
        (31080, "KRW", "31,080원", "31,080원"),
        (3108, "USD", "31달러 8센트", "$31.08"),
        (100, "USD", "1달러", "$1.00"),
        (99, "USD", "99센트", "$0.99"),
    ],
)
def test_korean_money_is_said_and_shown_the_korean_way(minor, currency, spoken, shown):
    assert KOREAN.money(minor, currency) == spoken
    assert KOREAN.money_shown(minor, currency) == shown


def test_won_in_english_has_no_cents():
    assert ENGLISH.money(4990, "KRW") == "4,990 won"


@pytest.mark.parametrize(
    ("hour", "minute", "english", "spoken", "shown"),
    [
        (15, 20, "3:20 PM", "오후 세 시 20분", "오후 3시 20분"),
        (9, 0, "9 AM", "오전 아홉 시", "오전 9시"),
        (0, 5, "12:05 AM", "오전 열두 시 5분", "오전 12시 5분"),
        (12, 45, "12:45 PM", "오후 열두 시 45분", "오후 12시 45분"),
    ],
)
def test_times_are_said_in_the_shops_zone_per_language(hour, minute, english, spoken, shown):
    seoul = ZoneInfo("Asia/Seoul")
    moment = datetime(2026, 11, 30, hour, minute, tzinfo=seoul).astimezone(UTC)
    assert ENGLISH.time(moment, seoul) == english
    assert KOREAN.time(moment, seoul) == spoken
    assert KOREAN.time_shown(moment, seoul) == shown


def test_order_numbers_are_spelled_letter_by_letter_and_digit_by_digit():
    assert spell_order_number("A-417") == "A 4 1 7"
    assert KOREAN.order_number("A-109") == "에이 일 공 구"


@pytest.mark.parametrize(
    ("count", "said"), [(1, "한"), (2, "두"), (3, "세"), (4, "네"), (10, "열"), (11, "열한"),
                        (20, "스무"), (21, "스물한"), (99, "아흔아홉"), (100, "100")]
)
def test_korean_counts_use_native_numerals_up_to_ninety_nine(count, said):
    assert native_number(count) == said


@pytest.mark.parametrize(
    ("before", "pair", "chosen"),
    [
        ("라떼", ("은", "는"), "는"),
        ("우유 두 팩", ("은", "는"), "은"),
        ("에이 일 공 일", ("이에요", "예요"), "이에요"),
        ("에이 일 공 이", ("이에요", "예요"), "예요"),
        ("9달러 98센트", ("이에요", "예요"), "예요"),
        ("4,990원", ("이에요", "예요"), "이에요"),
        ("라떼 세 잔", ("으로", "로"), "으로"),
        ("라떼 한 개", ("으로", "로"), "로"),
        ("토마토 2파운드", ("으로", "로"), "로"),
        ("쌀", ("으로", "로"), "로"),
    ],
)
def test_korean_particles_follow_the_last_sound(before, pair, chosen):
    assert particle(before, *pair) == chosen


def test_a_particle_after_something_unreadable_is_written_both_ways():
    assert particle("!!", "은", "는") == "은(는)"
