"""Whatever is posted to /alexa, the answer is a 400 or a spoken reply: never a 500, never a
traceback, and a refused request changes nothing in the store."""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.conftest import Endpoint
from tests.support.load import Household

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def tracebacks_logged() -> Iterator[list[logging.LogRecord]]:
    """Log records that carry a traceback, from any logger, while the block runs."""
    handler = _Records()
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.DEBUG)
    found: list[logging.LogRecord] = []
    try:
        yield found
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        found.extend(r for r in handler.records if r.exc_info or r.exc_text)


def assert_refused_or_answered(endpoint: Endpoint, body: bytes, *, signed: bool = True) -> int:
    before = endpoint.state()
    with tracebacks_logged() as tracebacks:
        status, reply = endpoint.post(body, signed=signed)
    assert status in (200, 400, 413), (status, reply[:300])
    assert b"Traceback" not in reply
    assert tracebacks == [], [r.getMessage() for r in tracebacks]
    if status != 200:
        assert endpoint.state() == before
    else:
        assert "response" in json.loads(reply)
    return status


def valid_add() -> dict[str, Any]:
    return Household.numbered(1, run="fuzz").add("GRO-OATMILK", "oat milk", 2)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


def _parent(document: Any, path: tuple[Any, ...]) -> Any:
    for key in path[:-1]:
        document = document[key]
    return document


@given(st.binary(max_size=300))
@FUZZ
def test_bytes_that_are_not_an_envelope_get_400(endpoint: Endpoint, body: bytes) -> None:
    try:
        document = json.loads(body)
    except ValueError:
        document = None
    status = assert_refused_or_answered(endpoint, body)
    if not isinstance(document, dict):
        assert status == 400


@given(st.binary(max_size=300) | json_values.map(lambda v: json.dumps(v).encode()))
@FUZZ
def test_unsigned_bodies_get_400(endpoint: Endpoint, body: bytes) -> None:
    assert assert_refused_or_answered(endpoint, body, signed=False) == 400


@given(json_values)
@FUZZ
def test_signed_json_of_any_shape_gets_400_or_an_answer(endpoint: Endpoint, value: Any) -> None:
    assert_refused_or_answered(endpoint, json.dumps(value).encode())


@given(st.data())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_an_envelope_with_a_field_removed_or_retyped_gets_400_or_an_answer(
    endpoint: Endpoint, data: st.DataObject
) -> None:
    document = valid_add()
    path = data.draw(st.sampled_from(_paths(document)), label="path")
    mutated = copy.deepcopy(document)
    parent = _parent(mutated, path)
    if data.draw(st.booleans(), label="delete"):
        del parent[path[-1]]
    else:
        parent[path[-1]] = data.draw(json_values, label="value")
    assert_refused_or_answered(endpoint, json.dumps(mutated).encode())


def test_a_body_of_several_megabytes_is_refused_as_too_large(endpoint: Endpoint) -> None:
    document = valid_add()
    document["request"]["padding"] = "x" * (8 * 1024 * 1024)
    assert assert_refused_or_answered(endpoint, json.dumps(document).encode()) == 413


def test_a_deeply_nested_body_is_refused_and_changes_nothing(endpoint: Endpoint) -> None:
    body = b'{"request": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert assert_refused_or_answered(endpoint, body) == 400


def test_a_body_that_is_not_utf8_is_refused(endpoint: Endpoint) -> None:
    body = json.dumps(valid_add()).encode().replace(b"oat milk", b"oat \xff\xfe milk")
    assert assert_refused_or_answered(endpoint, body) == 400


def test_the_unmutated_envelope_is_answered(endpoint: Endpoint) -> None:
    # The fuzzing above means something only if the envelope it starts from is accepted.
    fresh = Household.numbered(1).add("GRO-OATMILK", "oat milk", 2)  # its cart is empty
    status, reply = endpoint.post(json.dumps(fresh).encode())
    assert status == 200
    assert json.loads(reply)["response"]["outputSpeech"]["ssml"].startswith("<speak>Added 2")
