from voice_local.stt.pronunciations import guess_pronunciation

DICTIONARY = {
    "latte": "L AA T EY", "yogurt": "Y OW G ER T", "peach": "P IY CH", "sour": "S AW ER",
    "dough": "D OW", "decaf": "D IY K AE F",
}


def _lookup(word: str) -> str | None:
    return DICTIONARY.get(word)


def test_plural_after_a_vowel_ends_in_z() -> None:
    assert guess_pronunciation("lattes", _lookup) == "L AA T EY Z"


def test_plural_after_a_voiceless_consonant_ends_in_s() -> None:
    assert guess_pronunciation("yogurts", _lookup) == "Y OW G ER T S"
    assert guess_pronunciation("decafs", _lookup) == "D IY K AE F S"


def test_plural_after_a_sibilant_adds_a_syllable() -> None:
    assert guess_pronunciation("peaches", _lookup) == "P IY CH IH Z"


def test_compound_of_two_dictionary_words_joins_their_phones() -> None:
    assert guess_pronunciation("sourdough", _lookup) == "S AW ER D OW"


def test_word_with_no_known_parts_gets_no_guess() -> None:
    assert guess_pronunciation("macchiato", _lookup) is None
