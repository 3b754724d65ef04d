"""Utterance events from the endpointer in, transcripts out, decoded while the customer speaks.

Each utterance gets its own stream: its frames (pre-roll first) are decoded as they arrive, so
at the endpoint only the recognizer's finish() is left between the speech and the transcript.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from voice_local.audio.endpointer import (
    UtteranceDropped,
    UtteranceEnded,
    UtteranceEvent,
    UtteranceFrame,
    UtteranceStarted,
)
from voice_local.stt.transcript import SpeechStream, SpeechToText, Transcript


@dataclass(frozen=True)
class HeardUtterance:
    source: str
    transcript: Transcript  # its finish_s is all the recognizer took after the endpoint


def transcribe_live(
    events: Iterable[UtteranceEvent], stt: SpeechToText
) -> Iterator[HeardUtterance]:
    """One transcript per ended utterance; dropped ones (coughs) cost no final decoding."""
    stream: SpeechStream | None = None
    for event in events:
        if isinstance(event, UtteranceStarted):
            if stream is not None:  # the segmenter never does this; a stray stream must not leak
                stream.cancel()
            stream = stt.open_stream()
        elif isinstance(event, UtteranceFrame):
            if stream is not None:
                stream.feed(event.samples)
        elif isinstance(event, UtteranceEnded):
            if stream is not None:
                yield HeardUtterance(event.audio.source, stream.finish())
            stream = None
        elif isinstance(event, UtteranceDropped):
            if stream is not None:
                stream.cancel()
            stream = None
