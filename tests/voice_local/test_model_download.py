"""The downloader against a real HTTP server on 127.0.0.1 serving a zip made here."""

from __future__ import annotations

import hashlib
import io
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from voice_local.model_download import (
    CATALOG,
    ModelDownloadError,
    ModelEntry,
    download_model,
    find_model,
)
from voice_local.models_cli import models

NAME = "vosk-model-tiny-test-0.1"


def _model_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{NAME}/am/final.mdl", b"acoustic model " * 5000)
        archive.writestr(f"{NAME}/conf/model.conf", "--min-active=200\n")
        archive.writestr(f"{NAME}/graph/words.txt", "<eps> 0\nmilk 1\n")
    return buffer.getvalue()


@dataclass
class FileServer:
    body: bytes
    url: str = ""
    cut_after: int | None = None  # drop the connection after this many bytes, once
    ranges_seen: list[str] = field(default_factory=list)


@pytest.fixture()
def server() -> Iterator[FileServer]:
    state = FileServer(body=_model_zip())

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            start = 0
            requested = self.headers.get("Range")
            if requested:
                state.ranges_seen.append(requested)
                start = int(requested.removeprefix("bytes=").split("-")[0])
            if start >= len(state.body):
                self.send_response(416)
                self.end_headers()
                return
            self.send_response(206 if requested else 200)
            self.send_header("Content-Length", str(len(state.body) - start))
            self.end_headers()
            payload = state.body[start:]
            if state.cut_after is not None:
                payload, state.cut_after = payload[: state.cut_after], None
                self.wfile.write(payload)
                self.close_connection = True
                return
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/{NAME}.zip"
    yield state
    httpd.shutdown()
    httpd.server_close()


def _entry(server: FileServer, sha256: str | None = None) -> ModelEntry:
    return ModelEntry(NAME, "en-US", server.url, size_mb=1, sha256=sha256)


def test_full_download_installs_the_unpacked_model(server: FileServer, tmp_path: Path) -> None:
    sha = hashlib.sha256(server.body).hexdigest()
    installed = download_model(_entry(server, sha), dest_dir=tmp_path)
    assert installed == tmp_path / NAME
    assert (installed / "am" / "final.mdl").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [NAME]  # no .part, no staging dir


def test_progress_reports_reach_the_total(server: FileServer, tmp_path: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    download_model(_entry(server), dest_dir=tmp_path, progress=lambda d, t: seen.append((d, t)),
                   chunk_size=4096)
    assert len(seen) > 1
    assert seen[-1] == (len(server.body), len(server.body))


def test_cut_download_resumes_with_a_range_request(server: FileServer, tmp_path: Path) -> None:
    server.cut_after = len(server.body) // 3
    with pytest.raises(ModelDownloadError, match="again to resume"):
        download_model(_entry(server), dest_dir=tmp_path)
    assert (tmp_path / f"{NAME}.zip.part").stat().st_size == len(server.body) // 3
    assert not (tmp_path / NAME).exists()
    sha = hashlib.sha256(server.body).hexdigest()
    installed = download_model(_entry(server, sha), dest_dir=tmp_path)
    assert server.ranges_seen == [f"bytes={len(server.body) // 3}-"]
    assert (installed / "conf" / "model.conf").is_file()


def test_checksum_mismatch_leaves_nothing_installed(server: FileServer, tmp_path: Path) -> None:
    with pytest.raises(ModelDownloadError, match="checksum mismatch"):
        download_model(_entry(server, sha256="0" * 64), dest_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_archive_without_a_vosk_model_is_rejected(server: FileServer, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a model")
    server.body = buffer.getvalue()
    with pytest.raises(ModelDownloadError, match="does not hold a Vosk model"):
        download_model(_entry(server), dest_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_already_installed_model_is_not_downloaded_again(
    server: FileServer, tmp_path: Path
) -> None:
    (tmp_path / NAME / "am").mkdir(parents=True)
    server.body = b"would fail: not a zip"
    assert download_model(_entry(server), dest_dir=tmp_path) == tmp_path / NAME


def test_unknown_name_lists_the_known_names() -> None:
    with pytest.raises(ModelDownloadError, match=r"vosk-model-small-en-us-0\.15"):
        find_model("vosk-model-klingon")


def test_catalog_entries_point_at_the_official_model_site() -> None:
    assert all(e.url == f"https://alphacephei.com/vosk/models/{e.name}.zip" for e in CATALOG)


def test_cli_download_of_an_unknown_name_fails_and_lists_known_names() -> None:
    result = CliRunner().invoke(models, ["download", "nope"])
    assert result.exit_code == 1
    assert "known models:" in result.output
    assert "vosk-model-small-ko-0.22" in result.output


def test_cli_list_shows_every_catalog_model_with_its_language() -> None:
    result = CliRunner().invoke(models, ["list"])
    assert result.exit_code == 0
    for entry in CATALOG:
        assert entry.name in result.output


def test_cli_sha256_option_is_enforced(
    server: FileServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import voice_local.models_cli as cli

    monkeypatch.setattr(cli, "find_model", lambda name: replace(_entry(server), name=name))
    result = CliRunner().invoke(
        models, ["download", NAME, "--dest", str(tmp_path), "--sha256", "f" * 64]
    )
    assert result.exit_code == 1
    assert "checksum mismatch" in result.output
    assert list(tmp_path.iterdir()) == []


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens there once closed


def test_no_network_says_the_host_could_not_be_reached(tmp_path: Path) -> None:
    entry = ModelEntry(NAME, "en-US", f"http://127.0.0.1:{_closed_port()}/{NAME}.zip", 1)
    with pytest.raises(ModelDownloadError) as raised:
        download_model(entry, dest_dir=tmp_path)
    assert "could not reach 127.0.0.1" in str(raised.value)
    assert "interrupted" not in str(raised.value)
    assert list(tmp_path.iterdir()) == []


def test_cli_list_has_a_header_and_marks_installed_models(
    server: FileServer, tmp_path: Path
) -> None:
    download_model(replace(_entry(server), name="vosk-model-small-en-us-0.15"), dest_dir=tmp_path)
    download_model(replace(_entry(server), name="my-own-model"), dest_dir=tmp_path)
    result = CliRunner().invoke(models, ["list", "--dir", str(tmp_path)])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["MODEL", "LOCALE", "SIZE", "INSTALLED"]
    installed = [line.split()[0] for line in lines[1:] if " yes" in line]
    assert installed == ["vosk-model-small-en-us-0.15", "my-own-model"]
    assert f"2 installed in {tmp_path}" in result.output


def test_cli_download_without_a_network_prints_only_that_the_host_was_unreachable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import voice_local.models_cli as cli

    offline = ModelEntry(NAME, "en-US", f"http://127.0.0.1:{_closed_port()}/{NAME}.zip", 1)
    monkeypatch.setattr(cli, "find_model", lambda name: offline)
    result = CliRunner().invoke(models, ["download", NAME, "--dest", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: could not reach 127.0.0.1")
    assert len(result.output.strip().splitlines()) == 1
