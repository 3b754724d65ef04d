"""The two ways to drive a simulator session: a replayed script, or lines typed one by one."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from voice_local.simulator.render_json import turn_json
from voice_local.simulator.render_text import render_mismatches, render_summary, render_turn
from voice_local.simulator.replay import ReplayScript, check_turn
from voice_local.simulator.session import SimulatorSession
from voice_local.simulator.store_state import StoreState

Echo = Callable[[str], None]
INTERACTIVE_HELP = (
    "Type what a customer would say, e.g. \"open {invocation}\", \"add two oat milks\", "
    "\"check out\", \"yes\".\n"
    "  .new   end the session (the next line starts a new one)\n"
    "  .quit  leave (or Ctrl-D)"
)


@dataclass(frozen=True)
class ReplayOutcome:
    turns: int
    failed: tuple[int, ...]  # numbers of the turns that did not match

    @property
    def passed(self) -> bool:
        return not self.failed


StoreProbe = Callable[[], StoreState]


def run_replay(
    session: SimulatorSession,
    script: ReplayScript,
    echo: Echo,
    *,
    as_json: bool,
    store: StoreProbe | None = None,
) -> ReplayOutcome:
    """`store`: reads the store after a turn whose expectation checks it (cart, orders); without
    one (--endpoint: the server's store is not ours to read) those checks are skipped, said once."""
    failed = []
    turns = 0
    checks_store = any(e is not None and e.checks_store for e in script.expected)
    if store is None and checks_store and not as_json:
        echo("Note: cart and order checks are skipped: the simulator cannot read this store.")
    for text, expectation in script.turns():
        turn = session.say(text)
        turns += 1
        state = store() if store and expectation and expectation.checks_store else None
        mismatches = check_turn(expectation, turn, state)
        if mismatches:
            failed.append(turn.number)
        if as_json:
            echo(turn_json(turn, mismatches))
            continue
        echo(render_turn(turn))
        if mismatches:
            echo(render_mismatches(turn, mismatches))
        echo("")
    outcome = ReplayOutcome(turns, tuple(failed))
    if not as_json:
        echo(render_summary(str(script.path), outcome.turns, outcome.failed))
    return outcome


def run_interactive(
    session: SimulatorSession, lines: Iterable[str], echo: Echo, *, as_json: bool
) -> int:
    """Says each line until .quit or the end of input; returns the number of turns."""
    turns = 0
    for raw in lines:
        text = raw.strip()
        if not text:
            continue
        if text in (".quit", ".exit"):
            break
        if text == ".new":
            session.new_session()
            if not as_json:
                echo("(new session)")
            continue
        if text == ".help":
            echo(INTERACTIVE_HELP.format(invocation=session.model.invocation_name))
            continue
        turn = session.say(text)
        turns += 1
        echo(turn_json(turn) if as_json else render_turn(turn) + "\n")
    return turns
