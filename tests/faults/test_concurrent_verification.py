"""The first requests after a start arrive together: every one is verified, none crashes."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from backend.runtime import Backend
from skill.web import create_app
from tests.conftest import Shop
from tests.support.alexa_signing import shared_signer
from tests.support.http_server import serve_wsgi
from tests.support.load import Client, Household, SignedRequest

AT_ONCE = 16


def test_concurrent_first_requests_are_all_verified_and_answered(sqlite_shop: Shop) -> None:
    app = create_app(
        Backend(sqlite_shop.store, sqlite_shop.hub),
        verification=shared_signer().verification_settings(),
    )
    requests = [SignedRequest.of(Household.numbered(i).read_cart()) for i in range(AT_ONCE)]
    start = threading.Barrier(AT_ONCE)
    with serve_wsgi(app) as base_url:

        def send(request: SignedRequest) -> int:
            client = Client(base_url)
            start.wait(timeout=30)
            return client.post(request).status

        with ThreadPoolExecutor(AT_ONCE) as pool:
            statuses = list(pool.map(send, requests))
    assert statuses == [200] * AT_ONCE
