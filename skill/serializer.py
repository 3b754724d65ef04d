"""ask-sdk's serializer with two per-request costs removed.

Profiled on the load mix, deserializing the request envelope was a sixth of the endpoint's CPU:
the SDK re-imports a model class by name for every nested object and parses the one timestamp
with dateutil's general parser. Both are overridden at the SDK's own (name-mangled) hooks, so
everything else, including its errors for malformed input, stays the SDK's.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer

# Model class names come from the SDK's own type tables, so this stays small.
_model_classes: dict[str, Any] = {}


class EnvelopeSerializer(DefaultSerializer):  # type: ignore[misc]
    def _DefaultSerializer__load_class_from_name(self, class_name: str) -> Any:
        model_class = _model_classes.get(class_name)
        if model_class is None:
            model_class = super()._DefaultSerializer__load_class_from_name(class_name)
            _model_classes[class_name] = model_class
        return model_class

    def _DefaultSerializer__deserialize_datetime(self, payload: Any, obj_type: Any) -> Any:
        # Alexa sends ISO 8601 ("2026-11-24T21:53:13Z"), which the standard library reads
        # directly; anything else gets the SDK's parser and its error.
        if isinstance(payload, str):
            try:
                parsed = datetime.fromisoformat(payload)
            except ValueError:
                pass
            else:
                return parsed.date() if obj_type is date else parsed
        return super()._DefaultSerializer__deserialize_datetime(payload, obj_type)
