"""A JSGF grammar for pocketsphinx from a SpeechGrammar: one rule per intent and per slot type."""

from __future__ import annotations

import re

from voice_local.stt.speech_grammar import SlotRef, SpeechGrammar

ROOT_RULE = "command"


def rule_name(name: str) -> str:
    return re.sub(r"\W", "_", name)


def to_jsgf(grammar: SpeechGrammar, name: str = "voicecommerce") -> str:
    lines = ["#JSGF V1.0;", f"grammar {name};"]
    intents = list(dict.fromkeys(t.intent for t in grammar.templates))
    if not intents:
        raise ValueError("the grammar has no sample the recognizer can say")
    alternatives = " | ".join(f"<intent_{rule_name(intent)}>" for intent in intents)
    lines.append(f"public <{ROOT_RULE}> = {alternatives};")
    for intent in intents:
        bodies = [
            " ".join(_token(t, grammar) for t in template.tokens)
            for template in grammar.templates
            if template.intent == intent
        ]
        alternatives = " | ".join(f"({body})" for body in bodies)
        lines.append(f"<intent_{rule_name(intent)}> = {alternatives};")
    for words in grammar.slots:
        lines.append(f"<slot_{rule_name(words.slot_type)}> = " + " | ".join(words.phrases) + ";")
    return "\n".join(lines) + "\n"


def _token(token: str | SlotRef, grammar: SpeechGrammar) -> str:
    if isinstance(token, str):
        return token
    words = grammar.slot_words(token.slot_type)
    return " ".join([f"<slot_{rule_name(token.slot_type)}>"] * words.repeat)
