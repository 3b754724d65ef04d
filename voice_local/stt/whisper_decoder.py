"""One utterance through Whisper in three CTranslate2 calls: encode, decode freely, score a batch.

Measured on this 2-core machine (tiny.en, int8): a decoder that calls `generate()` once per
token re-decodes the whole prefix each time (seconds per utterance, NOTES.md), so the grammar
does not steer the search token by token. Instead:
  1. `encode()` runs the encoder once on a window just longer than the utterance (600 frames at
     least: shorter windows made the model repeat the sentence);
  2. `generate()` decodes greedily with the model's own cache, the length capped by the audio's;
  3. the grammar sentences nearest to that free transcript (grammar_snap.py), the same sentence
     with other slot phrases, and the free words with only the catalog words replaced, are
     scored in one `align()` batch: it teacher-forces every row in a single decoder pass and
     returns each token's probability (softmax over the text tokens).
A grammar sentence wins when it scores within a margin of the free transcript: the margin is
the prior that a customer at this counter says what the shop sells. A free transcript the
grammar accepts as it is needs no scoring at all.
"""

from __future__ import annotations

import math
import os
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from voice_local.stt.catalog_words import CatalogWords
from voice_local.stt.grammar_snap import GrammarSnapper, Snap
from voice_local.stt.speech_grammar import SpeechGrammar
from voice_local.stt.transcript import SttError, Word
from voice_local.stt.whisper_model import WhisperModelDir, verify_pinned
from voice_local.stt.whisper_text import spoken_words, without_repeats

SAMPLE_RATE = 16_000
HOP = 160  # samples per mel frame
SECONDS_PER_ENCODER_FRAME = 2 * HOP / SAMPLE_RATE
MIN_WINDOW_FRAMES = 600
MAX_WINDOW_FRAMES = 3000  # Whisper's 30 s
TRAILING_PAD_S = 1.0  # silence after the speech, as Whisper saw at the end of its windows
# Fast speech is about 4 tokens a second; a sentence repeated over and over is cut here.
TOKENS_PER_S = 8.0
MIN_TOKENS = 16
# Rejection: Whisper's own no-speech probability together with a low average log-probability,
# the pair faster-whisper uses (0.6, -1.0); tuned on this shop's noise, greeting and cough.
NO_SPEECH_PROB = 0.6
LOW_LOGPROB = -1.0
# Nats a grammar sentence may score below the free transcript and still be taken, if it is at
# most MAX_EDITS edits per heard word away from it. Chosen with bench/speech_to_intent.py
# --sweep (README): accepted on phrasings and samples rose up to a margin of 16, and not one
# non-request became a cart change below 24. Catalog words in free phrasing get one less.
GRAMMAR_MARGIN = 16.0
HYBRID_MARGIN = 15.0
MAX_EDITS = 0.5
# Free hypotheses (beam width): runners-up sometimes spell a catalog word better.
BEAM = int(os.environ.get("VCOM_WHISPER_BEAM", "3"))
MAX_CANDIDATES = 8  # rows scored besides the free transcript: ~30 ms each here


@dataclass(frozen=True)
class Scored:
    text: str
    kind: str  # "free", "grammar" or "catalog words" (the free words, catalog words replaced)
    logprob: float  # the whole sentence's, from the model (0 when not scored)
    words: tuple[Word, ...] = ()
    edits: float = 0.0  # grammar: the snap's edit cost against the free words, per word


@dataclass(frozen=True)
class Decoded:
    text: str  # spoken words, lower case; "" for silence, noise or nothing sayable
    words: tuple[Word, ...]
    source: str  # "grammar", "grammar (as heard)", "catalog words", "free" or "no speech"
    free_text: str
    no_speech_prob: float
    avg_logprob: float  # the free decoding's, per token
    calls: int  # CTranslate2 calls this decode made
    candidates: tuple[Scored, ...] = ()  # the free transcript first; for measuring the choice


@dataclass(frozen=True)
class Margins:
    """Nats a sentence of each kind may score below the free transcript and still win."""

    grammar: float = GRAMMAR_MARGIN
    catalog_words: float = HYBRID_MARGIN
    max_edits: float = MAX_EDITS  # per heard word: farther sentences were not what was said

    def of(self, kind: str) -> float:
        return {"grammar": self.grammar, "catalog words": self.catalog_words}.get(kind, 0.0)


def choose(candidates: tuple[Scored, ...], margins: Margins) -> Scored:
    """The free transcript (first) unless a sentence near it beats it by its kind's margin."""
    near = [c for c in candidates if c.kind == "free" or c.edits <= margins.max_edits]
    return max(near, key=lambda c: c.logprob + margins.of(c.kind))


@dataclass(frozen=True)
class _Candidate:
    text: str
    kind: str
    edits: float = 0.0


class WhisperDecoder:
    """The model, its tokenizer and the grammar's snapper; one decode at a time."""

    def __init__(
        self, model_dir: WhisperModelDir, grammar: SpeechGrammar | None, threads: int = 2
    ) -> None:
        import ctranslate2
        import tokenizers
        from faster_whisper.feature_extractor import FeatureExtractor

        verify_pinned(model_dir)
        try:
            self.model = ctranslate2.models.Whisper(
                str(model_dir.path), device="cpu", compute_type="int8", intra_threads=threads
            )
        except (RuntimeError, ValueError) as exc:
            raise SttError(f"CTranslate2 could not load {model_dir.path}: {exc}") from exc
        self._storage = ctranslate2.StorageView
        self.tokenizer = tokenizers.Tokenizer.from_file(str(model_dir.path / "tokenizer.json"))
        self.features = FeatureExtractor(feature_size=self.model.n_mels)
        self.eot = self._token("<|endoftext|>")
        prompt = ["<|startoftranscript|>"]
        if self.model.is_multilingual:
            prompt += ["<|en|>", "<|transcribe|>"]
        self.prompt = [self._token(t) for t in (*prompt, "<|notimestamps|>")]
        self.grammar = grammar
        self.snapper = GrammarSnapper(grammar) if grammar is not None else None
        self.catalog_words = CatalogWords(grammar) if grammar is not None else None
        self.margins = Margins()
        self._lock = threading.Lock()

    def _token(self, text: str) -> int:
        token = self.tokenizer.token_to_id(text)
        if token is None:
            raise SttError(f"the Whisper tokenizer has no {text}: not a Whisper model")
        return int(token)

    def decode(self, samples: npt.NDArray[np.int16]) -> Decoded:
        with self._lock:
            return self._decode(samples)

    def _decode(self, samples: npt.NDArray[np.int16]) -> Decoded:
        audio = samples.astype(np.float32) / 32768.0
        frames = len(audio) // HOP
        window = min(
            MAX_WINDOW_FRAMES, max(MIN_WINDOW_FRAMES, frames + int(TRAILING_PAD_S * 100))
        )
        mel = self.features(audio, padding=max(0, window * HOP - len(audio)))[:, :window]
        encoded = self.model.encode(
            self._storage.from_array(np.ascontiguousarray(mel[None], dtype=np.float32)),
            to_cpu=True,
        )
        max_tokens = max(MIN_TOKENS, int(TOKENS_PER_S * len(audio) / SAMPLE_RATE))
        free = self.model.generate(
            encoded, [self.prompt], beam_size=BEAM, num_hypotheses=BEAM, max_length=max_tokens,
            return_scores=True, return_no_speech_prob=True,
        )[0]
        captions = [self.tokenizer.decode(ids) for ids in free.sequences_ids]
        caption = captions[0]
        hypotheses = list(dict.fromkeys(without_repeats(spoken_words(c)) for c in captions))
        heard = hypotheses[0]
        avg_logprob = float(free.scores[0]) if free.scores else -math.inf
        no_speech = float(free.no_speech_prob)
        if not heard or (no_speech > NO_SPEECH_PROB and avg_logprob < LOW_LOGPROB):
            return Decoded("", (), "no speech", heard, no_speech, avg_logprob, 2)
        if self.grammar is None or self.snapper is None or self.grammar.accepts(heard):
            (free_scored,) = self._score(encoded, frames, caption, [_Candidate(heard, "free")])
            source = "free" if self.grammar is None else "grammar (as heard)"
            return Decoded(
                heard, free_scored.words, source, heard, no_speech, avg_logprob, 3,
                (free_scored,),
            )
        candidates = [_Candidate(heard, "free"), *self._candidates(hypotheses)]
        scored = tuple(self._score(encoded, frames, caption, candidates))
        chosen = choose(scored, self.margins)
        return Decoded(
            chosen.text, chosen.words, chosen.kind, heard, no_speech, avg_logprob, 3, scored
        )

    def _candidates(self, hypotheses: list[str]) -> list[_Candidate]:
        """Grammar sentences near the best free hypothesis (its two nearest, the runners-up of
        its slots, its words with catalog words put in) and near the others (the nearest)."""
        assert self.snapper is not None and self.grammar is not None
        heard = hypotheses[0]
        size = max(1, len(heard.split()))
        found: dict[str, _Candidate] = {}

        def add(text: str, kind: str, cost: float) -> None:
            if text and text != heard and text not in found and len(found) < MAX_CANDIDATES:
                found[text] = _Candidate(text, kind, cost / size)

        snaps = self.snapper.snaps(heard, limit=3)
        for snap in snaps[:2]:
            add(snap.sentence, "grammar", snap.cost)
        if self.catalog_words is not None:  # the customer's words, the catalog's names
            for text, cost in self.catalog_words.rewrites(heard):
                add(text, "catalog words", cost)
        for other in hypotheses[1:]:
            if self.grammar.accepts(other):
                add(other, "grammar", 0.0)
            else:
                for snap in self.snapper.snaps(other, limit=1):
                    add(snap.sentence, "grammar", snap.cost)
        if snaps:
            for text in _hybrids(heard, snaps[0]):
                add(text, "catalog words", snaps[0].cost)
            for rank in (1, 2):  # the runners-up of every slot, before those of any one slot
                for index, fill in enumerate(snaps[0].fills):
                    for phrase in fill.phrases[rank:rank + 1]:
                        add(snaps[0].render(index, phrase), "grammar", snaps[0].cost)
        for snap in snaps[2:]:
            add(snap.sentence, "grammar", snap.cost)
        return list(found.values())

    def _score(
        self, encoded: Any, frames: int, caption: str, candidates: list[_Candidate]
    ) -> list[Scored]:
        """Each candidate's total log-probability and its words, from one batched pass."""
        capital = caption.strip()[:1].isupper()
        ending = caption.strip()[-1:] if caption.strip()[-1:] in ".?!" else ""
        rows: list[list[int]] = []
        word_spans: list[list[tuple[str, int, int]]] = []
        for candidate in candidates:
            tokens: list[int] = []
            spans: list[tuple[str, int, int]] = []
            for i, word in enumerate(candidate.text.split()):
                shown = word[:1].upper() + word[1:] if i == 0 and capital else word
                ids = self.tokenizer.encode(" " + shown, add_special_tokens=False).ids
                spans.append((word, len(tokens), len(tokens) + len(ids)))
                tokens += ids
            if ending:  # the model's own end of sentence: a sentence cut short pays for it
                tokens += self.tokenizer.encode(ending, add_special_tokens=False).ids
            rows.append(tokens)
            word_spans.append(spans)
        batch = np.repeat(np.asarray(encoded), len(rows), axis=0)
        results = self.model.align(
            self._storage.from_array(np.ascontiguousarray(batch)), self.prompt, rows,
            [frames] * len(rows),
        )
        out: list[Scored] = []
        for candidate, result, spans in zip(candidates, results, word_spans, strict=True):
            probs = np.clip(np.asarray(result.text_token_probs, dtype=np.float64), 1e-12, 1.0)
            starts = _token_starts(result.alignments, len(probs))
            words = tuple(
                Word(
                    text=word, confidence=float(np.exp(np.mean(np.log(probs[a:b])))),
                    start_s=starts[a] * SECONDS_PER_ENCODER_FRAME,
                    end_s=max(starts[b] if b < len(starts) else starts[-1] + 1, starts[a] + 1)
                    * SECONDS_PER_ENCODER_FRAME,
                )
                for word, a, b in spans
            )
            out.append(Scored(
                candidate.text, candidate.kind, float(np.sum(np.log(probs))), words,
                candidate.edits,
            ))
        return out


def _token_starts(alignments: list[tuple[int, int]], count: int) -> list[int]:
    """The encoder frame where each text token starts, from the DTW path (text, time) pairs."""
    starts = [0] * (count + 1)
    seen: set[int] = set()
    for text_index, time_index in alignments:
        if 0 <= text_index <= count and text_index not in seen:
            seen.add(text_index)
            starts[text_index] = int(time_index)
    for i in range(1, count + 1):
        if i not in seen:
            starts[i] = starts[i - 1]
    return starts


def _hybrids(heard: str, snap: Snap) -> list[str]:
    """The heard words with each slot's span said as its nearest catalog phrase."""
    words = heard.split()
    out = list(words)
    offset = len(snap.head.split())  # the snapper aligned the words after the addressing
    changed = False
    for fill in sorted(snap.fills, key=lambda f: f.start, reverse=True):
        start, end = fill.start + offset, fill.end + offset
        if fill.phrases and fill.phrases[0] != " ".join(words[start:end]):
            out[start:end] = fill.phrases[0].split()
            changed = True
    return [" ".join(out)] if changed else []
