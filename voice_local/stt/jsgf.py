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
    """`factor`: share one copy of each intent's largest slot list (see _intent_rules)."""
    lines = ["#JSGF V1.0;", f"grammar {name};"]
    intents = list(dict.fromkeys(t.intent for t in grammar.templates))
    if not intents:
        raise ValueError("the grammar has no sample the recognizer can say")
    alternatives = " | ".join(f"<intent_{rule_name(intent)}>" for intent in intents)
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
    for intent in intents:
        templates = [t for t in grammar.templates if t.intent == intent]
        lines.extend(_intent_rules(f"intent_{rule_name(intent)}", templates, grammar, factor))
    for words in grammar.slots:
        lines.append(f"<slot_{rule_name(words.slot_type)}> = " + " | ".join(words.phrases) + ";")
    return "\n".join(lines) + "\n"


def _token(token: str | SlotRef, grammar: SpeechGrammar) -> str:
    if isinstance(token, str):
        return token
    words = grammar.slot_words(token.slot_type)
    return " ".join([f"<slot_{rule_name(token.slot_type)}>"] * words.repeat)


def _intent_rules(
    rule: str, templates: list[SampleTemplate], grammar: SpeechGrammar, factor: bool
) -> list[str]:
    """One rule for the intent's samples.

    pocketsphinx expands every rule reference into its own copy of the referenced words, and its
    grammar search slows with the size of the result: the 85-product list referenced by 54
    samples made decoding slower than real time. Factored, the samples holding the intent's
    largest slot become (any words said before it) <slot> (any words said after it), one copy
    per intent. That also admits a few mixes the model does not list ("we need {product} to my
    cart"); the intent matcher downstream takes those in its stride.
    """
    big = _largest_slot(templates, grammar) if factor else None
    plain = [t for t in templates if big is None or t.tokens.count(big) != 1]
    shared = [t for t in templates if t not in plain]
    bodies = [" ".join(_token(t, grammar) for t in template.tokens) for template in plain]
    lines: list[str] = []
    if shared and big is not None:
        heads, tails = [], []
        for template in shared:
            cut = template.tokens.index(big)
            heads.append(" ".join(_token(t, grammar) for t in template.tokens[:cut]))
            tails.append(" ".join(_token(t, grammar) for t in template.tokens[cut + 1 :]))
        parts = [_token(big, grammar)]
        for side, said in (("before", heads), ("after", tails)):
            alternatives = [f"({words})" for words in dict.fromkeys(said) if words]
            if alternatives:
                lines.append(f"<{rule}_{side}> = " + " | ".join(alternatives) + ";")
                reference = f"<{rule}_{side}>"
                reference = f"[{reference}]" if "" in said else reference
                parts.insert(0 if side == "before" else len(parts), reference)
        bodies.append(" ".join(parts))
    alternatives = " | ".join(f"({body})" for body in bodies)
    return [f"<{rule}> = {alternatives};", *lines]


def _largest_slot(templates: list[SampleTemplate], grammar: SpeechGrammar) -> SlotRef | None:
    refs = {t for template in templates for t in template.tokens if isinstance(t, SlotRef)}
    sized = [(len(grammar.slot_words(ref.slot_type).phrases), ref.slot_type, ref) for ref in refs]
    if not sized:
        return None
    size, _name, ref = max(sized)
    return ref if size >= FACTOR_MIN_PHRASES else None
