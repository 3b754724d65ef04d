"""pocketsphinx with the interaction model as its language (embedded en-US acoustic model).

Two searches over the same words, measured on 20 espeak-ng en-US commands on 2 cores:
  - a JSGF grammar generated from the samples: 19/20 intents right, but slower than real time
    (RTF ~1.4: pocketsphinx copies a rule at every reference, so the product list was copied
    into 54 samples; jsgf.py now shares one copy per intent, which brought the RTF to ~0.4);
  - a trigram over the same phrases: RTF ~0.06, 17/20 intents right.
The default ("ngram+jsgf") accepts the trigram's transcript when the grammar can say it exactly,
else takes the grammar's. Customers rarely say a sample word for word (bench/speech_to_intent.py),
so most utterances need both. A stream can run both searches on every chunk while the customer
speaks (decode_while_speaking), leaving little for the end of speech; but that needs live CMN,
where the model asks for batch CMN (the whole utterance's mean), and it cost accuracy, so it is
off by default and the stream decodes at finish(). process_raw holds the GIL (measured: two
threads took as long as one after the other), so the two searches share one thread.

Settings follow what was measured on real recordings with grammars of a few hundred phrases:
the final bestpath pass cost 30-110 s per file, so it is off; the default beams left some
utterances with no result, so they are wider and a still wider pass is the fallback; pauses of
exact digital zero decode badly, so a -60 dBFS noise floor is added first.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
from pocketsphinx import Config, Decoder, get_model_path

from voice_local.audio.clip import Audio
from voice_local.audio.noise_floor import NoiseFloor
from voice_local.stt.arpa import build_arpa
from voice_local.stt.jsgf import ROOT_RULE, to_jsgf
from voice_local.stt.pronunciations import guess_pronunciation
from voice_local.stt.speech_grammar import SpeechGrammar
from voice_local.stt.transcript import (
    DecodeClock,
    StreamFinished,
    SttError,
    Transcript,
    Word,
    transcribe_whole,
)

FRAMES_PER_S = 100  # pocketsphinx's default frame rate
_FILLER = re.compile(r"^(<s>|</s>|<sil>|\(NULL\)|\[.*\]|\+\+.*\+\+)$")
_ALT_PRONUNCIATION = re.compile(r"\(\d+\)$")
SearchMode = Literal["ngram+jsgf", "jsgf", "ngram"]
NGRAM_LANGUAGE_WEIGHT = 10.0  # measured: 17/20 intents at 10 against 16/20 at the default 6.5


@dataclass(frozen=True)
class Beams:
    beam: float
    wbeam: float
    # Cap on active HMMs per frame. Measured on 44 espeak-ng phrasings (bench/speech_to_intent):
    # 3000 kept every command the default 30000 got, at 17% less CPU; 1500 with narrower beams
    # lost 4 of 31.
    maxhmmpf: int = 30_000


PRIMARY_BEAMS = Beams(beam=1e-60, wbeam=1e-40, maxhmmpf=3000)
FALLBACK_BEAMS = Beams(beam=1e-80, wbeam=1e-60)


def default_acoustic_model() -> tuple[Path, Path]:
    """The en-US acoustic model directory and dictionary shipped inside the pocketsphinx wheel."""
    root = Path(get_model_path()) / "en-us"
    return root / "en-us", root / "cmudict-en-us.dict"


class PocketsphinxEngine:
    name = "pocketsphinx"

    def __init__(
        self, grammar: SpeechGrammar | None, *, hmm: Path | None = None,
        dictionary: Path | None = None, search: SearchMode = "ngram+jsgf",
    ) -> None:
        default_hmm, default_dict = default_acoustic_model()
        self.hmm, self.dictionary = hmm or default_hmm, dictionary or default_dict
        if not (self.hmm / "mdef").is_file():
            raise SttError(f"{self.hmm} is not a pocketsphinx acoustic model (no mdef file)")
        if not self.dictionary.is_file():
            raise SttError(f"pronunciation dictionary not found: {self.dictionary}")
        self.search = search
        self.dropped_words: frozenset[str] = frozenset()
        self.grammar: SpeechGrammar | None = None
        self.added_pronunciations: dict[str, str] = {}
        self._ngram: Decoder | None = None
        self._jsgf: Decoder | None = None
        self._fallback: Decoder | None = None
        self._stream: PocketsphinxStream | None = None
        self._initial_cmn = ""
        # Off by default: decoding during speech needs live CMN, and measured on 176 utterances
        # (bench/speech_to_intent.py --quick) accepted fell from 70.5/68.2/47.7/27.3 % (clean,
        # 24, 12, 6 dB) to 61.4/47.7/36.4/18.2 %, while the answer p50 fell from ~1 s to ~150 ms.
        self.decode_while_speaking = False
        if grammar is None:  # free mode: the general English model shipped with pocketsphinx
            self._ngram = self._decoder(PRIMARY_BEAMS, lm=self.hmm.parent / "en-us.lm.bin")
            self._initial_cmn = self._ngram.get_cmn()
            return
        probe = self._decoder(PRIMARY_BEAMS)
        self.added_pronunciations = self._derive_pronunciations(grammar, probe)
        self._add_words(probe)
        self.grammar, self.dropped_words = grammar.restricted_to(
            lambda word: probe.lookup_word(word) is not None
        )
        if not self.grammar.templates:
            raise SttError(
                f"none of the {grammar.locale} sample phrases can be said with "
                f"{self.dictionary.name}; pocketsphinx ships only an en-US model: use "
                f"--engine vosk with a {grammar.locale} model"
            )
        self.jsgf = to_jsgf(self.grammar)
        if search != "jsgf":
            self._ngram = self._decoder(PRIMARY_BEAMS, lw=NGRAM_LANGUAGE_WEIGHT)
            self._add_words(self._ngram)
            with tempfile.TemporaryDirectory() as scratch:
                lm = Path(scratch) / "commands.arpa"
                lm.write_text(build_arpa(self.grammar.weighted_phrases()), encoding="utf-8")
                self._ngram.add_lm_file("commands", str(lm))
            self._ngram.activate_search("commands")
        if search != "ngram":
            self._jsgf = self._grammar_decoder(PRIMARY_BEAMS, probe)
        self._initial_cmn = (self._ngram or self._jsgf or probe).get_cmn()

    @staticmethod
    def _derive_pronunciations(grammar: SpeechGrammar, probe: Decoder) -> dict[str, str]:
        missing = sorted(word for word in grammar.words() if probe.lookup_word(word) is None)
        derived = {word: guess_pronunciation(word, probe.lookup_word) for word in missing}
        return {word: phones for word, phones in derived.items() if phones}

    def _add_words(self, decoder: Decoder) -> None:
        words = list(self.added_pronunciations.items())
        for i, (word, phones) in enumerate(words):
            decoder.add_word(word, phones, update=i == len(words) - 1)  # rebuild search once

    def _decoder(self, beams: Beams, lm: Path | None = None, lw: float | None = None) -> Decoder:
        options: dict[str, object] = {}
        if lw is not None:
            options["lw"] = lw
        return Decoder(Config(
            hmm=str(self.hmm), dict=str(self.dictionary), lm=str(lm) if lm else None,
            bestpath=False, beam=beams.beam, wbeam=beams.wbeam, maxhmmpf=beams.maxhmmpf,
            loglevel="FATAL", **options,
        ))

    def _grammar_decoder(self, beams: Beams, decoder: Decoder | None = None) -> Decoder:
        if decoder is None:
            decoder = self._decoder(beams)
            self._add_words(decoder)
        decoder.add_jsgf_string(ROOT_RULE, self.jsgf)  # ~3 s for the en-US model
        decoder.activate_search(ROOT_RULE)
        return decoder

    def open_stream(self) -> PocketsphinxStream:
        """A stream for one utterance; see PocketsphinxStream for the two ways it decodes."""
        if self._stream is not None and not self._stream.finished:
            self._stream.cancel()  # an engine has one set of decoders: one stream at a time
        self._stream = PocketsphinxStream(self)
        return self._stream

    def transcribe(self, audio: Audio) -> Transcript:
        return transcribe_whole(self, audio)

    def _fallback_decoder(self) -> Decoder:
        if self._fallback is None:  # compiled on first need: ~3 s, and rarely needed
            self._fallback = self._grammar_decoder(FALLBACK_BEAMS)
        return self._fallback


class PocketsphinxStream:
    """One utterance through the n-gram and the grammar decoder.

    Choice at the end: the n-gram words when the grammar can say them exactly, else the grammar's
    words; only when both found nothing does the wider fallback search run over the whole audio.
    With the engine's decode_while_speaking both searches run on each chunk as it comes (live
    CMN); otherwise the chunks are kept and decoded at finish() with the model's batch CMN.
    """

    def __init__(self, engine: PocketsphinxEngine) -> None:
        self._engine = engine
        self._live = engine.decode_while_speaking
        self._decoders = [d for d in (engine._ngram, engine._jsgf) if d is not None]
        self._noise = NoiseFloor()  # one generator per stream: decoding stays repeatable
        self._pcm: list[bytes] = []  # batch mode decodes it; live mode keeps it for the fallback
        self._clock = DecodeClock()
        self.finished = False
        if self._live:
            for decoder in self._decoders:
                # Live CMN starts from the same mean each time, so that a transcript does not
                # depend on what was said before.
                decoder.set_cmn(engine._initial_cmn)
                decoder.start_utt()

    def feed(self, samples: npt.NDArray[np.int16]) -> None:
        if self.finished:
            raise StreamFinished("this utterance is finished: open a new stream")
        with self._clock:
            pcm = self._noise.add(samples).astype("<i2", copy=False).tobytes()
            self._pcm.append(pcm)
            if self._live:
                for decoder in self._decoders:
                    decoder.process_raw(pcm, no_search=False, full_utt=False)

    def finish(self) -> Transcript:
        if self.finished:
            raise StreamFinished("this utterance is already finished")
        self.finished = True
        engine = self._engine
        with self._clock:
            pcm = b"".join(self._pcm)
            if self._live:
                for decoder in self._decoders:
                    decoder.end_utt()
            words: tuple[Word, ...] | None = None
            if engine._ngram is not None:
                words = self._result(engine._ngram, pcm)
                in_grammar = words is not None and (
                    engine.grammar is None or engine.grammar.accepts(_text(words))
                )
                if engine._jsgf is not None and not in_grammar:
                    words = None
            if words is None and engine._jsgf is not None:
                words = self._result(engine._jsgf, pcm)
                if words is None:
                    words = _decode_whole(engine._fallback_decoder(), pcm)
            words = words or ()
        return Transcript(
            text=_text(words), words=words, engine=engine.name, elapsed_s=self._clock.wall_s,
            finish_s=self._clock.last_wall_s, cpu_s=self._clock.cpu_s,
        )

    def _result(self, decoder: Decoder, pcm: bytes) -> tuple[Word, ...] | None:
        # Batch mode decodes here, so the grammar pass runs only when the n-gram's words miss.
        return _words(decoder) if self._live else _decode_whole(decoder, pcm)

    def cancel(self) -> None:
        """Drop the utterance (too short, or superseded) without a transcript."""
        if not self.finished:
            self.finished = True
            if self._live:
                for decoder in self._decoders:
                    decoder.end_utt()


def _decode_whole(decoder: Decoder, pcm: bytes) -> tuple[Word, ...] | None:
    decoder.start_utt()
    decoder.process_raw(pcm, full_utt=True)  # the whole utterance: the model's batch CMN
    decoder.end_utt()
    return _words(decoder)


def _words(decoder: Decoder) -> tuple[Word, ...] | None:
    """The decoder's best words after end_utt(); None when it has no hypothesis at all."""
    if decoder.hyp() is None:
        return None
    return tuple(
        Word(
            text=_ALT_PRONUNCIATION.sub("", seg.word),
            confidence=min(1.0, max(0.0, float(seg.prob))),
            start_s=seg.start_frame / FRAMES_PER_S,
            end_s=(seg.end_frame + 1) / FRAMES_PER_S,
        )
        for seg in decoder.seg()
        if not _FILLER.match(seg.word)
    )


def _text(words: tuple[Word, ...]) -> str:
    return " ".join(word.text for word in words)
