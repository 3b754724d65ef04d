"""A small trigram language model (ARPA text) over the interaction model's phrases.

Why not only JSGF: pocketsphinx's grammar search slows with grammar size; the en-US model's
grammar decoded slower than real time on 2 cores, while an n-gram over the same few hundred
words runs at a real-time factor near 0.06. Interpolated Witten-Bell smoothing is used because
it works with the fractional counts below: each sample template carries a total weight of one,
however many slot values it was expanded with, so "help" is not drowned by product names.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

BOS, EOS = "<s>", "</s>"
_FLOOR = -99.0  # log10 "probability" ARPA uses for <s>, which is never predicted


def build_arpa(weighted_sentences: Iterable[tuple[str, float]], order: int = 3) -> str:
    counts: list[dict[tuple[str, ...], float]] = [defaultdict(float) for _ in range(order)]
    for sentence, weight in weighted_sentences:
        words = (BOS, *sentence.split(), EOS)
        for n in range(1, order + 1):
            for i in range(len(words) - n + 1):
                gram = words[i : i + n]
                if gram != (BOS,):
                    counts[n - 1][gram] += weight
    vocabulary = sorted({gram[0] for gram in counts[0]} | {BOS})
    history_total: list[dict[tuple[str, ...], float]] = [defaultdict(float) for _ in range(order)]
    history_types: list[dict[tuple[str, ...], int]] = [defaultdict(int) for _ in range(order)]
    for n in range(2, order + 1):
        for gram, count in counts[n - 1].items():
            history_total[n - 1][gram[:-1]] += count
            history_types[n - 1][gram[:-1]] += 1

    total = sum(counts[0].values())
    alpha = 0.1  # pseudo-count so every word of the grammar keeps some unigram mass
    probs: list[dict[tuple[str, ...], float]] = [{} for _ in range(order)]
    for word in vocabulary:
        if word != BOS:
            probs[0][(word,)] = (counts[0][(word,)] + alpha) / (total + alpha * len(vocabulary))

    def backoff(history: tuple[str, ...]) -> float:
        n = len(history) + 1
        types = history_types[n - 1].get(history, 0)
        return types / (history_total[n - 1][history] + types) if types else 1.0

    def lower(gram: tuple[str, ...]) -> float:
        if len(gram) == 1:
            return probs[0][gram]
        if gram in probs[len(gram) - 1]:
            return probs[len(gram) - 1][gram]
        return backoff(gram[:-1]) * lower(gram[1:])

    for n in range(2, order + 1):
        for gram, count in counts[n - 1].items():
            history = gram[:-1]
            types = history_types[n - 1][history]
            probs[n - 1][gram] = (count + types * lower(gram[1:])) / (
                history_total[n - 1][history] + types
            )

    lines = ["\\data\\"]
    lines += [f"ngram {n}={len(probs[n - 1]) + (1 if n == 1 else 0)}" for n in range(1, order + 1)]
    for n in range(1, order + 1):
        lines += ["", f"\\{n}-grams:"]
        grams = sorted(probs[n - 1].items())
        if n == 1:
            grams = [((BOS,), 0.0), *grams]
        for gram, prob in grams:
            logp = _FLOOR if gram == (BOS,) else math.log10(prob)
            line = f"{logp:.5f}\t{' '.join(gram)}"
            if n < order and gram[-1] != EOS:
                line += f"\t{math.log10(backoff(gram)):.5f}"
            lines.append(line)
    lines += ["", "\\end\\", ""]
    return "\n".join(lines)
