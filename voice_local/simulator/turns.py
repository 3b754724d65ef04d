"""What one simulated turn produced: the values every renderer and the replay checker read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from voice_local.conversation import LAUNCH_REQUEST, SkillReply
from voice_local.nlu.matcher import ResolvedSlot

__all__ = [
    "LAUNCH_REQUEST", "RENDER_DOCUMENT", "ScreenSummary", "SimulatedTurn", "StageTimings",
    "screen_summaries",
]
RENDER_DOCUMENT = "Alexa.Presentation.APL.RenderDocument"


@dataclass(frozen=True)
class StageTimings:
    nlu_ms: float
    skill_ms: float
    tts_ms: float | None = None  # --voice: synthesizing what was typed
    stt_ms: float | None = None  # --voice: speech to text


@dataclass(frozen=True)
class ScreenSummary:
    """The few fields of an APL datasource a developer checks: what the screen would show."""

    token: str
    title: str | None
    number: str | None
    status: str | None
    eta: str | None
    items: tuple[str, ...]
    total: str | None


@dataclass(frozen=True)
class SimulatedTurn:
    number: int  # 1-based position in the dialog
    said: str  # what the developer typed
    transcript: str | None  # what speech-to-text heard (--voice only)
    intent: str  # the matched intent, or LaunchRequest for "open <invocation>"
    slots: Mapping[str, ResolvedSlot]
    confidence: float
    sample: str | None
    reply: SkillReply
    screens: tuple[ScreenSummary, ...]
    timings: StageTimings


def screen_summaries(response: Mapping[str, Any]) -> tuple[ScreenSummary, ...]:
    directives = (response.get("response") or {}).get("directives") or []
    summaries = []
    for directive in directives:
        if directive.get("type") != RENDER_DOCUMENT:
            continue
        view = ((directive.get("datasources") or {}).get("payload") or {}).get("view") or {}
        items = tuple(
            f"{line.get('quantity')} × {line.get('name')}  {line.get('price')}"
            for line in view.get("lines") or []
        )
        summaries.append(
            ScreenSummary(
                token=str(directive.get("token") or ""),
                title=view.get("title"),
                number=view.get("number"),
                status=view.get("status"),
                eta=view.get("eta") or None,
                items=items,
                total=view.get("total"),
            )
        )
    return tuple(summaries)
