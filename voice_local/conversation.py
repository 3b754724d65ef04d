"""A conversation with the skill in-process, as Alexa would hold it.

Besides carrying the session from turn to turn, this plays the part of Alexa's dialog manager
for confirmations: after the skill answers with Dialog.ConfirmIntent, a "yes" or "no" goes back
as that intent with confirmationStatus CONFIRMED or DENIED.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ask_sdk_core.skill import CustomSkill

from skill.envelopes import (
    Device,
    SessionState,
    SlotInput,
    envelope,
    intent_request,
    launch_request,
    session_ended_request,
)
from skill.local import invoke
from voice_local.nlu.interaction_model import InteractionModel
from voice_local.nlu.locales import locale_table
from voice_local.nlu.matcher import IntentMatch, IntentMatcher
from voice_local.nlu.text import tokenize

_TAGS = re.compile(r"<[^>]+>")
CONFIRMING = {"AMAZON.YesIntent": "CONFIRMED", "AMAZON.NoIntent": "DENIED"}
LAUNCH_REQUEST = "LaunchRequest"
# Slot types the skill resolves again itself when the words were not a listed value.
UNSURE_TYPES = frozenset({"PRODUCT"})


@dataclass(frozen=True)
class SkillReply:
    speech: str
    reprompt: str | None
    ends_session: bool
    directives: tuple[str, ...]
    card_title: str | None
    card_text: str | None
    session_attributes: dict[str, Any]
    request: dict[str, Any]
    response: dict[str, Any]


def plain_text(ssml: str) -> str:
    # The skill escapes values it puts into SSML ("&" → "&amp;"): undo that for the speaker.
    return html.unescape(" ".join(_TAGS.sub(" ", ssml).split()))


Transport = Callable[[dict[str, Any]], dict[str, Any]]


def is_launch_phrase(text: str, model: InteractionModel, names: tuple[str, ...] = ()) -> bool:
    """"open corner shop" (and "alexa, launch corner shop") with nothing after: a LaunchRequest,
    as Alexa sends when the invocation name comes without a request. `names`: what else the
    shop is called here (VCOM_SHOP_NAME), so a renamed shop opens by its own name too."""
    table = locale_table(model.locale)
    tokens = tokenize(text)
    while tokens and tokens[0] in table.wake_words:
        tokens = tokens[1:]
    if len(tokens) < 2 or tokens[0] not in table.launch_verbs:
        return False
    return any(tokens[1:] == tokenize(name) for name in (model.invocation_name, *names))


@dataclass(frozen=True)
class Heard:
    """One turn of text → intent → skill: the match (None for a launch phrase) and the reply."""

    match: IntentMatch | None
    reply: SkillReply


def in_process(skill: CustomSkill) -> Transport:
    return lambda sent: invoke(skill, sent)


class LocalConversation:
    def __init__(
        self, skill: CustomSkill | Transport, model: InteractionModel, device: Device
    ) -> None:
        """`skill`: the skill itself, or any function taking a request envelope to a response."""
        self._send_envelope: Transport = (
            in_process(skill) if isinstance(skill, CustomSkill) else skill
        )
        self._model = model
        self.device = device
        self.session = SessionState()
        self._confirming: dict[str, Any] | None = None  # the intent awaiting yes/no

    def launch(self) -> SkillReply:
        return self._send(launch_request())

    def respond(
        self, text: str, matcher: IntentMatcher, *, shop_names: tuple[str, ...] = ()
    ) -> Heard:
        """What the kiosk, the simulator and the benchmarks do with a line of text: a launch
        phrase opens the skill, anything else goes through the matcher into the skill."""
        if is_launch_phrase(text, self._model, shop_names):
            return Heard(None, self.launch())
        match = matcher.match(text)
        return Heard(match, self.hear(match))

    def hear(self, match: IntentMatch) -> SkillReply:
        confirmation = CONFIRMING.get(match.intent)
        if confirmation and self._confirming is not None:
            intent = self._confirming
            request = {
                "type": "IntentRequest",
                "dialogState": "IN_PROGRESS",
                "intent": {**intent, "confirmationStatus": confirmation},
            }
            return self._send(request)
        return self._send(intent_request(match.intent, self._slots(match)))

    def end(self) -> None:
        if not self.session.new:
            self._send(session_ended_request())
        self.session = SessionState()

    def _slots(self, match: IntentMatch) -> list[SlotInput]:
        try:
            types = {slot.name: slot.type for slot in self._model.intent(match.intent).slots}
        except KeyError:
            types = {}
        slots = []
        for name in dict.fromkeys([*types, *match.slots]):
            heard = match.slots.get(name)
            if heard is None:
                slots.append(SlotInput(name))
            elif heard.id is not None and not heard.exact and types.get(name) in UNSURE_TYPES:
                # As Alexa does with a near miss (ER_SUCCESS_NO_MATCH): the words, no id, so the
                # skill decides between asking "did you mean…" and taking its own best match.
                slots.append(SlotInput(name, heard.spoken))
            elif heard.id is not None:
                slots.append(SlotInput(name, heard.spoken, heard.id, heard.value))
            else:
                slots.append(SlotInput(name, heard.value))
        return slots

    def _send(self, request: dict[str, Any]) -> SkillReply:
        sent = envelope(self.device, self.session, request)
        response = self._send_envelope(sent)
        body = response.get("response") or {}
        directives = body.get("directives") or []
        self._confirming = next(
            (d["updatedIntent"] for d in directives if d.get("type") == "Dialog.ConfirmIntent"),
            None,
        )
        ends = bool(body.get("shouldEndSession"))
        attributes = response.get("sessionAttributes") or {}
        if ends:
            self.session = SessionState()
        else:
            self.session.attributes = attributes
            self.session.new = False
        card = body.get("card") or {}
        reprompt = ((body.get("reprompt") or {}).get("outputSpeech") or {}).get("ssml")
        return SkillReply(
            speech=plain_text((body.get("outputSpeech") or {}).get("ssml", "")),
            reprompt=plain_text(reprompt) if reprompt else None,
            ends_session=ends,
            directives=tuple(d.get("type", "") for d in directives),
            card_title=card.get("title"),
            card_text=card.get("content"),
            session_attributes=attributes,
            request=sent,
            response=response,
        )
