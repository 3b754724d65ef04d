"""Assembles the skill: every handler, interceptor and exception handler, in priority order."""

from __future__ import annotations

from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import SkillBuilder

from backend.runtime import Backend
from skill.dialog.routing import QuestionRouter
from skill.handlers.answers import AnswerHandler
from skill.handlers.cart import (
    AddToCartIntentHandler,
    ClearCartIntentHandler,
    FinishedIntentHandler,
    OneMoreIntentHandler,
    ReadCartIntentHandler,
    RemoveFromCartIntentHandler,
    SetQuantityIntentHandler,
)
from skill.handlers.checkout import (
    CheckoutIntentHandler,
    UnexpectedYesNoHandler,
    VoiceCodeIntentHandler,
)
from skill.handlers.errors import CatchAllExceptionHandler, DomainErrorHandler
from skill.handlers.orders import CancelOrderIntentHandler, OrderStatusIntentHandler
from skill.handlers.pairing import PairScreenIntentHandler
from skill.handlers.reorder import LastOrderIntentHandler, ReorderIntentHandler
from skill.handlers.session import (
    FallbackIntentHandler,
    HelpIntentHandler,
    LaunchRequestHandler,
    NavigateHomeIntentHandler,
    SessionEndedRequestHandler,
    StopIntentHandler,
)
from skill.handlers.shop import (
    AvailabilityIntentHandler,
    CategoryIntentHandler,
    PriceIntentHandler,
    ProductOptionsIntentHandler,
    RecommendIntentHandler,
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
    # The answer to an open question goes first; the router (an interceptor) decided it is one.
    # Every other handler serves exactly one intent, so their order does not matter.
    for handler in (
        AnswerHandler(),
        LaunchRequestHandler(),
        AddToCartIntentHandler(),
        RemoveFromCartIntentHandler(),
        SetQuantityIntentHandler(),
        OneMoreIntentHandler(),
        ClearCartIntentHandler(),
        ReadCartIntentHandler(),
        FinishedIntentHandler(),
        CheckoutIntentHandler(),
        VoiceCodeIntentHandler(),
        ReorderIntentHandler(),
        LastOrderIntentHandler(),
        OrderStatusIntentHandler(),
        CancelOrderIntentHandler(),
        PriceIntentHandler(),
        AvailabilityIntentHandler(),
        ProductOptionsIntentHandler(),
        CategoryIntentHandler(),
        RecommendIntentHandler(),
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
    builder.add_global_request_interceptor(QuestionRouter())
    builder.add_global_response_interceptor(ResponseLoggingInterceptor())
    builder.add_global_response_interceptor(TurnLogFinish(backend))
    builder.add_exception_handler(TurnLogErrors(backend))  # records the turn, then declines
    builder.add_exception_handler(DomainErrorHandler())
    builder.add_exception_handler(CatchAllExceptionHandler())
    skill = builder.create()
    skill.serializer = EnvelopeSerializer()
    return skill
