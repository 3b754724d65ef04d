"""A JSGF grammar for pocketsphinx from a SpeechGrammar: one rule per intent and per slot type."""

from __future__ import annotations

import re

from voice_local.stt.speech_grammar import SampleTemplate, SlotRef, SpeechGrammar

ROOT_RULE = "command"
SHOP_RULE = "shop"
# Slot lists at least this long are shared per intent rather than copied into every sample.
FACTOR_MIN_PHRASES = 50


def rule_name(name: str) -> str:
    return re.sub(r"\W", "_", name)


def to_jsgf(grammar: SpeechGrammar, name: str = "voicecommerce", *, factor: bool = True) -> str:
    """`factor`: share one copy of the largest slot list (see _shared_rules)."""
    lines = ["#JSGF V1.0;", f"grammar {name};"]
    intents = list(dict.fromkeys(t.intent for t in grammar.templates))
    if not intents:
        raise ValueError("the grammar has no sample the recognizer can say")
    big = _largest_slot(list(grammar.templates), grammar) if factor else None
    shared = [t for t in grammar.templates if big is not None and t.tokens.count(big) == 1]
    rules = [
        f"<intent_{rule_name(intent)}>" for intent in intents
        if any(t.intent == intent and t not in shared for t in grammar.templates)
    ]
    if shared:
        rules.append(f"<{SHARED_RULE}>")
    alternatives = " | ".join(rules)
    # The optional parts sit once around the shared rule, so they cost a few states, not a
    # copy of every template.
    heads = " ".join(f"[<before_{k}>]" for k in range(len(grammar.before)))
    tails = " ".join(f"[<after_{k}>]" for k in range(len(grammar.after)))
    if heads or tails:
        lines.append(f"public <{ROOT_RULE}> = {heads} <{SHOP_RULE}> {tails};".replace("  ", " "))
        lines.append(f"<{SHOP_RULE}> = {alternatives};")
    else:
        lines.append(f"public <{ROOT_RULE}> = {alternatives};")
    for prefix, parts in (("before", grammar.before), ("after", grammar.after)):
        for k, part in enumerate(parts):
            lines.append(f"<{prefix}_{k}> = " + " | ".join(part) + ";")
    if shared and big is not None:
        lines.extend(_shared_rules(SHARED_RULE, shared, big, grammar))
    for intent in intents:
        templates = [t for t in grammar.templates if t.intent == intent and t not in shared]
        if templates:
            lines.extend(_intent_rules(f"intent_{rule_name(intent)}", templates, grammar))
    for words in grammar.slots:
        lines.append(f"<slot_{rule_name(words.slot_type)}> = " + " | ".join(words.phrases) + ";")
    return "\n".join(lines) + "\n"


def _token(token: str | SlotRef, grammar: SpeechGrammar) -> str:
    if isinstance(token, str):
        return token
    words = grammar.slot_words(token.slot_type)
    return " ".join([f"<slot_{rule_name(token.slot_type)}>"] * words.repeat)


def _intent_rules(rule: str, templates: list[SampleTemplate], grammar: SpeechGrammar) -> list[str]:
    """One rule for the intent's samples that do not name the shared list."""
    bodies = [" ".join(_token(t, grammar) for t in template.tokens) for template in templates]
    return [f"<{rule}> = " + " | ".join(f"({body})" for body in bodies) + ";"]


SHARED_RULE = "shared_list"


def _shared_rules(
    rule: str, templates: list[SampleTemplate], big: SlotRef, grammar: SpeechGrammar
) -> list[str]:
    """pocketsphinx expands every rule reference into its own copy of the referenced words, and
    its grammar search slows with the size of the result: the 85-product list referenced by 54
    samples made decoding slower than real time, and one copy per intent still did once a dozen
    intents named products. So every sample holding the largest list once becomes (any words
    said before it) <list> (any words said after it), one copy in all. That admits mixes the
    model does not list ("how much is {product} to my cart"); the intent matcher downstream
    takes those in its stride, and the text heard is what it needs."""
    heads, tails = [], []
    for template in templates:
        cut = template.tokens.index(big)
        heads.append(" ".join(_token(t, grammar) for t in template.tokens[:cut]))
        tails.append(" ".join(_token(t, grammar) for t in template.tokens[cut + 1 :]))
    parts = [_token(big, grammar)]
    lines: list[str] = []
    for side, said in (("before", heads), ("after", tails)):
        alternatives = [f"({words})" for words in dict.fromkeys(said) if words]
        if alternatives:
            lines.append(f"<{rule}_{side}> = " + " | ".join(alternatives) + ";")
            reference = f"<{rule}_{side}>"
            reference = f"[{reference}]" if "" in said else reference
            parts.insert(0 if side == "before" else len(parts), reference)
    return [f"<{rule}> = {' '.join(parts)};", *lines]


def _largest_slot(templates: list[SampleTemplate], grammar: SpeechGrammar) -> SlotRef | None:
    refs = {t for template in templates for t in template.tokens if isinstance(t, SlotRef)}
    sized = [(len(grammar.slot_words(ref.slot_type).phrases), ref.slot_type, ref) for ref in refs]
    if not sized:
        return None
    size, _name, ref = max(sized)
    return ref if size >= FACTOR_MIN_PHRASES else None
