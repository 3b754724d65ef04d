"""The dialog state kept in the session, read back as untrusted input, and the rule that decides
whether a turn answers the open question."""

from __future__ import annotations

import pytest

from skill.dialog.replies import Reply, ReplyKind
from skill.dialog.routing import answers
from skill.dialog.state import (
    Awaiting,
    CartAction,
    ItemRequest,
    Memory,
    Question,
    Restore,
)

SIZE_OF_LATTE = Question(
    Awaiting.SIZE, CartAction.ADD, ItemRequest(spoken="latte", sku="COF-LATTE"),
    ("small", "medium", "large"),
)


def test_a_question_survives_the_round_trip_through_the_session() -> None:
    question = Question(
        Awaiting.PURCHASE, cart_version=7, restore=(Restore("GRO-OATMILK", "each", 0),),
        queue=(ItemRequest(spoken="croissant", quantity=2),),
    )
    assert Question.from_session(question.to_session()) == question


@pytest.mark.parametrize(
    "tampered",
    [
        {"awaiting": "quantity", "item": {"quantity": 2.5}},
        {"awaiting": "quantity", "item": {"quantity": True}},
        {"awaiting": "quantity", "item": {"quantity": "3"}},
        {"awaiting": "quantity", "item": {"quantity": 10**9}},
        {"awaiting": "purchase", "cart_version": -1},
        {"awaiting": "purchase", "restore": [["GRO-OATMILK", "each", 1.5]]},
        {"awaiting": "size", "item": {"spoken": "x" * 500}},
        {"awaiting": "teleport"},
        {"awaiting": "size", "queue": [{}] * 10},
        "purchase",
    ],
)
def test_a_tampered_question_reads_as_no_question(tampered: object) -> None:
    assert Question.from_session(tampered) is None


def test_a_tampered_memory_reads_as_nothing_remembered() -> None:
    assert Memory.from_session({"last_sku": 12}) == Memory()


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (Reply(ReplyKind.DETAILS, "AnswerIntent", ItemRequest(unit="large")), True),
        (Reply(ReplyKind.DETAILS, "SetQuantityIntent", ItemRequest(unit="large")), True),
        (Reply(ReplyKind.DETAILS, "AddToCartIntent", ItemRequest(unit="large", sku="COF-LATTE")),
         True),
        (Reply(ReplyKind.DETAILS, "AddToCartIntent", ItemRequest(spoken="croissant",
                                                                  sku="BAK-CROISSANT")), False),
        (Reply(ReplyKind.DETAILS, "AnswerIntent", ItemRequest(quantity=2)), False),
        (Reply(ReplyKind.NO, "AMAZON.NoIntent"), True),
        (Reply(ReplyKind.YES, "AMAZON.YesIntent"), False),
        (Reply(ReplyKind.OTHER, "ReadCartIntent"), False),
    ],
)
def test_what_answers_which_size(reply: Reply, expected: bool) -> None:
    assert answers(SIZE_OF_LATTE, reply) is expected


def test_a_bare_product_answers_a_removal_question_but_a_new_add_does_not() -> None:
    which = Question(Awaiting.PRODUCT_CHOICE, CartAction.REMOVE, ItemRequest(spoken="oak milk"),
                     ("GRO-OATMILK", "GRO-SOYMILK"))
    bare = Reply(ReplyKind.DETAILS, "AddToCartIntent", ItemRequest(spoken="soy milk"))
    with_count = Reply(ReplyKind.DETAILS, "AddToCartIntent",
                       ItemRequest(spoken="croissant", quantity=1))
    assert answers(which, bare)
    assert not answers(which, with_count)


@pytest.mark.parametrize("awaiting", [Awaiting.PURCHASE, Awaiting.CANCEL_ORDER,
                                      Awaiting.CLEAR_CART])
def test_confirmations_take_only_yes_or_no(awaiting: Awaiting) -> None:
    question = Question(awaiting)
    assert answers(question, Reply(ReplyKind.YES, "AMAZON.YesIntent"))
    assert answers(question, Reply(ReplyKind.NO, "AMAZON.NoIntent"))
    assert not answers(question, Reply(ReplyKind.DETAILS, "AddToCartIntent",
                                       ItemRequest(spoken="croissant")))


def test_a_voice_code_is_taken_from_a_plain_number_too() -> None:
    question = Question(Awaiting.VOICE_CODE, cart_version=3)
    assert answers(question, Reply(ReplyKind.CODE, "VoiceCodeIntent", code="4719"))
    assert answers(question, Reply(ReplyKind.DETAILS, "AnswerIntent", ItemRequest(quantity=4719)))
