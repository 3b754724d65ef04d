from pathlib import Path

import pytest

from voice_local.nlu.interaction_model import InteractionModel
from voice_local.stt import SttError, create_engine


def test_vosk_without_any_model_says_how_to_get_one(
    korean_interaction_model: InteractionModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VCOM_VOSK_MODEL", raising=False)
    with pytest.raises(SttError, match="vcom models download"):
        create_engine("vosk", korean_interaction_model)


def test_missing_model_directory_is_named(
    korean_interaction_model: InteractionModel, tmp_path: Path
) -> None:
    with pytest.raises(SttError, match=f"not found: {tmp_path / 'nowhere'}"):
        create_engine("vosk", korean_interaction_model, stt_model=tmp_path / "nowhere")


def test_directory_that_is_not_a_vosk_model_is_rejected(
    korean_interaction_model: InteractionModel, tmp_path: Path
) -> None:
    (tmp_path / "README").write_text("a zip's parent folder, not the model\n")
    with pytest.raises(SttError, match=r"is not a Vosk model \(it needs am/final\.mdl"):
        create_engine("vosk", korean_interaction_model, stt_model=tmp_path)


@pytest.mark.slow
def test_korean_model_for_the_english_interaction_model_is_the_wrong_language(
    english_interaction_model: InteractionModel, korean_vosk_model_dir: Path
) -> None:
    with pytest.raises(SttError, match="probably for another language; use a en-US model"):
        create_engine("vosk", english_interaction_model, stt_model=korean_vosk_model_dir)


def test_pocketsphinx_refuses_korean_without_a_korean_model(
    korean_interaction_model: InteractionModel,
) -> None:
    with pytest.raises(SttError, match=r"only an en-US model.*--engine vosk"):
        create_engine("pocketsphinx", korean_interaction_model)
