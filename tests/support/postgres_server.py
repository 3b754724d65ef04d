"""A private PostgreSQL server for the test session: Debian's binaries, a temp dir, a free port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def _bin_dir() -> Path:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise PostgresUnavailable(
        "PostgreSQL server binaries not found: run `./dev setup` (it installs Debian's "
        "postgresql package) or set VCOM_TEST_POSTGRES_URL to an existing server."
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PostgresServer:
    root: Path
    port: int
    bin_dir: Path
    as_user: list[str]

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        subprocess.run(
            [*self.as_user, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )

    def start(self) -> None:
        data = self.root / "data"
        self._run(
            str(self.bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
        )
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            str(self.bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )

    def restart(self) -> None:
        data = self.root / "data"
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(data), "-w", "-m", "fast", "restart")

    def stop(self) -> None:
        data = self.root / "data"
        pg_ctl = str(self.bin_dir / "pg_ctl")
        subprocess.run(
            [*self.as_user, pg_ctl, "-D", str(data), "-m", "immediate", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def start_server() -> PostgresServer:
    bin_dir = _bin_dir()
    root = Path(tempfile.mkdtemp(prefix="vcom-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        # initdb refuses to run as root; Debian's package provides the postgres user.
        shutil.chown(root, user="postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    server = PostgresServer(root=root, port=_free_port(), bin_dir=bin_dir, as_user=as_user)
    try:
        server.start()
    except subprocess.CalledProcessError as error:
        log = (root / "server.log").read_text() if (root / "server.log").exists() else ""
        raise PostgresUnavailable(
            f"PostgreSQL did not start: {error.stderr.decode(errors='replace')}\n{log}"
        ) from error
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", server.port)) == 0:
                return server
        time.sleep(0.1)
    raise PostgresUnavailable("PostgreSQL started but does not accept connections")
