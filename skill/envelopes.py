"""Alexa request envelopes in the documented JSON format, for callers that are not Alexa.

The kiosk and the simulator build the same envelopes Alexa would send, so the skill's handlers
serve both front doors without knowing which one is speaking.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

LOCAL_APPLICATION_ID = "amzn1.ask.skill.vcom-local"
APL_INTERFACE = {"Alexa.Presentation.APL": {"runtime": {"maxVersion": "2023.3"}}}


@dataclass(frozen=True)
class Device:
    device_id: str
    user_id: str
    has_screen: bool = True
    locale: str = "en-US"
    application_id: str = LOCAL_APPLICATION_ID


@dataclass(frozen=True)
class SlotInput:
    """A slot as Alexa fills it: what was heard and, when resolved, the value's id."""

    name: str
    value: str | None = None
    resolved_id: str | None = None
    resolved_name: str | None = None


@dataclass
class SessionState:
    session_id: str = field(default_factory=lambda: f"amzn1.echo-api.session.{uuid.uuid4()}")
    attributes: dict[str, Any] = field(default_factory=dict)
    new: bool = True


def _timestamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def envelope(device: Device, session: SessionState, request: Mapping[str, Any]) -> dict[str, Any]:
    interfaces: dict[str, Any] = {}
    if device.has_screen:
        interfaces.update(APL_INTERFACE)
    application = {"applicationId": device.application_id}
    user = {"userId": device.user_id}
    return {
        "version": "1.0",
        "session": {
            "new": session.new,
            "sessionId": session.session_id,
            "application": application,
            "attributes": session.attributes,
            "user": user,
        },
        "context": {
            "System": {
                "application": application,
                "user": user,
                "device": {"deviceId": device.device_id, "supportedInterfaces": interfaces},
                "apiEndpoint": "https://api.amazonalexa.com",
            }
        },
        "request": {
            "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
            "timestamp": _timestamp(),
            "locale": device.locale,
            **request,
        },
    }


def launch_request() -> dict[str, Any]:
    return {"type": "LaunchRequest"}


def session_ended_request(reason: str = "USER_INITIATED") -> dict[str, Any]:
    return {"type": "SessionEndedRequest", "reason": reason}


def intent_request(
    name: str,
    slots: list[SlotInput],
    *,
    confirmation: str = "NONE",
    dialog_state: str | None = None,
) -> dict[str, Any]:
    request: dict[str, Any] = {
        "type": "IntentRequest",
        "intent": {
            "name": name,
            "confirmationStatus": confirmation,
            "slots": {slot.name: _slot_json(slot) for slot in slots},
        },
    }
    if dialog_state:
        request["dialogState"] = dialog_state
    return request


def _slot_json(slot: SlotInput) -> dict[str, Any]:
    data: dict[str, Any] = {"name": slot.name, "confirmationStatus": "NONE"}
    if slot.value is not None:
        data["value"] = slot.value
        data["source"] = "USER"
    if slot.resolved_id is not None:
        data["resolutions"] = {
            "resolutionsPerAuthority": [
                {
                    "authority": f"amzn1.er-authority.echo-sdk.{LOCAL_APPLICATION_ID}.{slot.name}",
                    "status": {"code": "ER_SUCCESS_MATCH"},
                    "values": [
                        {
                            "value": {
                                "name": slot.resolved_name or slot.value,
                                "id": slot.resolved_id,
                            }
                        }
                    ],
                }
            ]
        }
    return data
