"""Machine-readable turns: one JSON object per line, for scripts and CI."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from voice_local.simulator.replay import Mismatch
from voice_local.simulator.turns import SimulatedTurn


def turn_json(turn: SimulatedTurn, mismatches: Sequence[Mismatch] | None = None) -> str:
    """`mismatches` is None outside a replay; in a replay, [] means the turn passed."""
    reply = turn.reply
    timings = turn.timings
    data: dict[str, Any] = {
        "turn": turn.number,
        "said": turn.said,
        "transcript": turn.transcript,
        "intent": turn.intent,
        "confidence": round(turn.confidence, 4),
        "sample": turn.sample,
        "slots": {
            name: {"spoken": slot.spoken, "value": slot.value, "id": slot.id}
            for name, slot in turn.slots.items()
        },
        "speech": reply.speech,
        "reprompt": reply.reprompt,
        "endsSession": reply.ends_session,
        "directives": list(reply.directives),
        "card": (
            {"title": reply.card_title, "text": reply.card_text}
            if reply.card_title or reply.card_text else None
        ),
        "screens": [
            {
                "token": s.token, "title": s.title, "number": s.number, "status": s.status,
                "eta": s.eta, "items": list(s.items), "total": s.total,
            }
            for s in turn.screens
        ],
        "sessionAttributes": reply.session_attributes,
        "timingsMs": {
            name: round(ms, 2)
            for name, ms in (
                ("tts", timings.tts_ms), ("stt", timings.stt_ms), ("nlu", timings.nlu_ms),
                ("skill", timings.skill_ms),
            )
            if ms is not None
        },
    }
    if mismatches is not None:
        data["passed"] = not mismatches
        data["mismatches"] = [
            {"field": m.field, "expected": m.expected, "actual": m.actual} for m in mismatches
        ]
    return json.dumps(data, ensure_ascii=False)
