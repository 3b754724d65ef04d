"""Sending request envelopes to a running skill endpoint over HTTP instead of in-process."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

from voice_local.conversation import Transport

ALEXA_PATH = "/alexa"
UNSIGNED_REFUSED = (
    "The endpoint {url} refused the request (HTTP 400). The simulator cannot sign requests like "
    "Amazon does, so a verifying endpoint refuses them: talk to a development server started "
    "with `vcom serve --no-verify`."
)


class EndpointError(RuntimeError):
    """The endpoint cannot be reached or did not answer like an Alexa skill."""


def endpoint_url(url: str) -> str:
    """A bare http://host:port means the skill route of `vcom serve`."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise EndpointError(f"{url!r} is not an http(s) URL, e.g. http://127.0.0.1:8080/alexa")
    if parts.path in ("", "/"):
        parts = parts._replace(path=ALEXA_PATH)
    return urlunsplit(parts)


def http_transport(url: str, *, timeout_s: float = 10.0) -> Transport:
    target = endpoint_url(url)
    session = requests.Session()

    def send(envelope: dict[str, Any]) -> dict[str, Any]:
        try:
            reply = session.post(target, json=envelope, timeout=timeout_s)
        except requests.RequestException as exc:
            raise EndpointError(
                f"Cannot reach the skill endpoint {target} (is `vcom serve --no-verify` "
                f"running there?): {type(exc).__name__}"
            ) from exc
        if reply.status_code == 400:
            raise EndpointError(UNSIGNED_REFUSED.format(url=target))
        if reply.status_code != 200:
            raise EndpointError(
                f"The endpoint {target} answered HTTP {reply.status_code}: {reply.text[:200]}"
            )
        try:
            body = reply.json()
        except ValueError as exc:
            raise EndpointError(f"The endpoint {target} did not answer with JSON") from exc
        if not isinstance(body, dict):
            raise EndpointError(f"The endpoint {target} answered JSON that is not an object")
        return body

    return send
