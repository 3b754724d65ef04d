import pytest
from hypothesis import given
from hypothesis import strategies as st

from voice_local.nlu import number_words, parse_number
from voice_local.nlu.numbers import parse_digit_string, spoken_digits
from voice_local.nlu.text import tokenize


@pytest.mark.parametrize(
    ("spoken", "expected"),
    [
        ("two", 2),
        ("a dozen", 12),
        ("two dozen", 24),
        ("half a dozen", 6),
        ("twenty one", 21),
        ("twenty-one", 21),
        ("3", 3),
        ("four one seven", 417),
        ("four hundred seventeen", 417),
        ("one hundred and five", 105),
        ("a hundred", 100),
        ("two thousand twenty six", 2026),
        ("1,000", 1000),
    ],
)
def test_english_spoken_numbers_are_parsed(spoken: str, expected: int) -> None:
    assert parse_number(tokenize(spoken), "en-US") == expected


@pytest.mark.parametrize("spoken", ["a", "milk", "ten four", "twenty twenty", "two milk", ""])
def test_english_words_that_are_not_one_number_give_none(spoken: str) -> None:
    assert parse_number(tokenize(spoken), "en-US") is None


@pytest.mark.parametrize(
    ("spoken", "expected"),
    [
        ("두 개", 2),
        ("두개", 2),
        ("세", 3),
        ("하나", 1),
        ("열두", 12),
        ("스물한 병", 21),
        ("스무", 20),
        ("삼", 3),
        ("이십일", 21),
        ("사백십칠", 417),
        ("사 일 칠", 417),
        ("천이백", 1200),
        ("3개", 3),
    ],
)
def test_korean_native_and_sino_numbers_are_parsed(spoken: str, expected: int) -> None:
    assert parse_number(tokenize(spoken), "ko-KR") == expected


def test_korean_word_that_is_not_a_number_gives_none() -> None:
    assert parse_number(["바나나"], "ko-KR") is None


@given(st.integers(min_value=0, max_value=999_999))
def test_english_number_words_parse_back_to_the_number(n: int) -> None:
    assert parse_number(tokenize(number_words(n, "en-US")), "en-US") == n


@given(st.integers(min_value=1, max_value=99_999))
def test_korean_number_words_parse_back_to_the_number(n: int) -> None:
    assert parse_number(tokenize(number_words(n, "ko-KR")), "ko-KR") == n


def test_korean_small_numbers_are_said_as_native_counting_words() -> None:
    assert number_words(2, "ko-KR") == "두"


@pytest.mark.parametrize(
    ("spoken", "digits"),
    [
        ("four seven one nine", "4719"),
        ("zero four one nine", "0419"),
        ("oh four one nine", "0419"),
        ("forty seven nineteen", "4719"),
        ("double four one nine", "4419"),
        ("4719", "4719"),
    ],
)
def test_codes_read_out_keep_every_digit(spoken: str, digits: str) -> None:
    assert parse_digit_string(tokenize(spoken), "en-US") == digits


def test_korean_codes_are_read_with_sino_digits() -> None:
    assert parse_digit_string(tokenize(spoken_digits("0419", "ko-KR")), "ko-KR") == "0419"


@given(st.lists(st.text(max_size=6), max_size=5), st.sampled_from(["en-US", "ko-KR"]))
def test_any_words_give_a_number_or_none_without_raising(words: list[str], locale: str) -> None:
    number = parse_number(words, locale)
    digits = parse_digit_string(words, locale)
    assert number is None or number >= 0
    assert digits is None or digits.isdecimal()
