"""The kiosk: utterances in, the skill's answers out loud, and "your order is ready" announcements.

Each utterance runs speech to text → intent matcher → the skill's handlers (in-process, with a
standard Alexa envelope) → the synthesizer. From the microphone, frames go to the recognizer's
stream as they arrive (voice_local.stt.live): an engine that decodes during speech leaves only
its last step, the matcher and the skill between the endpoint and the answer.

The kiosk serves one customer after another (voice_local.customer_sessions): each new customer
at an unlinked kiosk starts with an empty cart. A cart change heard with low confidence is
confirmed first (voice_local.change_confirmation). A second thread follows the store's events,
so an order placed here and moved on by staff in another process is announced out loud and on
the kiosk's screen; the same thread ends sessions whose customer walked away.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Protocol

from ask_sdk_core.skill import CustomSkill

from backend.events import SettledCursor
from backend.runtime import Backend
from backend.services.orders import placed_at_device
from backend.services.walk_ins import post_notice
from voice_local.audio import Audio, AudioInputError, UtteranceEvent
from voice_local.change_confirmation import DEFAULT_THRESHOLD, ChangeConfirmation
from voice_local.conversation import (
    LAUNCH_REQUEST,
    LocalConversation,
    SkillReply,
    is_launch_phrase,
)
from voice_local.customer_sessions import DEFAULT_IDLE_SECONDS, CustomerSessions, SessionChange
from voice_local.envelopes_device import kiosk_device
from voice_local.kiosk_strings import kiosk_text, spoken_order_number
from voice_local.nlu.matcher import IntentMatch, IntentMatcher
from voice_local.stt import HeardUtterance, SpeechToText, Transcript, transcribe_live

log = logging.getLogger(__name__)
# Order statuses announced at the kiosk, and their strings (voice_local.kiosk_strings).
ANNOUNCED_STATUSES = {"ready": "ready", "out_for_delivery": "out_for_delivery"}


class Speaks(Protocol):
    """What the kiosk needs of a voice: VoiceOutput, or anything that can speak."""

    def speak(self, text: str, kind: str = "answer") -> None: ...


@dataclass(frozen=True)
class KioskTurn:
    source: str
    transcript: Transcript
    match: IntentMatch
    reply: SkillReply | None  # None when the kiosk answered itself (a confirmation question)
    speech: str  # what the kiosk said
    customer_id: int
    stt_ms: float  # recognizer time after the end of speech (a whole file: all of it)
    nlu_ms: float
    skill_ms: float
    asked_to_confirm: bool = False

    @property
    def to_answer_ms(self) -> float:
        """End of speech (the endpoint, or a file read) to the answer handed to the synthesizer.

        Decoding done while the customer spoke is not in it; the endpointer's trailing silence
        (silence_ms) comes before it.
        """
        return self.stt_ms + self.nlu_ms + self.skill_ms


class Kiosk:
    def __init__(
        self,
        backend: Backend,
        skill: CustomSkill,
        matcher: IntentMatcher,
        stt: SpeechToText,
        voice: Speaks,
        device_id: str,
        locale: str,
        *,
        idle_seconds: float = DEFAULT_IDLE_SECONDS,
        confirm_below: float = DEFAULT_THRESHOLD,
        pickup_store: str | None = None,
        on_session: Callable[[SessionChange], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        shop_names: tuple[str, ...] = (),
    ) -> None:
        self._backend = backend
        self._shop_names = shop_names  # VCOM_SHOP_NAME: "open <it>" launches the skill too
        self._matcher = matcher
        self._stt = stt
        self._voice = voice
        self.device_id = device_id
        self.locale = locale
        self.conversation = LocalConversation(skill, matcher.model, kiosk_device(device_id, locale))
        self.sessions = CustomerSessions(
            backend,
            self.conversation,
            kiosk_id=device_id,
            idle_seconds=idle_seconds,
            pickup_store=pickup_store,
            clock=clock,
            on_change=self._session_changed(on_session),
        )
        self.confirmation = ChangeConfirmation(locale, confirm_below)
        self._stop = threading.Event()
        self._follower: threading.Thread | None = None

    def _session_changed(
        self, report: Callable[[SessionChange], None] | None
    ) -> Callable[[SessionChange], None]:
        def changed(change: SessionChange) -> None:
            if change.event == "ended":
                self.confirmation.forget()
            if report is not None:
                report(change)

        return changed

    def hear(self, audio: Audio) -> KioskTurn:
        """A whole clip (a file): all of its decoding comes after its end."""
        transcript = self._stt.transcribe(audio)
        return self._answer(audio.source, transcript, stt_s=transcript.elapsed_s)

    def answer(self, heard: HeardUtterance) -> KioskTurn:
        """An utterance decoded as it was spoken: only finish() came after its end."""
        return self._answer(heard.source, heard.transcript, stt_s=heard.transcript.finish_s)

    def _answer(self, source: str, transcript: Transcript, stt_s: float) -> KioskTurn:
        started = time.perf_counter()
        launch = is_launch_phrase(transcript.text, self._matcher.model, self._shop_names)
        match = (
            IntentMatch(LAUNCH_REQUEST, MappingProxyType({}), 1.0, transcript.text, None)
            if launch
            else self._matcher.match(transcript.text)
        )
        matched = time.perf_counter()
        with self.sessions.lock:
            customer = self.sessions.begin_turn()
            decision = self.confirmation.decide(transcript, match)
            if launch:  # "open corner shop": Alexa's LaunchRequest, here too
                reply: SkillReply | None = self.conversation.launch()
            else:
                reply = self.conversation.hear(decision.match) if decision.match else None
            speech = reply.speech if reply is not None else decision.speech or ""
            answered = time.perf_counter()
            self._voice.speak(speech)
            self.sessions.end_turn(decision.match.intent if decision.match else "")
        return KioskTurn(
            source=source,
            transcript=transcript,
            match=match,
            reply=reply,
            speech=speech,
            customer_id=customer.id,
            stt_ms=stt_s * 1000,
            nlu_ms=(matched - started) * 1000,
            skill_ms=(answered - matched) * 1000,
            asked_to_confirm=decision.asked,
        )

    def run(
        self,
        utterances: Iterable[Audio | HeardUtterance | AudioInputError],
        report: Callable[[KioskTurn | AudioInputError], None],
    ) -> int:
        """Answers each utterance; a bad one is reported and the loop goes on. Returns failures."""
        failures = 0
        for item in utterances:
            if self._stop.is_set():
                break
            if isinstance(item, AudioInputError):
                failures += 1
                report(item)
                continue
            report(self.answer(item) if isinstance(item, HeardUtterance) else self.hear(item))
        return failures

    def listen(
        self,
        events: Iterable[UtteranceEvent],
        report: Callable[[KioskTurn | AudioInputError], None],
    ) -> int:
        """The live loop: utterance events from the endpointer, decoded as they come."""
        return self.run(transcribe_live(events, self._stt), report)

    def follow_orders(self, poll_seconds: float = 0.5, *, announce: bool = True) -> None:
        """Starts the second thread: announces orders placed here as staff move them on (out
        loud and on the kiosk's screen), and ends sessions whose customer walked away."""
        hub = self._backend.hub
        # Settled: on PostgreSQL an event can become visible before an earlier one commits.
        subscription = SettledCursor(hub, None, hub.latest_id())

        def follow() -> None:
            while not self._stop.is_set():
                try:
                    self.sessions.expire_idle()
                    events = subscription.poll(timeout=poll_seconds) if announce else []
                    if not announce:
                        self._stop.wait(poll_seconds)
                    for event in events:
                        self._maybe_announce(event.kind, event.payload)
                except Exception:  # the store may be briefly unreachable: keep following
                    log.exception("could not follow the store's events; retrying")
                    self._stop.wait(2)

        self._follower = threading.Thread(target=follow, name="kiosk-follower", daemon=True)
        self._follower.start()

    def _maybe_announce(self, kind: str, payload: Mapping[str, Any]) -> None:
        order = payload.get("order") if kind == "order_status" else None
        if not isinstance(order, dict):
            return
        status = order.get("status")
        key = ANNOUNCED_STATUSES.get(str(status))
        if key is None:
            return
        number = str(order["number"])
        if placed_at_device(self._backend.reader(), number) != self.device_id:
            return  # placed elsewhere (at home, at another counter): not ours to call out
        said = spoken_order_number(self.locale, number)
        spoken = kiosk_text(self.locale, f"{key}_spoken", number=said)
        self._voice.speak(spoken, "announcement")
        shown = kiosk_text(self.locale, f"{key}_shown", number=number)
        post_notice(
            self._backend.uow(),
            self.device_id,
            {"text": shown, "order": number, "status": str(status)},
        )

    def stop(self) -> None:
        """Stops following and ends the open session (its customer is gone with the kiosk)."""
        self._stop.set()
        if self._follower is not None:
            self._follower.join(timeout=5)
        self.sessions.close()
