"""`--since` and `?since=`: a length back from now, or a UTC date."""

from datetime import UTC, datetime, timedelta

import pytest

from backend.analytics.window import BadWindow, Window, parse_since

NOW = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "length"),
    [("7d", timedelta(days=7)), ("24h", timedelta(hours=24)), ("90m", timedelta(minutes=90))],
)
def test_a_length_reaches_back_from_now(text, length):
    assert parse_since(text, NOW) == Window(NOW - length, NOW)


def test_a_date_starts_at_utc_midnight():
    assert parse_since("2026-11-01", NOW).since == datetime(2026, 11, 1, tzinfo=UTC)


def test_a_time_with_an_offset_is_converted_to_utc():
    assert parse_since("2026-11-24T10:00+02:00", NOW).since == datetime(2026, 11, 24, 8, tzinfo=UTC)


@pytest.mark.parametrize("text", ["bogus", "0d", "7 weeks", "2026-13-01", "2027-01-01"])
def test_nonsense_or_future_is_refused_with_examples(text):
    with pytest.raises(BadWindow, match="7d, 24h"):
        parse_since(text, NOW)


def test_the_days_of_a_window_include_the_partial_first_and_last():
    window = parse_since("2d", NOW)
    assert [d.isoformat() for d in window.days] == ["2026-11-22", "2026-11-23", "2026-11-24"]


@pytest.mark.parametrize("text", ["0001-01-01", "2020-01-01", "99999d", "9000h"])
def test_a_window_reaching_back_more_than_366_days_is_refused(text):
    with pytest.raises(BadWindow) as refused:
        parse_since(text, NOW)
    assert "at most 366 days" in refused.value.message


def test_a_year_back_is_still_allowed():
    assert parse_since("365d", NOW).since == NOW - timedelta(days=365)
    assert parse_since("2025-11-25", NOW).since == datetime(2025, 11, 25, tzinfo=UTC)
