"""A whole checkout guarded by a voice code, logged at DEBUG: no code, signature or token in it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from backend.persistence.models import Customer, Device
from backend.services import customers
from backend.unit_of_work import UnitOfWork
from tests.hostile.conftest import Endpoint
from tests.support.http_server import serve_wsgi
from tests.support.load import (
    Client,
    Household,
    SignedRequest,
    prepare_store,
    serve_skill,
)

CODE = "4719"
API_TOKEN = "vcom-test-api-access-token"  # what tests.support.alexa_signing puts in every request


def checkout_with_code(
    base_url: str, household: Household, protect: Callable[[], None]
) -> list[str]:
    """Runs the purchase; returns every secret that crossed the wire (code, signatures, token)."""
    client = Client(base_url)
    secrets = [CODE, API_TOKEN]
    speeches = []
    client.post(SignedRequest.of(household.read_cart()))  # the household exists from here
    protect()
    turns: list[Callable[[], dict[str, Any]]] = [
        lambda: household.add("GRO-OATMILK", "oat milk", 2),
        household.checkout,
        household.confirm_checkout,  # built when sent: it carries the checkout's attributes
        lambda: household.voice_code(CODE),
    ]
    for turn in turns:
        request = SignedRequest.of(turn())
        reply = client.post(request)
        household.remember(reply)
        speeches.append(reply.speech)
        secrets.append(request.headers["Signature-256"])
    assert speeches[2] == "Please say your four digit voice code."
    assert speeches[3].startswith("Done! Your order number is")
    return secrets


def set_code_for(backend_uow: Callable[[], UnitOfWork], user_id: str) -> None:
    with backend_uow() as uow:
        device = uow.session.query(Device).filter_by(external_id=user_id).one()
        customer_id = device.customer_id
    customers.set_voice_code(backend_uow(), customer_id, CODE)
    with backend_uow() as uow:
        hashed = uow.session.get(Customer, customer_id).voice_code_hash
    assert hashed and CODE not in hashed


def test_app_logs_at_debug_hold_no_voice_code_signature_or_token(
    endpoint: Endpoint, caplog: pytest.LogCaptureFixture
) -> None:
    household = Household.numbered(3)
    caplog.set_level(logging.DEBUG)
    with serve_wsgi(endpoint.client.application) as base_url:
        secrets = checkout_with_code(
            base_url, household, lambda: set_code_for(endpoint.backend.uow, household.user_id)
        )
    text = "\n".join(
        f"{record.name} {record.getMessage()} {record.exc_text or ''}" for record in caplog.records
    )
    assert "VoiceCodeIntent" in text  # the turn with the code was logged
    for secret in secrets:
        assert secret not in text


@pytest.mark.slow
def test_the_served_log_at_debug_holds_no_voice_code_signature_or_token(tmp_path: Path) -> None:
    from backend.runtime import open_backend

    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    prepare_store(url)
    backend = open_backend(url)
    household = Household.numbered(4)
    served = serve_skill(url, tmp_path, extra_env={"VCOM_LOG_LEVEL": "debug"})
    try:
        secrets = checkout_with_code(
            served.base_url, household, lambda: set_code_for(backend.uow, household.user_id)
        )
    finally:
        served.stop()
        backend.store.dispose()
    log = served.log()
    assert "POST /alexa" in log or "alexa" in log.lower()  # debug logging did record requests
    for secret in secrets:
        assert secret not in log
