"""Download and install official Vosk models into the user's data directory.

Atomic by construction: bytes go to NAME.zip.part (resumed with an HTTP Range request after a
cut), are verified, unpacked into a temporary directory next to the target and only then renamed
into place, so a failed or interrupted install never leaves a half model that would load.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "voice-commerce"
_BASE = "https://alphacephei.com/vosk/models"

Progress = Callable[[int, int | None], None]  # (bytes so far, total bytes or None)


@dataclass(frozen=True)
class ModelEntry:
    name: str
    language: str  # BCP 47 locale the model is for
    url: str
    size_mb: int  # as listed on alphacephei.com/vosk/models; for display only
    # None where we could not fetch the file to verify it (the site is unreachable from our
    # build machines); then the Content-Length and the zip's own CRCs are what is checked.
    sha256: str | None = None


def _official(name: str, language: str, size_mb: int) -> ModelEntry:
    return ModelEntry(name, language, f"{_BASE}/{name}.zip", size_mb)


CATALOG: tuple[ModelEntry, ...] = (
    _official("vosk-model-small-en-us-0.15", "en-US", 40),
    _official("vosk-model-en-us-0.22-lgraph", "en-US", 128),
    _official("vosk-model-small-ko-0.22", "ko-KR", 82),
    _official("vosk-model-small-de-0.15", "de-DE", 45),
    _official("vosk-model-small-fr-0.22", "fr-FR", 41),
    _official("vosk-model-small-es-0.42", "es-ES", 39),
    _official("vosk-model-small-ja-0.22", "ja-JP", 48),
)


class ModelDownloadError(RuntimeError):
    """Unknown model, network failure, bad checksum or a bad archive; nothing was installed."""


def models_dir() -> Path:
    return Path(user_data_dir(APP_NAME)) / "models"


def installed_models(directory: Path | None = None) -> tuple[str, ...]:
    """Names of the Vosk models unpacked in `directory` (default: models_dir()), whether or not
    they are in the catalog."""
    directory = directory or models_dir()
    if not directory.is_dir():
        return ()
    return tuple(
        sorted(
            entry.name
            for entry in directory.iterdir()
            if (entry / "am" / "final.mdl").is_file() or (entry / "final.mdl").is_file()
        )
    )


def find_model(name: str, catalog: Sequence[ModelEntry] = CATALOG) -> ModelEntry:
    for entry in catalog:
        if entry.name == name:
            return entry
    known = ", ".join(entry.name for entry in catalog)
    raise ModelDownloadError(f"unknown model {name!r}; known models: {known}")


def download_model(
    entry: ModelEntry, *, dest_dir: Path | None = None, progress: Progress | None = None,
    chunk_size: int = 1 << 16, timeout_s: float = 30.0,
) -> Path:
    """Install `entry` under `dest_dir` (default: models_dir()) and return the model directory."""
    dest_dir = dest_dir or models_dir()
    target = dest_dir / entry.name
    if target.is_dir():
        return target
    dest_dir.mkdir(parents=True, exist_ok=True)
    part = dest_dir / f"{entry.name}.zip.part"
    _fetch(entry.url, part, progress=progress, chunk_size=chunk_size, timeout_s=timeout_s)
    try:
        if entry.sha256 is not None:
            actual = sha256_of(part)
            if actual != entry.sha256.lower():
                raise ModelDownloadError(
                    f"checksum mismatch for {entry.name}: expected {entry.sha256}, got {actual}; "
                    "the download was discarded, try again"
                )
        _install_zip(part, target)
    finally:
        part.unlink(missing_ok=True)  # verified and unpacked, or rejected: either way done
    return target


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fetch(url: str, part: Path, *, progress: Progress | None, chunk_size: int,
           timeout_s: float) -> None:
    # urllib rather than requests: read1() hands over every byte that arrived before a cut,
    # while requests drops the partial chunk, so a resume would refetch it.
    have = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(url, headers={"Range": f"bytes={have}-"} if have else {})
    done, total = have, None
    try:
        response = urllib.request.urlopen(request, timeout=timeout_s)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have:  # the .part already holds the whole file
            return
        raise ModelDownloadError(f"{url} answered HTTP {exc.code} {exc.reason}") from exc
    except (OSError, http.client.HTTPException) as exc:
        # Nothing came back at all (no network, no DNS, refused, timed out): say so, rather
        # than calling it an interrupted download.
        host = urllib.parse.urlsplit(url).hostname or url
        reason = getattr(exc, "reason", None) or exc
        raise ModelDownloadError(
            f"could not reach {host} ({reason}); check the network connection (or proxy), "
            f"or fetch {url} on another machine and unpack it into {part.parent}"
        ) from exc
    try:
        with response:
            if response.status == 200:
                done = 0  # the server ignored the Range header: start over
            length = response.headers.get("Content-Length")
            total = done + int(length) if length is not None else None
            with part.open("ab" if done else "wb") as out:
                while chunk := response.read1(chunk_size):
                    out.write(chunk)
                    done += len(chunk)
                    if progress is not None:
                        progress(done, total)
    except (OSError, http.client.HTTPException) as exc:
        raise ModelDownloadError(
            f"download of {url} was interrupted ({exc}); run the same command again to resume"
        ) from exc
    if total is not None and done != total:
        raise ModelDownloadError(
            f"download of {url} stopped at {done} of {total} bytes; run it again to resume"
        )


def _install_zip(archive: Path, target: Path) -> None:
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        try:
            with zipfile.ZipFile(archive) as zipped:
                bad = zipped.testzip()
                if bad is not None:
                    raise ModelDownloadError(f"{archive.name} is corrupt (member {bad})")
                root = staging.resolve()
                for member in zipped.namelist():
                    if not (staging / member).resolve().is_relative_to(root):
                        raise ModelDownloadError(f"{archive.name} holds an unsafe path: {member}")
                zipped.extractall(staging)
        except zipfile.BadZipFile as exc:
            raise ModelDownloadError(f"{archive.name} is not a zip archive: {exc}") from exc
        entries = [p for p in staging.iterdir() if not p.name.startswith("__MACOSX")]
        model_root = entries[0] if len(entries) == 1 and entries[0].is_dir() else staging
        if not (model_root / "am" / "final.mdl").is_file():
            raise ModelDownloadError(f"{archive.name} does not hold a Vosk model (no am/final.mdl)")
        if model_root is staging:
            os.rename(staging, target)
        else:
            os.rename(model_root, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
