"""Assembles the skill: every handler, interceptor and exception handler, in priority order."""

from __future__ import annotations

from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import SkillBuilder

from backend.runtime import Backend
from skill.handlers.cart import (
    AddToCartIntentHandler,
    ChooseProductHandler,
    ReadCartIntentHandler,
    RemoveFromCartIntentHandler,
)
from skill.handlers.checkout import (
    CheckoutIntentHandler,
    NoToPurchaseHandler,
    UnexpectedYesNoHandler,
    VoiceCodeIntentHandler,
    YesToPurchaseHandler,
)
from skill.handlers.errors import CatchAllExceptionHandler, DomainErrorHandler
from skill.handlers.orders import (
    CancelOrderIntentHandler,
    OrderStatusIntentHandler,
    YesNoToCancelHandler,
)
from skill.handlers.pairing import PairScreenIntentHandler
from skill.handlers.reorder import ReorderIntentHandler
from skill.handlers.session import (
    FallbackIntentHandler,
    HelpIntentHandler,
    LaunchRequestHandler,
    NavigateHomeIntentHandler,
    SessionEndedRequestHandler,
    StopIntentHandler,
)
from skill.interceptors import (
    RequestLoggingInterceptor,
    ResponseLoggingInterceptor,
    TurnInterceptor,
)
from skill.serializer import EnvelopeSerializer
from skill.settings import SkillSettings
from skill.turn_log import TurnLogErrors, TurnLogFinish, TurnLogStart


def build_skill(backend: Backend, settings: SkillSettings | None = None) -> CustomSkill:
    settings = settings or SkillSettings()
    builder = SkillBuilder()
    builder.skill_id = settings.skill_id
    # Yes/No handlers that depend on an open question come before the generic ones.
    for handler in (
        LaunchRequestHandler(),
        AddToCartIntentHandler(),
        ChooseProductHandler(),
        RemoveFromCartIntentHandler(),
        ReadCartIntentHandler(),
        CheckoutIntentHandler(),
        YesToPurchaseHandler(),
        NoToPurchaseHandler(),
        VoiceCodeIntentHandler(),
        ReorderIntentHandler(),
        OrderStatusIntentHandler(),
        CancelOrderIntentHandler(),
        YesNoToCancelHandler(),
        PairScreenIntentHandler(),
        UnexpectedYesNoHandler(),
        HelpIntentHandler(),
        StopIntentHandler(),
        NavigateHomeIntentHandler(),
        FallbackIntentHandler(),
        SessionEndedRequestHandler(),
    ):
        builder.add_request_handler(handler)
    builder.add_global_request_interceptor(RequestLoggingInterceptor())
    builder.add_global_request_interceptor(TurnInterceptor(backend, settings))
    builder.add_global_request_interceptor(TurnLogStart())
    builder.add_global_response_interceptor(ResponseLoggingInterceptor())
    builder.add_global_response_interceptor(TurnLogFinish(backend))
    builder.add_exception_handler(TurnLogErrors(backend))  # records the turn, then declines
    builder.add_exception_handler(DomainErrorHandler())
    builder.add_exception_handler(CatchAllExceptionHandler())
    skill = builder.create()
    skill.serializer = EnvelopeSerializer()
    return skill
