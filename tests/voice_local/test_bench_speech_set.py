"""The speech-to-intent benchmark's test set: customer phrasings, not the model's own samples,
with noise mixed at the stated signal-to-noise ratios."""

from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from tests.support.bench_scripts import load_bench
from tests.voice_local.conftest import Say
from voice_local.audio import load_wav
from voice_local.nlu.interaction_model import InteractionModel


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_bench("speech_to_intent")


def test_english_set_holds_at_least_a_hundred_phrasings_none_a_sample(
    bench: ModuleType, english_interaction_model: InteractionModel
) -> None:
    phrasings = bench.load_phrasings(bench.PHRASINGS_DIR / "en-US.json", english_interaction_model)
    assert len(phrasings) >= 100


def test_korean_set_repeats_no_sample(
    bench: ModuleType, korean_interaction_model: InteractionModel
) -> None:
    assert bench.load_phrasings(bench.PHRASINGS_DIR / "ko-KR.json", korean_interaction_model)


def test_a_phrasing_that_is_a_sample_is_refused(
    bench: ModuleType, english_interaction_model: InteractionModel, tmp_path: Path
) -> None:
    path = tmp_path / "en-US.json"
    path.write_text('{"locale": "en-US", "phrasings": [{"text": "where is my order", '
                    '"intent": "OrderStatusIntent"}]}', encoding="utf-8")
    with pytest.raises(bench.PhrasingError, match="own samples"):
        bench.load_phrasings(path, english_interaction_model)


@pytest.mark.parametrize("noise", ["white", "pink", "babble"])
def test_noise_is_mixed_at_the_requested_snr(
    bench: ModuleType, say: Say, noise: str
) -> None:
    clean = say("add two bananas to my cart")
    talkers = tuple(say(text) for text in ("where is my order", "cancel my order"))
    utterance = bench.Utterance(
        index=7, phrasing=bench.Phrasing("x", "AddToCartIntent", ()), wav=clean, voice="en-us",
        wpm=150, snr_db=12.0, noise=noise, babble=talkers,
    )
    speech = load_wav(clean).samples.astype(np.float64)
    before, after = (np.zeros(int(s * 16_000)) for s in (bench.PADDING_S, bench.TAIL_S))
    mixed = bench.noisy_audio(utterance).samples.astype(np.float64)
    added = mixed - np.concatenate([before, speech, after])
    snr = 10 * np.log10(np.mean(speech**2) / np.mean(added**2))
    assert snr == pytest.approx(12.0, abs=0.3)


def test_every_noise_kind_is_heard_at_every_snr(
    bench: ModuleType, english_interaction_model: InteractionModel, speech_dir: Path
) -> None:
    phrasings = bench.load_phrasings(bench.PHRASINGS_DIR / "en-US.json", english_interaction_model)
    utterances = bench.build_test_set(phrasings[:6], "en", speech_dir)
    kinds = {(u.snr_db, u.noise) for u in utterances}
    assert kinds >= {(snr, noise) for snr in bench.SNRS_DB for noise in bench.NOISES}


def test_the_english_set_is_spoken_by_three_synthesizers(
    bench: ModuleType, english_interaction_model: InteractionModel, speech_dir: Path
) -> None:
    phrasings = bench.load_phrasings(bench.PHRASINGS_DIR / "en-US.json", english_interaction_model)
    utterances = bench.build_test_set(phrasings[:9], "en", speech_dir)
    synthesizers = {u.voice.split(":")[0] if ":" in u.voice else "espeak-ng" for u in utterances}
    assert synthesizers == {"espeak-ng", "flite", "festival"}


def test_non_requests_include_noise_and_a_cough_heard_only_clean(
    bench: ModuleType, speech_dir: Path
) -> None:
    utterances = bench.build_test_set(bench.non_requests("en"), "en", speech_dir)
    noises = [u for u in utterances if u.phrasing.text.startswith("<")]
    assert {u.phrasing.text.split()[0] for u in noises} == {"<pink", "<white", "<cough"}
    assert all(u.snr_db is None for u in noises)
    assert all(u.phrasing.intent == bench.NO_REQUEST for u in utterances)


def test_the_samples_set_is_said_as_the_grammar_has_it(
    bench: ModuleType, english_interaction_model: InteractionModel
) -> None:
    from voice_local.nlu.locales import locale_table
    from voice_local.stt import build_speech_grammar

    grammar = build_speech_grammar(
        english_interaction_model, locale_table("en-US").builtin_phrases
    )
    samples = bench.sample_phrasings(english_interaction_model, 40)
    assert len(samples) >= 30
    assert all(grammar.accepts(p.text) for p in samples)
