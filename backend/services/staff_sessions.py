"""Staff sign-in sessions kept in the store, so that signing out ends one everywhere."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select

from backend.clock import utcnow
from backend.persistence.models import StaffSession
from backend.unit_of_work import UnitOfWork

SESSION_LIFETIME = timedelta(hours=12)


def _id(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def start_session(uow: UnitOfWork, lifetime: timedelta = SESSION_LIFETIME) -> str:
    """A new session; returns the secret for the cookie (the store keeps only its hash)."""
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    with uow:
        uow.session.execute(delete(StaffSession).where(StaffSession.expires_at <= now))
        uow.session.add(StaffSession(id=_id(secret), created_at=now, expires_at=now + lifetime))
        uow.commit()
    return secret


def session_active(uow: UnitOfWork, secret: str) -> bool:
    with uow:
        expires_at = uow.session.scalar(
            select(StaffSession.expires_at).where(StaffSession.id == _id(secret))
        )
        return expires_at is not None and expires_at > utcnow()


def end_session(uow: UnitOfWork, secret: str) -> None:
    with uow:
        uow.session.execute(delete(StaffSession).where(StaffSession.id == _id(secret)))
        uow.commit()
