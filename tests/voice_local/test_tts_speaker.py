import gc
import threading
from pathlib import Path

import pytest
import soundfile

from voice_local.audio import load_wav
from voice_local.tts import Speaker, TtsError


def test_save_writes_a_wav_with_speech_energy(tmp_path: Path) -> None:
    path = Speaker().save("Two bananas are in your cart.", tmp_path / "reply.wav")
    info = soundfile.info(path)
    assert info.format == "WAV"
    assert info.duration > 1.0
    assert load_wav(path).rms_dbfs() > -40


def test_ssml_is_spoken_as_its_words_not_its_tags(tmp_path: Path) -> None:
    plain = Speaker().save("Hi there", tmp_path / "plain.wav")
    ssml = Speaker().save("<speak>Hi <break time='1s'/>there</speak>", tmp_path / "ssml.wav")
    # Tags read aloud ("less than speak ...") would make the SSML version far longer.
    assert soundfile.info(ssml).duration == pytest.approx(soundfile.info(plain).duration, rel=0.2)


def test_faster_rate_gives_shorter_speech(tmp_path: Path) -> None:
    text = "Your order of oat milk and coffee beans is on its way."
    slow = Speaker(rate=120).save(text, tmp_path / "slow.wav")
    fast = Speaker(rate=260).save(text, tmp_path / "fast.wav")
    assert soundfile.info(fast).duration < 0.7 * soundfile.info(slow).duration


def test_korean_voice_can_be_chosen_by_name(tmp_path: Path) -> None:
    path = Speaker(voice="ko").save("우유 두 개 담았어요", tmp_path / "ko.wav")
    assert load_wav(path).duration_s > 0.5


def test_unknown_voice_lists_the_installed_ones() -> None:
    with pytest.raises(TtsError, match=r"no text-to-speech voice 'klingon'.*installed:"):
        Speaker(voice="klingon")


def test_speakers_made_and_dropped_on_other_threads_do_not_break_a_saving_one(
    tmp_path: Path,
) -> None:
    # Each pyttsx3 engine used to re-point (and, when collected, clear) espeak's one global
    # callback: this crashed the synthesizer mid-sentence, once as a segfault in CI.
    stop = threading.Event()

    def churn() -> None:
        while not stop.is_set():
            Speaker(rate=150)
            gc.collect()

    churner = threading.Thread(target=churn, daemon=True)
    churner.start()
    try:
        paths = [Speaker(rate=260).save("Oat milk is on its way.", tmp_path / f"{i}.wav")
                 for i in range(40)]
    finally:
        stop.set()
        churner.join()
    assert all(soundfile.info(path).duration > 0.5 for path in paths)


def test_a_default_speaker_after_a_korean_one_speaks_english_again(tmp_path: Path) -> None:
    english = Speaker().save("Two bananas", tmp_path / "before.wav")
    Speaker(voice="ko").save("우유 두 개 담았어요", tmp_path / "ko.wav")
    again = Speaker().save("Two bananas", tmp_path / "after.wav")
    before = soundfile.info(english).duration
    assert soundfile.info(again).duration == pytest.approx(before, rel=0.05)
