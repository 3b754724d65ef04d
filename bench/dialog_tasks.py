"""The conversation corpus against the skill: tasks done as meant, per behaviour; asserts nothing.

    .venv/bin/python bench/dialog_tasks.py [--behaviour remove ...] [--misses] [--device kiosk]
    .venv/bin/python bench/dialog_tasks.py --served 18     # also a sample over HTTP
    .venv/bin/python bench/dialog_tasks.py --corpus bench/dialogs-heldout --misses

Every script of tests/dialogs/corpus runs on its own freshly seeded SQLite store, typed text
through the kiosk's intent matcher into the skill in-process (as `vcom simulate` does). After
each turn whose expectation names "cart", "total", "orders" or "order", the household's cart
and orders are read from the store and compared; "intent", "slots", "endsSession" and "speech"
are checked as `vcom simulate --replay` checks them. A task is done as meant when every check
of the script holds. Prints, per behaviour: tasks, done as meant, turns understood as a
fallback, and average turns per task. --corpus DIR runs another set of scripts laid out the same
way, e.g. bench/dialogs-heldout/ (held out from tuning, so not run by the test suite).

--served N also replays N scripts (spread over the behaviours) through `vcom serve` in its own
process, over HTTP with signature and timestamp verification on (requests signed by the tests'
local CA), each on its own fresh store, and reports whether every one ends as it did in-process.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: tests.support is not an installed package

from ask_sdk_core.skill import CustomSkill  # noqa: E402

from backend.catalog_data import CatalogSpec, load_catalog  # noqa: E402
from backend.persistence.migrate import upgrade  # noqa: E402
from backend.runtime import open_backend  # noqa: E402
from backend.seed import seed  # noqa: E402
from skill.builder import build_skill  # noqa: E402
from skill.settings import SkillSettings  # noqa: E402
from tests.support.load import Client, SignedRequest, serve_skill  # noqa: E402
from voice_local.conversation import LocalConversation, Transport  # noqa: E402
from voice_local.nlu.interaction_model import InteractionModel, load_interaction_model  # noqa: E402
from voice_local.nlu.matcher import IntentMatcher  # noqa: E402
from voice_local.simulator.devices import DEFAULT_PRESET, PRESETS, simulated_device  # noqa: E402
from voice_local.simulator.replay import check_turn, load_replay  # noqa: E402
from voice_local.simulator.session import SimulatorSession  # noqa: E402
from voice_local.simulator.store_state import read_store_state  # noqa: E402

CORPUS = ROOT / "tests" / "dialogs" / "corpus"
FALLBACK = "AMAZON.FallbackIntent"
STATE_KEYS = ("cart", "total", "orders", "order")

Lines = Mapping[tuple[str, str], int]  # (product, variant) -> quantity


@dataclass(frozen=True)
class TaskOutcome:
    behaviour: str
    name: str
    turns: int
    fallbacks: int
    failure: str | None  # the first check that did not hold

    @property
    def done(self) -> bool:
        return self.failure is None

    @property
    def failed_turn(self) -> str | None:
        """"turn N": where the task went wrong, without the (time-dependent) speech."""
        return None if self.failure is None else self.failure.split(" ", 2)[1]


def seeded_template(directory: Path, catalog: CatalogSpec) -> Path:
    """A migrated, seeded SQLite file that every script starts from (copied, never changed)."""
    path = directory / "template.sqlite3"
    upgrade(f"sqlite:///{path}").dispose()
    backend = open_backend(f"sqlite:///{path}")
    try:
        seed(backend.uow(), catalog)
    finally:
        backend.store.dispose()
    return path


@contextlib.contextmanager
def served_transport(store_url: str, scratch: Path) -> Iterator[Transport]:
    """`vcom serve` on the store with verification on; envelopes signed as Amazon signs them."""
    served = serve_skill(store_url, scratch, workers=1, threads=2)
    client = Client(served.base_url)

    def send(envelope: dict[str, Any]) -> dict[str, Any]:
        reply = client.post(SignedRequest.of(envelope))
        if reply.status != 200:
            raise RuntimeError(f"vcom serve answered HTTP {reply.status}: {reply.body[:200]!r}")
        return reply.json()

    try:
        yield send
    finally:
        client.close()
        served.stop()


def run_task(
    path: Path, template: Path, scratch: Path, model: InteractionModel,
    matcher: IntentMatcher, preset: str, catalog: CatalogSpec, *, served: bool = False,
) -> TaskOutcome:
    script = load_replay(path)
    # A file of its own per task: nothing (a WAL file, a lingering server) leaks between tasks.
    store_file = scratch / f"shop-{uuid.uuid4().hex}.sqlite3"
    shutil.copy(template, store_file)
    store_url = f"sqlite:///{store_file}"
    backend = open_backend(store_url)
    with contextlib.ExitStack() as stack:
        for suffix in ("", "-wal", "-shm"):
            stack.callback(Path(f"{store_file}{suffix}").unlink, missing_ok=True)
        stack.callback(backend.store.dispose)
        skill: CustomSkill | Transport = (
            stack.enter_context(served_transport(store_url, scratch)) if served
            else build_skill(backend, SkillSettings())
        )
        device = simulated_device(preset, model.locale)
        session = SimulatorSession(LocalConversation(skill, model, device), matcher)
        turns = fallbacks = 0
        failure = None
        for text, expectation in script.turns():
            turn = session.say(text)
            turns += 1
            fallbacks += turn.intent == FALLBACK
            if failure is not None or expectation is None:
                continue
            state = (
                read_store_state(backend, (device.device_id, device.user_id))
                if expectation.checks_store else None
            )
            problems = [f"{m.field} {m.actual}" for m in check_turn(expectation, turn, state)]
            if problems:
                failure = (f"turn {turns} {text!r} -> {turn.intent}: {'; '.join(problems)}"
                           f" | said: {turn.reply.speech[:100]}")
        return TaskOutcome(path.parent.name, path.stem, turns, fallbacks, failure)
    raise AssertionError("unreachable")  # ExitStack does not swallow exceptions


def sample(scripts: Sequence[Path], count: int) -> list[Path]:
    """`count` scripts spread evenly over the sorted corpus, so every behaviour is visited."""
    if count >= len(scripts):
        return list(scripts)
    step = len(scripts) / count
    return [scripts[int(index * step)] for index in range(count)]


def write_known_failures(path: Path, outcomes: Sequence[TaskOutcome]) -> None:
    failing = [o for o in outcomes if not o.done]
    lines = [
        "# Corpus tasks the skill does not yet do as meant, with the first check that fails.",
        "# tests/dialogs/test_corpus_replays.py holds the skill to this list both ways; after a",
        "# change, rewrite it with: python bench/dialog_tasks.py --write-known-failures FILE",
        *(f"{o.behaviour}/{o.name}  # {o.failure.split(' | ')[0]}" for o in failing
          if o.failure is not None),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(failing)} known failures to {path}")


def read_known_failures(path: Path) -> frozenset[str]:
    names = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return frozenset(name for name in names if name)


def print_table(outcomes: Sequence[TaskOutcome]) -> None:
    print(f"{'behaviour':<20} {'tasks':>5} {'done as meant':>14} {'fallback turns':>15} "
          f"{'turns/task':>10}")
    groups: dict[str, list[TaskOutcome]] = {}
    for outcome in outcomes:
        groups.setdefault(outcome.behaviour, []).append(outcome)
    for behaviour, rows in [*sorted(groups.items()), ("all", list(outcomes))]:
        done = sum(row.done for row in rows)
        turns = sum(row.turns for row in rows)
        fallbacks = sum(row.fallbacks for row in rows)
        print(f"{behaviour:<20} {len(rows):>5} {f'{done} ({done / len(rows):.0%})':>14} "
              f"{f'{fallbacks / max(turns, 1):.1%}':>15} {turns / len(rows):>10.1f}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS,
                        help="folder of <behaviour>/<script>.json [default: tests/dialogs/corpus]")
    parser.add_argument("--behaviour", action="append", default=[],
                        help="only this behaviour folder (repeatable)")
    parser.add_argument("--device", choices=list(PRESETS), default=DEFAULT_PRESET)
    parser.add_argument("--model", type=Path, default=None,
                        help="interaction model [default: interaction_models/en-US.json]")
    parser.add_argument("--misses", action="store_true",
                        help="list each task not done as meant, with its first failed check")
    parser.add_argument("--served", type=int, default=0, metavar="N",
                        help="also replay N scripts through `vcom serve` with verification on")
    parser.add_argument("--write-known-failures", type=Path, default=None, metavar="FILE",
                        help="write the tasks not done as meant to FILE (the list "
                             "tests/dialogs/test_corpus_replays.py holds the skill to)")
    arguments = parser.parse_args(argv)
    scripts = sorted(arguments.corpus.glob("*/*.json"))
    if arguments.behaviour:
        scripts = [s for s in scripts if s.parent.name in arguments.behaviour]
    if not scripts:
        sys.exit(f"no scripts under {arguments.corpus}")
    model = load_interaction_model(arguments.model or ROOT / "interaction_models" / "en-US.json")
    matcher = IntentMatcher(model)
    catalog = load_catalog()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="vcom-dialog-tasks-") as scratch:
        template = seeded_template(Path(scratch), catalog)
        outcomes = [
            run_task(path, template, Path(scratch), model, matcher, arguments.device, catalog)
            for path in scripts
        ]
        print(f"{len(outcomes)} tasks from {arguments.corpus}, device {arguments.device}, "
              f"{time.perf_counter() - started:.0f} s")
        print_table(outcomes)
        if arguments.misses:
            for outcome in outcomes:
                if not outcome.done:
                    print(f"  {outcome.behaviour}/{outcome.name}: {outcome.failure}")
        if arguments.write_known_failures:
            write_known_failures(arguments.write_known_failures, outcomes)
        if arguments.served:
            in_process = {(o.behaviour, o.name): o for o in outcomes}
            started = time.perf_counter()
            served = [
                run_task(path, template, Path(scratch), model, matcher, arguments.device,
                         catalog, served=True)
                for path in sample(scripts, arguments.served)
            ]
            differ = [o for o in served
                      if o.failed_turn != in_process[(o.behaviour, o.name)].failed_turn]
            print(f"\nover HTTP, vcom serve with verification on: {len(served)} tasks, "
                  f"{sum(o.done for o in served)} done as meant, {len(served) - len(differ)} "
                  f"ended as in-process, {time.perf_counter() - started:.0f} s")
            for outcome in differ:
                print(f"  DIFFERS {outcome.behaviour}/{outcome.name}: served {outcome.failure}; "
                      f"in-process {in_process[(outcome.behaviour, outcome.name)].failure}")


if __name__ == "__main__":
    main()
