"""`vcom understand` on real synthesized WAV files."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.voice_local.conftest import INTERACTION_MODELS, Say
from voice_local.understand import understand, understand_files

pytestmark = pytest.mark.slow
EN = str(INTERACTION_MODELS / "en-US.json")
KO = str(INTERACTION_MODELS / "ko-KR.json")


def _lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_each_file_prints_one_json_line_with_intent_slots_and_timings(say: Say) -> None:
    files = [str(say("add two bananas to my cart")), str(say("where is my order"))]
    result = CliRunner().invoke(understand, ["--model", EN, *files])
    assert result.exit_code == 0, result.output
    first, second = _lines(result.output)
    assert first["file"] == files[0]
    assert first["intent"] == "AddToCartIntent"
    assert first["slots"] == {"quantity": "2", "product": "bananas"}
    assert set(first["timings_ms"]) == {"stt", "nlu"}  # type: ignore[arg-type]
    assert second["intent"] == "OrderStatusIntent"


def test_bad_file_prints_an_error_line_the_rest_go_on_and_exit_code_is_1(
    say: Say, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.wav"
    broken.write_text("not audio")
    result = CliRunner().invoke(
        understand, ["--model", EN, str(broken), str(say("what's in my cart"))]
    )
    assert result.exit_code == 1
    error, good = _lines(result.output)
    assert error["file"] == str(broken)
    assert "not a readable audio file" in str(error["error"])
    assert good["intent"] == "ReadCartIntent"


def test_korean_model_defaults_to_vosk_with_the_given_speech_model(
    say: Say, korean_vosk_model_dir: Path
) -> None:
    (result,) = understand_files(
        [say("내 주문 어디쯤 왔어", voice="ko")], model_path=Path(KO),
        stt_model=korean_vosk_model_dir,
    )
    assert result.ok
    assert "어디쯤 왔어" in result.transcript
    assert result.stt_ms > 0


def test_missing_speech_model_for_korean_fails_with_advice(
    say: Say, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VCOM_VOSK_MODEL", raising=False)
    result = CliRunner().invoke(understand, ["--model", KO, str(say("그만", voice="ko"))])
    assert result.exit_code == 1
    assert "vcom models download" in result.output


def test_free_decoding_is_not_limited_to_the_grammar(say: Say) -> None:
    """'purple elephants' is in no sample: pocketsphinx's grammar cannot say it, free decoding
    can try. (Whisper's grammar only guides it: see test_stt_whisper.py.)"""
    file = str(say("purple elephants dance quietly"))
    engine = ["--engine", "pocketsphinx"]
    constrained = _lines(CliRunner().invoke(understand, [*engine, "--model", EN, file]).output)[0]
    free = _lines(
        CliRunner().invoke(understand, [*engine, "--free", "--model", EN, file]).output
    )[0]
    assert "elephant" not in str(constrained["transcript"])
    assert free["transcript"] != constrained["transcript"]
