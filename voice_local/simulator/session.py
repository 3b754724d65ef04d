"""A simulated conversation: typed (or synthesized and recognized) text → intent → the skill."""

from __future__ import annotations

import time
from types import MappingProxyType
from typing import TYPE_CHECKING

from voice_local.conversation import LocalConversation, is_launch_phrase
from voice_local.nlu.interaction_model import InteractionModel
from voice_local.nlu.matcher import IntentMatcher
from voice_local.simulator.turns import (
    LAUNCH_REQUEST,
    SimulatedTurn,
    StageTimings,
    screen_summaries,
)

if TYPE_CHECKING:  # the audio stack is imported only with --voice
    from voice_local.simulator.voice import VoiceInput


class SimulatorSession:
    def __init__(
        self,
        conversation: LocalConversation,
        matcher: IntentMatcher,
        voice: VoiceInput | None = None,
        *,
        shop_names: tuple[str, ...] = (),
    ) -> None:
        self._conversation = conversation
        self._shop_names = shop_names
        self._matcher = matcher
        self._voice = voice
        self._turns = 0

    @property
    def model(self) -> InteractionModel:
        return self._matcher.model

    def say(self, text: str) -> SimulatedTurn:
        self._turns += 1
        tts_ms = stt_ms = None
        heard = text
        transcript = None
        if self._voice is not None:
            spoken = self._voice.hear(text)
            transcript = heard = spoken.transcript.text
            tts_ms, stt_ms = spoken.tts_ms, spoken.transcript.elapsed_s * 1000
        started = time.perf_counter()
        launch = is_launch_phrase(heard, self.model, self._shop_names)
        match = None if launch else self._matcher.match(heard)
        nlu_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        reply = self._conversation.launch() if match is None else self._conversation.hear(match)
        skill_ms = (time.perf_counter() - started) * 1000
        return SimulatedTurn(
            number=self._turns,
            said=text,
            transcript=transcript,
            intent=LAUNCH_REQUEST if match is None else match.intent,
            slots=MappingProxyType({}) if match is None else match.slots,
            confidence=1.0 if match is None else match.confidence,
            sample=None if match is None else match.sample,
            reply=reply,
            screens=screen_summaries(reply.response),
            timings=StageTimings(nlu_ms=nlu_ms, skill_ms=skill_ms, tts_ms=tts_ms, stt_ms=stt_ms),
        )

    def new_session(self) -> None:
        """Ends the current session as a customer walking away would (SessionEndedRequest)."""
        self._conversation.end()
