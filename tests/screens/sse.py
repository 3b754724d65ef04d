"""A small Server-Sent Events client over `requests`, for reading streams in tests."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import requests


@dataclass(frozen=True)
class Message:
    id: int | None
    event: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Read:
    messages: tuple[Message, ...]
    comments: tuple[str, ...]
    ended: bool  # the server closed the stream


def _messages(response: requests.Response, comments: list[str]) -> Iterator[Message]:
    fields: dict[str, str] = {}
    for raw in response.iter_lines(decode_unicode=True):
        line = raw or ""
        if not line:
            if "data" in fields:
                yield Message(
                    int(fields["id"]) if "id" in fields else None,
                    fields.get("event", "message"),
                    json.loads(fields["data"]),
                )
            fields = {}
        elif line.startswith(":"):
            comments.append(line[1:].strip())
        else:
            name, _, value = line.partition(":")
            fields[name] = value.removeprefix(" ")


def read_events(
    url: str,
    *,
    count: int | None = None,
    seconds: float = 5.0,
    last_event_id: int | None = None,
    browser: requests.Session | None = None,
) -> Read:
    """Reads until `count` messages arrived, the server closed the stream, or `seconds` passed."""
    headers = {"Accept": "text/event-stream"}
    if last_event_id is not None:
        headers["Last-Event-ID"] = str(last_event_id)
    comments: list[str] = []
    got: list[Message] = []
    deadline = time.monotonic() + seconds
    ended = False
    # The read timeout bounds each wait for a line; heartbeats and poll ends keep lines coming.
    get = browser.get if browser is not None else requests.get
    with get(url, headers=headers, stream=True, timeout=(5, seconds)) as response:
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"].startswith("text/event-stream")
        try:
            for message in _messages(response, comments):
                got.append(message)
                if (count is not None and len(got) >= count) or time.monotonic() > deadline:
                    break
            else:
                ended = True
        except requests.exceptions.ConnectionError:  # read timed out: nothing more came
            pass
    return Read(tuple(got), tuple(comments), ended)
