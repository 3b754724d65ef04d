"""A chunked upload to `vcom serve` (real gunicorn) is cut off at the body bound, in memory too."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import requests

from tests.skill.test_vcom_serve import start, stop

CHUNK = b"x" * (1024 * 1024)
CHUNKS = 200  # 200 MiB, as in the security review
# The worker may grow by a few MiB serving one request; reading the upload would take 200.
ALLOWED_GROWTH_KIB = 40 * 1024


def _chunks() -> Iterator[bytes]:
    for _ in range(CHUNKS):
        yield CHUNK


def _worker_pid(master: int) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise AssertionError("gunicorn started no worker")


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


def test_chunked_upload_over_the_bound_is_refused_without_reading_it_into_memory(
    tmp_path: Path, seeded_sqlite_url: str
) -> None:
    process, base = start(tmp_path, seeded_sqlite_url, "--workers", "1")
    try:
        worker = _worker_pid(process.pid)
        requests.post(f"{base}/alexa", data=b"{}", timeout=10)  # warm: imports, pools
        before = _rss_kib(worker)
        try:
            response = requests.post(
                f"{base}/alexa",
                data=_chunks(),
                headers={"Content-Type": "application/json"},
                timeout=60,
            )
            status = response.status_code
        except requests.ConnectionError:
            status = None  # the server answered 413 and closed before the upload ended
        grown = _rss_kib(worker) - before
        assert requests.get(f"{base}/healthz", timeout=10).ok
    finally:
        stop(process)
    assert status in (413, None)
    assert grown < ALLOWED_GROWTH_KIB, f"worker grew by {grown} KiB"
