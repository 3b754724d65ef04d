"""A Korean kiosk answers in Korean, and says it with espeak-ng's Korean voice."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import soundfile

from backend.runtime import Backend
from skill.builder import build_skill
from skill.settings import SkillSettings
from voice_local.conversation import LocalConversation
from voice_local.envelopes_device import kiosk_device
from voice_local.kiosk_strings import kiosk_strings, kiosk_text, spoken_order_number
from voice_local.nlu.matcher import IntentMatcher
from voice_local.tts import Speaker, voice_for_locale

REPO = Path(__file__).resolve().parents[2]
KOREAN_SHOP = "코너 가게"


def _no_english(text: str) -> bool:
    return re.search("[A-Za-z]", text) is None


@pytest.fixture
def korean_counter(sqlite_shop, korean_interaction_model):
    skill = build_skill(Backend(sqlite_shop.store, sqlite_shop.hub),
                        SkillSettings(shop_name=KOREAN_SHOP))
    matcher = IntentMatcher(korean_interaction_model)
    conversation = LocalConversation(skill, korean_interaction_model,
                                     kiosk_device("counter-ko", "ko-KR"))
    return lambda text: conversation.hear(matcher.match(text)).speech


def test_a_korean_order_at_the_counter_is_answered_in_korean(korean_counter):
    added = korean_counter("바나나 세 개 담아 줘")
    assert added.startswith("바나나 세 개를 담았어요."), added
    confirm = korean_counter("계산해 줘")
    assert confirm.endswith("주문할까요?"), confirm
    done = korean_counter("네")
    assert done.startswith("주문했어요! 주문 번호는 에이 일 공 공이에요."), done
    assert all(_no_english(said) for said in (added, confirm, done))


def test_a_korean_question_about_sizes_is_asked_in_korean(korean_counter):
    asked = korean_counter("라떼 담아 줘")
    assert asked == "라떼는 어떤 사이즈로 드릴까요? 스몰, 미디엄 또는 라지가 있어요."


def test_the_kiosks_own_words_exist_in_korean_for_every_english_key():
    assert set(kiosk_strings("ko-KR")) == set(kiosk_strings("en-US"))
    spoken = kiosk_text("ko-KR", "ready_spoken", number=spoken_order_number("ko-KR", "A-109"))
    assert spoken == "주문 에이 일 공 구번이 준비됐어요. 가져가세요."


def test_espeak_ng_has_a_korean_voice_and_the_kiosk_picks_it():
    assert voice_for_locale("ko-KR") == "ko"
    assert voice_for_locale("en-US") is None
    assert Speaker(voice=voice_for_locale("ko-KR")).voice == "ko"


@pytest.mark.slow
def test_vcom_kiosk_with_the_korean_model_answers_a_korean_wav_in_korean_out_loud(
    tmp_path, say, seeded_sqlite_url, korean_vosk_model_dir
):
    answers = tmp_path / "answers"
    result = subprocess.run(
        [
            sys.executable, "-m", "vcom", "kiosk", "--json",
            "--model", str(REPO / "interaction_models" / "ko-KR.json"),
            "--engine", "vosk", "--stt-model", str(korean_vosk_model_dir),
            "--confirm-below", "0", "--no-announce",
            "--input", str(say("장바구니 보여 줘", voice="ko")),
            str(say("바나나 세 개 담아 줘", voice="ko")),
            "--output", str(answers),
        ],
        env={**os.environ, "VCOM_DATABASE_URL": seeded_sqlite_url,
             "VCOM_SHOP_NAME": KOREAN_SHOP},
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Speaking ko-KR with voice ko." in result.stderr
    turns = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(turns) == 2
    # Whatever the recognizer made of espeak-ng's Korean, the kiosk answers in Korean.
    for turn in turns:
        assert re.search("[가-힣]", turn["answer"]) and _no_english(turn["answer"]), turn
    wavs = sorted(answers.glob("*-answer.wav"))
    assert len(wavs) == 2
    for wav in wavs:
        data, rate = soundfile.read(wav)
        assert len(data) / rate > 1.0
