import pytest

from backend.services.views import LineView
from skill.speech import say_line, say_lines, say_money, spell_order_number


def line(name, variant, quantity):
    return LineView("SKU", name, variant, variant, quantity, 100)


@pytest.mark.parametrize(
    ("name", "variant", "quantity", "spoken"),
    [
        ("oat milk", "each", 2, "2 oat milks"),
        ("latte", "large", 1, "a large latte"),
        ("espresso", "double", 1, "a double espresso"),
        ("eggs", "dozen", 1, "a dozen eggs"),
        ("eggs", "half-dozen", 2, "2 half dozen eggs"),
        ("tomatoes", "pound", 2, "2 pounds of tomatoes"),
        ("bananas", "bunch", 1, "a bunch of bananas"),
        ("bananas", "single", 3, "3 bananas"),
        ("croissant", "each", 1, "a croissant"),
        ("americano", "small", 1, "a small americano"),
        ("paper towels", "each", 1, "paper towels"),
    ],
)
def test_lines_are_said_the_way_people_say_them(name, variant, quantity, spoken):
    assert say_line(line(name, variant, quantity)) == spoken


def test_several_lines_are_joined_with_and():
    lines = [line("oat milk", "each", 2), line("latte", "large", 1), line("croissant", "each", 1)]
    assert say_lines(lines) == "2 oat milks, a large latte and a croissant"


@pytest.mark.parametrize(
    ("minor", "spoken"),
    [
        (940, "9 dollars 40"),
        (900, "9 dollars"),
        (105, "1 dollar 5"),
        (40, "40 cents"),
        (1, "1 cent"),
    ],
)
def test_money_is_said_in_dollars_and_cents(minor, spoken):
    assert say_money(minor, "USD") == spoken


def test_order_numbers_are_spelled_digit_by_digit():
    assert spell_order_number("A-417") == "A 4 1 7"
