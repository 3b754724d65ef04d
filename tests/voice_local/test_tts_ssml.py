from voice_local.tts import strip_ssml


def test_break_tags_are_removed_and_words_kept() -> None:
    assert strip_ssml("<speak>Hi <break time='1s'/>there</speak>") == "Hi there"


def test_nested_markup_keeps_its_inner_text() -> None:
    ssml = (
        '<speak>Order <say-as interpret-as="characters">AB</say-as> '
        "<emphasis>ships</emphasis> today</speak>"
    )
    assert strip_ssml(ssml) == "Order AB ships today"


def test_entities_are_decoded() -> None:
    assert strip_ssml("<speak>Salt &amp; pepper</speak>") == "Salt & pepper"


def test_plain_text_passes_through_with_whitespace_collapsed() -> None:
    assert strip_ssml("  two   bananas\n added ") == "two bananas added"


def test_malformed_ssml_still_loses_its_tags() -> None:
    assert strip_ssml("<speak>Hi <break time='1s'>there") == "Hi there"
