"""Fixtures for conversation analytics: the real skill talking to real stores, and the turn log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from backend.persistence.models import ConversationTurn
from backend.runtime import Backend
from skill.builder import build_skill
from skill.local import invoke
from tests.conftest import Shop
from tests.skill.conftest import Conversation

Talk = Callable[..., Conversation]


def start_talking(backend: Backend) -> Talk:
    skill = build_skill(backend)

    def start(**options: Any) -> Conversation:
        return Conversation(lambda envelope: invoke(skill, envelope), **options)

    return start


@pytest.fixture
def any_backend(shop: Shop) -> Backend:
    """A seeded backend on SQLite and on PostgreSQL."""
    return Backend(shop.store, shop.hub)


@pytest.fixture
def talk_anywhere(any_backend: Backend) -> Talk:
    return start_talking(any_backend)


@pytest.fixture
def sqlite_backend(sqlite_shop: Shop) -> Backend:
    return Backend(sqlite_shop.store, sqlite_shop.hub)


@pytest.fixture
def talk(sqlite_backend: Backend) -> Talk:
    return start_talking(sqlite_backend)


def logged_turns(backend: Backend) -> list[ConversationTurn]:
    with backend.reader() as uow:
        turns = list(uow.session.scalars(select(ConversationTurn).order_by(ConversationTurn.id)))
        uow.session.expunge_all()  # keep their loaded values after the read ends
        return turns
