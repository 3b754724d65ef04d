"""Fixtures for driving the skill with documented Alexa request envelopes."""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from backend.runtime import Backend
from skill.builder import build_skill
from skill.local import invoke
from tests.conftest import Shop

FIXTURES = Path(__file__).parent / "fixtures"
APL_INTERFACE = {"Alexa.Presentation.APL": {"runtime": {"maxVersion": "2023.3"}}}


def load_envelope(
    name: str,
    *,
    attributes: dict[str, Any] | None = None,
    apl: bool = False,
    session_id: str | None = None,
    request_id: str | None = None,
    user_id: str | None = None,
    device_id: str | None = None,
    slot_values: dict[str, str] | None = None,
    slot_ids: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A fixture envelope, fresh: new request id and current timestamp unless told otherwise."""
    envelope: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    envelope = copy.deepcopy(envelope)
    envelope["request"]["requestId"] = request_id or f"amzn1.echo-api.request.{uuid.uuid4()}"
    envelope["request"]["timestamp"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    system = envelope["context"]["System"]
    if attributes is not None:
        envelope["session"]["attributes"] = attributes
    if session_id is not None:
        envelope["session"]["sessionId"] = session_id
    if user_id is not None:
        envelope["session"]["user"]["userId"] = user_id
        system["user"]["userId"] = user_id
    if device_id is not None:
        system["device"]["deviceId"] = device_id
    if apl:
        system["device"]["supportedInterfaces"].update(APL_INTERFACE)
    slots = envelope["request"].get("intent", {}).get("slots", {})
    for name, value in (slot_values or {}).items():
        # A value Alexa heard but could not resolve to one of the slot type's values.
        slots[name]["value"] = value
        slots[name].pop("resolutions", None)
    for name, value_id in (slot_ids or {}).items():
        slots[name]["resolutions"] = {
            "resolutionsPerAuthority": [
                {
                    "authority": f"amzn1.er-authority.echo-sdk.test.{name}",
                    "status": {"code": "ER_SUCCESS_MATCH"},
                    "values": [{"value": {"name": slots[name].get("value"), "id": value_id}}],
                }
            ]
        }
    return envelope


class Conversation:
    """Carries session attributes from each response into the next request, as Alexa does."""

    def __init__(self, send: Callable[[dict[str, Any]], dict[str, Any]], **options: Any) -> None:
        self._send = send
        self._options = options
        self.session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
        self.attributes: dict[str, Any] = {}
        self.last: dict[str, Any] = {}

    def say(self, fixture: str, **overrides: Any) -> dict[str, Any]:
        envelope = load_envelope(
            fixture,
            attributes=self.attributes,
            session_id=self.session_id,
            **{**self._options, **overrides},
        )
        self.last = self._send(envelope)
        self.attributes = self.last.get("sessionAttributes") or {}
        return self.last


def speech(response: dict[str, Any]) -> str:
    ssml: str = response["response"]["outputSpeech"]["ssml"]
    return ssml.removeprefix("<speak>").removesuffix("</speak>")


def directive_types(response: dict[str, Any]) -> list[str]:
    return [d["type"] for d in response["response"].get("directives") or []]


@pytest.fixture
def skill_backend(sqlite_shop: Shop) -> Backend:
    return Backend(sqlite_shop.store, sqlite_shop.hub)


@pytest.fixture
def talk(skill_backend: Backend) -> Callable[..., Conversation]:
    """Starts an in-process conversation with the skill on a seeded store."""
    skill = build_skill(skill_backend)

    def start(**options: Any) -> Conversation:
        return Conversation(lambda envelope: invoke(skill, envelope), **options)

    return start
