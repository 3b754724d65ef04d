"""Records every turn for conversation analytics: what kind of request, how it ended, how long
it took, whether it filled the cart or placed an order.

Never recorded: audio, transcripts, slot values (the voice code is one), tokens or user ids.
Each turn is written by one statement of its own once the answer is ready; if writing fails,
the customer still gets the answer and the failure is logged as one warning. Whether the turn
changed the cart or placed an order comes from the screen events its units of work committed
(backend/committed_events.py), not from reading the store again.

Three pieces, registered in skill/builder.py: `TurnLogStart` (a request interceptor after the
customer is known), `TurnLogFinish` (a response interceptor) and `TurnLogErrors` (the first
exception handler: ask-sdk skips response interceptors when a handler raises, so it records the
turn and then declines, leaving the answer to the real exception handlers).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from ask_sdk_core.dispatch_components import (
    AbstractExceptionHandler,
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_device_id, get_intent_name, get_request_type
from ask_sdk_model import Response
from ask_sdk_runtime.exceptions import DispatchException

from backend.analytics.recording import TurnFacts, record_turn
from backend.clock import utcnow
from backend.committed_events import Collector, start_collecting, stop_collecting
from backend.errors import DomainError, StoreError
from backend.persistence.models import TurnOutcome
from backend.runtime import Backend
from skill.dialog.state import QUESTION_KEY, Awaiting, Question
from skill.interceptors import STARTED_KEY
from skill.slots import UnusableSlot
from skill.turn import TURN_KEY, Turn

log = logging.getLogger("skill.turn_log")
START_KEY = "vcom.turn_log.start"
LOGGED_KEY = "vcom.turn_log.logged"
FALLBACK_INTENT = "AMAZON.FallbackIntent"
SESSION_ENDED = "SessionEndedRequest"


@dataclass(frozen=True)
class TurnStart:
    at: datetime
    started: float  # time.perf_counter() when the first interceptor ran
    changes: Collector | None  # what the turn's units of work commit


def _start(handler_input: HandlerInput, changes: Collector | None) -> TurnStart:
    # Measured from the first interceptor: finding the customer is part of the answer's time.
    now = time.perf_counter()
    first = handler_input.attributes_manager.request_attributes.get(STARTED_KEY)
    started = first if isinstance(first, float) else now
    return TurnStart(utcnow() - timedelta(seconds=now - started), started, changes)


class TurnLogStart(AbstractRequestInterceptor):
    """Notes when the turn began and starts collecting what it commits."""

    def process(self, handler_input: HandlerInput) -> None:
        attributes = handler_input.attributes_manager.request_attributes
        attributes[START_KEY] = _start(handler_input, start_collecting())


class TurnLogFinish(AbstractResponseInterceptor):
    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        record(
            self._backend,
            handler_input,
            response_outcome(handler_input, response),
            confirmation_asked=_purchase_pending(handler_input),
        )


class TurnLogErrors(AbstractExceptionHandler):
    """Records a turn that ended in an exception, then declines so the real handlers answer."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        record(self._backend, handler_input, exception_outcome(exception))
        return False

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        raise RuntimeError("TurnLogErrors only records; it never answers") from exception


def response_outcome(handler_input: HandlerInput, response: Response | None) -> TurnOutcome:
    request_type = get_request_type(handler_input)
    if request_type == SESSION_ENDED:
        return TurnOutcome.ENDED
    if request_type == "IntentRequest" and get_intent_name(handler_input) == FALLBACK_INTENT:
        return TurnOutcome.FALLBACK
    if response is not None and response.should_end_session:
        return TurnOutcome.ENDED  # becomes order_placed when the turn placed one
    return TurnOutcome.ANSWERED


def exception_outcome(exception: Exception) -> TurnOutcome:
    if isinstance(exception, UnusableSlot):
        return TurnOutcome.FALLBACK  # answered with "I didn't get that"
    if isinstance(exception, DispatchException) and str(exception).startswith(
        "Unable to find a suitable request handler"
    ):
        return TurnOutcome.FALLBACK  # an intent this skill does not know
    if isinstance(exception, StoreError):
        return TurnOutcome.ERROR
    if isinstance(exception, DomainError):
        return TurnOutcome.REFUSED
    return TurnOutcome.ERROR


def record(
    backend: Backend,
    handler_input: HandlerInput,
    outcome: TurnOutcome,
    *,
    confirmation_asked: bool = False,
) -> None:
    """Writes the turn once; any failure is logged and swallowed."""
    attributes = handler_input.attributes_manager.request_attributes
    if attributes.get(LOGGED_KEY):
        return  # a later interceptor raised after this turn was already recorded
    attributes[LOGGED_KEY] = True
    start = attributes.get(START_KEY)
    try:
        record_turn(backend.single_statement(), _facts(handler_input, outcome, confirmation_asked))
    except Exception as error:
        # The class only: driver messages can quote the statement and its parameters.
        log.warning("could not record the turn for analytics (%s)", type(error).__name__)
    finally:
        if isinstance(start, TurnStart) and start.changes is not None:
            stop_collecting(start.changes)


def _facts(
    handler_input: HandlerInput, outcome: TurnOutcome, confirmation_asked: bool
) -> TurnFacts:
    attributes = handler_input.attributes_manager.request_attributes
    envelope = handler_input.request_envelope
    start = attributes.get(START_KEY)
    if not isinstance(start, TurnStart):
        start = _start(handler_input, None)  # it failed before TurnLogStart ran (store down?)
    events = start.changes.events if start.changes is not None else []
    carts = [e.payload["cart"] for e in events if e.kind == "cart_updated"]
    current = attributes.get(TURN_KEY)
    request_type = get_request_type(handler_input)
    session = envelope.session
    session_id = session.session_id if session is not None and session.session_id else None
    return TurnFacts(
        at=start.at,
        session_id=session_id or f"request:{envelope.request.request_id}",
        customer_id=current.customer.id if isinstance(current, Turn) else None,
        device_id=current.device_id if isinstance(current, Turn) else _device_id(handler_input),
        request_type=request_type,
        intent=get_intent_name(handler_input) if request_type == "IntentRequest" else None,
        outcome=outcome,
        duration_ms=round((time.perf_counter() - start.started) * 1000),
        confirmation_asked=confirmation_asked,
        cart_items=sum(line["quantity"] for line in carts[-1]["lines"]) if carts else None,
        order_placed=any(e.kind == "order_placed" for e in events),
    )


def _purchase_pending(handler_input: HandlerInput) -> bool:
    # Read from the session as the response leaves it, not from this turn's cached state.
    session = handler_input.attributes_manager.session_attributes
    question = Question.from_session(session.get(QUESTION_KEY))
    return question is not None and question.awaiting == Awaiting.PURCHASE


def _device_id(handler_input: HandlerInput) -> str | None:
    try:
        return get_device_id(handler_input)
    except AttributeError:
        return None
