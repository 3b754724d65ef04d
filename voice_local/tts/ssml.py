"""The skill's responses are SSML for Alexa; a local synthesizer needs the plain words."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

_TAG = re.compile(r"<[^>]+>")


def strip_ssml(ssml: str) -> str:
    """Plain text of an SSML string (or of plain text); whitespace collapsed."""
    try:
        root = ET.fromstring(ssml if ssml.lstrip().startswith("<speak") else f"<s>{ssml}</s>")
        text = " ".join(root.itertext())
    except ET.ParseError:  # not well-formed: fall back to dropping anything tag-shaped
        text = html.unescape(_TAG.sub(" ", ssml))
    return " ".join(text.split())
