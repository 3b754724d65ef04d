"""The kiosk: utterances in, the skill's answers out loud, and "your order is ready" announcements.

Each utterance runs speech to text → intent matcher → the skill's handlers (in-process, with a
standard Alexa envelope) → the synthesizer. From the microphone, frames go to the recognizer's
stream as they arrive (voice_local.stt.live): an engine that decodes during speech leaves only
its last step, the matcher and the skill between the endpoint and the answer. A second thread
follows the household's events in the store, so an order moved on by staff in another process
is announced here.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ask_sdk_core.skill import CustomSkill

from backend.errors import CustomerNotFound
from backend.events import SettledCursor
from backend.persistence.models import DeviceKind
from backend.runtime import Backend
from backend.services.customers import customer_for_device, find_by_device
from skill.speech import spell_order_number
from voice_local.audio import Audio, AudioInputError, UtteranceEvent
from voice_local.conversation import LocalConversation, SkillReply
from voice_local.envelopes_device import kiosk_device
from voice_local.nlu.matcher import IntentMatch, IntentMatcher
from voice_local.stt import HeardUtterance, SpeechToText, Transcript, transcribe_live
from voice_local.voice_output import VoiceOutput

log = logging.getLogger(__name__)
ANNOUNCED_STATUSES = {"ready": "is ready for pickup", "out_for_delivery": "is on its way"}


@dataclass(frozen=True)
class KioskTurn:
    source: str
    transcript: Transcript
    match: IntentMatch
    reply: SkillReply
    stt_ms: float  # recognizer time after the end of speech (a whole file: all of it)
    nlu_ms: float
    skill_ms: float

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
        voice: VoiceOutput,
        device_id: str,
        locale: str,
    ) -> None:
        self._backend = backend
        self._matcher = matcher
        self._stt = stt
        self._voice = voice
        self.device_id = device_id
        self.conversation = LocalConversation(skill, matcher.model, kiosk_device(device_id, locale))
        self._stop = threading.Event()
        self._announcer: threading.Thread | None = None

    def hear(self, audio: Audio) -> KioskTurn:
        """A whole clip (a file): all of its decoding comes after its end."""
        transcript = self._stt.transcribe(audio)
        return self._answer(audio.source, transcript, stt_s=transcript.elapsed_s)

    def answer(self, heard: HeardUtterance) -> KioskTurn:
        """An utterance decoded as it was spoken: only finish() came after its end."""
        return self._answer(heard.source, heard.transcript, stt_s=heard.transcript.finish_s)

    def _answer(self, source: str, transcript: Transcript, stt_s: float) -> KioskTurn:
        started = time.perf_counter()
        match = self._matcher.match(transcript.text)
        matched = time.perf_counter()
        reply = self.conversation.hear(match)
        answered = time.perf_counter()
        self._voice.speak(reply.speech)
        return KioskTurn(
            source=source,
            transcript=transcript,
            match=match,
            reply=reply,
            stt_ms=stt_s * 1000,
            nlu_ms=(matched - started) * 1000,
            skill_ms=(answered - matched) * 1000,
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

    def follow_orders(self, poll_seconds: float = 0.5) -> None:
        """Starts announcing this household's orders as they become ready."""
        try:
            customer = find_by_device(self._backend.reader(), self.device_id)
        except CustomerNotFound:  # an unlinked kiosk is a household of its own, as in the skill
            device = self.conversation.device
            customer = customer_for_device(
                self._backend.uow(), device.user_id, DeviceKind.ALEXA_USER
            )
        hub = self._backend.hub
        # Settled: on PostgreSQL an event can become visible before an earlier one commits.
        subscription = SettledCursor(hub, customer.id, hub.latest_id())

        def follow() -> None:
            while not self._stop.is_set():
                try:
                    events = subscription.poll(timeout=poll_seconds)
                except Exception:  # the store may be briefly unreachable: keep following
                    log.exception("could not read order events; retrying")
                    self._stop.wait(2)
                    continue
                for event in events:
                    order = event.payload.get("order") if event.kind == "order_status" else None
                    status = order.get("status") if isinstance(order, dict) else None
                    if status in ANNOUNCED_STATUSES:
                        number = spell_order_number(str(order["number"]))
                        self._voice.speak(
                            f"Order {number} {ANNOUNCED_STATUSES[status]}.", "announcement"
                        )

        self._announcer = threading.Thread(target=follow, name="order-announcer", daemon=True)
        self._announcer.start()

    def stop(self) -> None:
        self._stop.set()
        if self._announcer is not None:
            self._announcer.join(timeout=5)
