"""Invoking the skill in-process with a standard Alexa request envelope (kiosk, simulator, tests).

The envelope goes through the same JSON (de)serialization as a request arriving over HTTPS, so the
handlers cannot tell the two front doors apart.
"""

from __future__ import annotations

import json
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope, ResponseEnvelope

_serializer = DefaultSerializer()


def invoke(skill: CustomSkill, envelope: dict[str, Any]) -> dict[str, Any]:
    request = _serializer.deserialize(json.dumps(envelope), RequestEnvelope)
    response: ResponseEnvelope = skill.invoke(request_envelope=request, context=None)
    serialized: dict[str, Any] = _serializer.serialize(response)
    return serialized
