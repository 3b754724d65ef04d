"""Dialog scripts in the ASK CLI `ask dialog --replay` format, plus optional expectations.

The ASK CLI file is {"skillId", "locale", "type": "text", "userInput": [...]} (newer CLIs add
"stage"). It says what the customer says and nothing about the answers, so we accept one more
key, "expected": a list aligned with "userInput" whose entries are
  - null: no check for that turn;
  - a string: the speech must contain it (case-insensitive), or match it as a regular
    expression when written between slashes, e.g. "/order number is A \\d/";
  - an object with any of "speech" (as above), "intent", "endsSession" (true/false),
    "slots" ({"product": "oat milk"}: each slot's resolved value, case-insensitive), and what
    the store holds after the turn: "cart" (every line: [{"product": "latte", "variant":
    "large", "quantity": 1}], "variant" left out for a product with one size; [] is empty),
    "total" (the cart's total in minor units), "orders" (how many orders the household has
    placed) and "order" (its latest order's lines, as "cart").
The ASK CLI ignores unknown keys, so the same file still replays against the real Alexa.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from voice_local.simulator.store_state import (
    ExpectedLine,
    StoreState,
    lines_match,
    show_lines,
)
from voice_local.simulator.turns import SimulatedTurn

QUIT = ".quit"


class ReplayFileError(ValueError):
    """The script is not a readable replay file; the message names the file and the problem."""


@dataclass(frozen=True)
class Expectation:
    speech: str | None = None
    intent: str | None = None
    ends_session: bool | None = None
    slots: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    cart: tuple[ExpectedLine, ...] | None = None
    total: int | None = None
    orders: int | None = None
    order: tuple[ExpectedLine, ...] | None = None

    @property
    def checks_store(self) -> bool:
        return any(v is not None for v in (self.cart, self.total, self.orders, self.order))


@dataclass(frozen=True)
class ReplayScript:
    path: Path
    locale: str | None
    skill_id: str | None
    stage: str | None
    user_input: tuple[str, ...]
    expected: tuple[Expectation | None, ...]  # as long as user_input

    def turns(self) -> list[tuple[str, Expectation | None]]:
        """The utterances to say, up to the ASK CLI's ".quit"; other dot-commands (".record")
        are the ASK CLI's own and are skipped."""
        said = []
        for text, expectation in zip(self.user_input, self.expected, strict=True):
            if text.strip() == QUIT:
                break
            if text.strip().startswith("."):
                continue
            said.append((text, expectation))
        return said


@dataclass(frozen=True)
class Mismatch:
    field: str
    expected: str
    actual: str


def load_replay(path: Path) -> ReplayScript:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReplayFileError(f"cannot read replay file {path}: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise ReplayFileError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ReplayFileError(f"{path}: a replay file is a JSON object with \"userInput\"")
    kind = data.get("type", "text")
    if kind != "text":
        raise ReplayFileError(f"{path}: only \"type\": \"text\" replay files exist, not {kind!r}")
    user_input = data.get("userInput")
    if not isinstance(user_input, list) or not all(isinstance(u, str) for u in user_input):
        raise ReplayFileError(f"{path}: \"userInput\" must be a list of strings")
    raw_expected = data.get("expected", [])
    if not isinstance(raw_expected, list):
        raise ReplayFileError(f"{path}: \"expected\" must be a list aligned with \"userInput\"")
    if len(raw_expected) > len(user_input):
        raise ReplayFileError(
            f"{path}: \"expected\" has {len(raw_expected)} entries for {len(user_input)} inputs"
        )
    expected = [
        _expectation(entry, path, index) for index, entry in enumerate(raw_expected, start=1)
    ]
    expected += [None] * (len(user_input) - len(expected))
    return ReplayScript(
        path=Path(path),
        locale=_optional_str(data, "locale", path),
        skill_id=_optional_str(data, "skillId", path),
        stage=_optional_str(data, "stage", path),
        user_input=tuple(user_input),
        expected=tuple(expected),
    )


def _optional_str(data: Mapping[str, Any], key: str, path: Path) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ReplayFileError(f"{path}: \"{key}\" must be a string")
    return value


def _expectation(entry: Any, path: Path, index: int) -> Expectation | None:
    where = f"{path}: expected[{index}]"
    if entry is None:
        return None
    if isinstance(entry, str):
        _check_pattern(entry, where)
        return Expectation(speech=entry)
    if not isinstance(entry, dict):
        raise ReplayFileError(f"{where} must be null, a string or an object")
    unknown = set(entry) - {"speech", "intent", "endsSession", "slots", *_STORE_KEYS}
    if unknown:
        raise ReplayFileError(
            f"{where} has unknown keys {sorted(unknown)}; use speech, intent, endsSession, "
            "slots, cart, total, orders, order"
        )
    speech, intent, ends = entry.get("speech"), entry.get("intent"), entry.get("endsSession")
    slots = entry.get("slots", {})
    if speech is not None and not isinstance(speech, str):
        raise ReplayFileError(f"{where}.speech must be a string")
    if intent is not None and not isinstance(intent, str):
        raise ReplayFileError(f"{where}.intent must be a string")
    if ends is not None and not isinstance(ends, bool):
        raise ReplayFileError(f"{where}.endsSession must be true or false")
    if not isinstance(slots, dict) or not all(isinstance(v, str) for v in slots.values()):
        raise ReplayFileError(f"{where}.slots must map slot names to values")
    if speech is not None:
        _check_pattern(speech, where)
    return Expectation(
        speech,
        intent,
        ends,
        MappingProxyType(dict(slots)),
        cart=_lines(entry.get("cart"), f"{where}.cart"),
        total=_count(entry.get("total"), f"{where}.total"),
        orders=_count(entry.get("orders"), f"{where}.orders"),
        order=_lines(entry.get("order"), f"{where}.order"),
    )


_STORE_KEYS = ("cart", "total", "orders", "order")


def _count(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ReplayFileError(f"{where} must be a whole number (minor units for a total)")
    return value


def _lines(value: Any, where: str) -> tuple[ExpectedLine, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise ReplayFileError(f"{where} must be a list of lines")
    lines = []
    for index, line in enumerate(value, start=1):
        if not isinstance(line, dict) or not isinstance(line.get("product"), str):
            raise ReplayFileError(f"{where}[{index}] needs a \"product\" name")
        variant = line.get("variant")
        if variant is not None and not isinstance(variant, str):
            raise ReplayFileError(f"{where}[{index}].variant must be a size name")
        quantity = _count(line.get("quantity"), f"{where}[{index}].quantity")
        if not quantity:
            raise ReplayFileError(f"{where}[{index}].quantity must be 1 or more")
        lines.append(ExpectedLine(line["product"], variant, quantity))
    return tuple(lines)


def _regex(pattern: str) -> str | None:
    return pattern[1:-1] if len(pattern) >= 2 and pattern[0] == pattern[-1] == "/" else None


def _check_pattern(pattern: str, where: str) -> None:
    regex = _regex(pattern)
    if regex is None:
        return
    try:
        re.compile(regex)
    except re.error as exc:
        raise ReplayFileError(f"{where}: bad regular expression {pattern!r}: {exc}") from exc


def speech_matches(pattern: str, speech: str) -> bool:
    regex = _regex(pattern)
    if regex is not None:
        return re.search(regex, speech, flags=re.IGNORECASE) is not None
    return pattern.casefold() in speech.casefold()


def check_turn(
    expectation: Expectation | None, turn: SimulatedTurn, store: StoreState | None = None
) -> tuple[Mismatch, ...]:
    """What does not hold; the store checks need `store` (the state after this turn)."""
    if expectation is None:
        return ()
    found = list(_store_mismatches(expectation, store)) if store is not None else []
    if expectation.speech is not None and not speech_matches(
        expectation.speech, turn.reply.speech
    ):
        found.append(Mismatch("speech", expectation.speech, turn.reply.speech))
    if expectation.intent is not None and expectation.intent != turn.intent:
        found.append(Mismatch("intent", expectation.intent, turn.intent))
    if (
        expectation.ends_session is not None
        and expectation.ends_session != turn.reply.ends_session
    ):
        found.append(
            Mismatch("endsSession", str(expectation.ends_session), str(turn.reply.ends_session))
        )
    for name, value in expectation.slots.items():
        heard = turn.slots.get(name)
        actual = heard.value if heard is not None else "(empty)"
        if heard is None or actual.casefold() != value.casefold():
            found.append(Mismatch(f"slots.{name}", value, actual))
    return tuple(found)


def _store_mismatches(expectation: Expectation, store: StoreState) -> list[Mismatch]:
    found = []
    if expectation.cart is not None and not lines_match(expectation.cart, store.cart):
        found.append(Mismatch("cart", _show_expected(expectation.cart), show_lines(store.cart)))
    if expectation.total is not None and expectation.total != store.total_minor:
        found.append(Mismatch("total", str(expectation.total), str(store.total_minor)))
    if expectation.orders is not None and expectation.orders != store.orders:
        found.append(Mismatch("orders", str(expectation.orders), str(store.orders)))
    if expectation.order is not None and not lines_match(expectation.order, store.latest_order):
        found.append(
            Mismatch("order", _show_expected(expectation.order), show_lines(store.latest_order))
        )
    return found


def _show_expected(lines: tuple[ExpectedLine, ...]) -> str:
    return "[" + ", ".join(
        f"{line.quantity} {line.product}" + (f" ({line.variant})" if line.variant else "")
        for line in lines
    ) + "]"
