import json
from pathlib import Path

from click.testing import CliRunner

from voice_local.nlu.cli import match

DATA = Path(__file__).parent / "data"


def test_match_prints_one_json_line_per_text() -> None:
    result = CliRunner().invoke(
        match, ["--model", str(DATA / "shop-en-US.json"), "add two oat milk", "yes"]
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert lines[0] == {
        "text": "add two oat milk", "intent": "AddToCartIntent",
        "slots": {"quantity": "2", "product": "oat milk"}, "confidence": 1.0,
        "sample": "add {quantity} {product}",
    }
    assert lines[1]["intent"] == "AMAZON.YesIntent"


def test_match_prints_korean_unescaped() -> None:
    result = CliRunner().invoke(match, ["--model", str(DATA / "shop-ko-KR.json"), "바나나 담아 줘"])
    assert '"바나나"' in result.output


def test_broken_model_is_reported_without_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "en-US.json"
    broken.write_text("{", encoding="utf-8")
    result = CliRunner().invoke(match, ["--model", str(broken), "yes"])
    assert result.exit_code == 1
    assert "not valid JSON" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
