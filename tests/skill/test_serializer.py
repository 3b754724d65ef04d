import json
from datetime import UTC, datetime

import pytest
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.serializer import EnvelopeSerializer
from tests.support.load import Household


def _add_request(timestamp: str | None = None) -> str:
    document = Household.numbered(1).add("COF-LATTE", "latte", 2)
    if timestamp is not None:
        document["request"]["timestamp"] = timestamp
    return json.dumps(document)


def test_an_intent_request_reads_exactly_as_the_sdk_reads_it() -> None:
    body = _add_request()
    ours = EnvelopeSerializer().deserialize(body, RequestEnvelope)
    sdks = DefaultSerializer().deserialize(body, RequestEnvelope)
    assert EnvelopeSerializer().serialize(ours) == DefaultSerializer().serialize(sdks)
    assert ours.request.timestamp == sdks.request.timestamp


def test_alexas_utc_timestamp_reads_as_an_aware_utc_datetime() -> None:
    envelope = EnvelopeSerializer().deserialize(
        _add_request("2026-11-24T21:53:13Z"), RequestEnvelope
    )
    assert envelope.request.timestamp == datetime(2026, 11, 24, 21, 53, 13, tzinfo=UTC)


def test_a_timestamp_only_dateutil_understands_still_reads() -> None:
    envelope = EnvelopeSerializer().deserialize(
        _add_request("24 Nov 2026 21:53:13 UTC"), RequestEnvelope
    )
    assert envelope.request.timestamp == datetime(2026, 11, 24, 21, 53, 13, tzinfo=UTC)


def test_a_timestamp_that_is_no_date_is_the_sdks_serialization_error() -> None:
    with pytest.raises(SerializationException):
        EnvelopeSerializer().deserialize(_add_request("yesterday-ish"), RequestEnvelope)
