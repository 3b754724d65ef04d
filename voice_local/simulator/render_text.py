"""The human-readable view of a turn: what was understood, what the skill said and showed."""

from __future__ import annotations

import json
from collections.abc import Sequence

import click

from voice_local.simulator.replay import Mismatch
from voice_local.simulator.turns import SimulatedTurn, StageTimings

LABEL_WIDTH = 10


def _row(label: str, value: str) -> str:
    return f"  {click.style(label.ljust(LABEL_WIDTH), dim=True)}{value}"


def render_turn(turn: SimulatedTurn) -> str:
    reply = turn.reply
    rows = [click.style(f"[{turn.number}] you: {turn.said}", bold=True)]
    if turn.transcript is not None:
        rows.append(_row("heard", repr(turn.transcript) if turn.transcript else "(nothing)"))
    sample = f', sample "{turn.sample}"' if turn.sample else ""
    rows.append(_row("intent", f"{turn.intent}  (confidence {turn.confidence:.2f}{sample})"))
    if turn.slots:
        rows.append(_row("slots", ", ".join(
            f"{slot.name}={slot.value}" + (f" [{slot.id}]" if slot.id else "")
            + (f' (heard "{slot.spoken}")' if slot.spoken != slot.value else "")
            for slot in turn.slots.values()
        )))
    rows.append(_row("speech", click.style(reply.speech or "(silent)", fg="green")))
    if reply.reprompt:
        rows.append(_row("reprompt", reply.reprompt))
    if reply.card_title or reply.card_text:
        text = " / ".join((reply.card_text or "").splitlines())
        rows.append(_row("card", f"{reply.card_title or ''}: {text}"))
    for screen in turn.screens:
        heading = " · ".join(
            part for part in (screen.title, screen.number, screen.status, screen.eta) if part
        )
        rows.append(_row("screen", f"{screen.token}: {heading}"))
        rows.extend(_row("", f"  {item}") for item in screen.items)
        if screen.total:
            rows.append(_row("", f"  total {screen.total}"))
    directives = [d for d in reply.directives if d]
    if directives:
        rows.append(_row("directive", ", ".join(directives)))
    rows.append(_row("session", _attributes(reply.session_attributes, reply.ends_session)))
    rows.append(_row("timings", format_timings(turn.timings)))
    return "\n".join(rows)


def _attributes(attributes: dict[str, object], ends: bool) -> str:
    if ends:
        return "ended"
    return json.dumps(attributes, ensure_ascii=False, sort_keys=True) if attributes else "{}"


def format_timings(timings: StageTimings) -> str:
    stages = [("tts", timings.tts_ms), ("stt", timings.stt_ms), ("nlu", timings.nlu_ms),
              ("skill", timings.skill_ms)]
    return " · ".join(f"{name} {ms:.1f} ms" for name, ms in stages if ms is not None)


def render_mismatches(turn: SimulatedTurn, mismatches: Sequence[Mismatch]) -> str:
    rows = [click.style(f"✗ turn {turn.number} ({turn.said!r}) did not match:", fg="red")]
    for mismatch in mismatches:
        rows.append(f"  {mismatch.field}")
        rows.append(click.style(f"    - expected: {mismatch.expected}", fg="red"))
        rows.append(click.style(f"    + actual:   {mismatch.actual}", fg="green"))
    return "\n".join(rows)


def render_summary(script: str, turns: int, failed: Sequence[int]) -> str:
    if not failed:
        return click.style(f"✓ {script}: {turns} turns, all as expected.", fg="green")
    listed = ", ".join(str(number) for number in failed)
    return click.style(
        f"✗ {script}: {len(failed)} of {turns} turns did not match (turn {listed}).", fg="red"
    )
