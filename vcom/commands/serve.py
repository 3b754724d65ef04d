from __future__ import annotations

import errno
import logging
import os
import resource
import socket
from pathlib import Path
from typing import Any, ClassVar

import click
from gunicorn.app.base import BaseApplication
from uvicorn_worker import UvicornWorker

from backend.persistence.store import configured_database_url, open_store, redact

log = logging.getLogger(__name__)
NO_VERIFY_WARNING = (
    "WARNING: Alexa request signature and timestamp verification is OFF (--no-verify). "
    "Anyone who can reach this port can place orders. Use this only on your own machine."
)


def create_configured_app(verify: bool, threads: int = 8):  # type: ignore[no-untyped-def]
    """The app as each worker builds it, from the environment (after the fork): screen streams
    on the event loop, Flask (the Alexa endpoint and the pages) on `threads` threads."""
    from backend.runtime import open_backend
    from skill.asgi import ServingApp
    from skill.settings import SkillSettings
    from skill.verification import VerificationSettings
    from skill.web import create_app

    flask_app = create_app(
        open_backend(),
        SkillSettings.from_environment(),
        VerificationSettings.from_environment(verify=verify),
    )
    return ServingApp(flask_app, threads=threads)


class StreamingWorker(UvicornWorker):  # type: ignore[misc]
    """gunicorn's process management with uvicorn's event loop in each worker. Open screen
    streams are ended after 3 s at shutdown (their browsers reconnect) instead of holding the
    worker until gunicorn kills it."""

    CONFIG_KWARGS: ClassVar[dict[str, Any]] = {
        "loop": "auto",
        "http": "auto",
        "timeout_graceful_shutdown": 3,
    }


def raise_open_files_limit() -> None:
    """Each open screen is a socket: lift the soft limit on open files to the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 65536 if hard == resource.RLIM_INFINITY else hard
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def check_settings(verify: bool) -> None:
    from skill.settings import SkillSettings
    from skill.staff.auth import WeakStaffToken, staff_token_from_environment
    from skill.verification import VerificationSettings

    SkillSettings.from_environment()
    VerificationSettings.from_environment(verify=verify)
    try:
        staff_token_from_environment()
    except WeakStaffToken as weak:
        raise click.ClickException(str(weak)) from None


def check_port_free(host: str, port: int) -> None:
    """Binds and releases the address as gunicorn will (SO_REUSEADDR), so a port in use is one
    clear line rather than gunicorn's retries."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise click.ClickException(f"Cannot listen on {host}: {error.strerror}.") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except PermissionError:
            raise click.ClickException(
                f"Not allowed to listen on port {port} (ports below 1024 need root); choose "
                "another with --port."
            ) from None
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise click.ClickException(
                    f"Port {port} on {host} is already in use (another vcom serve?); stop it, "
                    "or choose another port with --port."
                ) from None
            raise click.ClickException(
                f"Cannot listen on {host}:{port}: {error.strerror}."
            ) from None


class _Server(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any], verify: bool, threads: int) -> None:
        self._options = options
        self._verify = verify
        self._threads = threads
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self):  # type: ignore[no-untyped-def]
        return create_configured_app(self._verify, self._threads)


@click.command(
    help="""Serve the Alexa skill endpoint (POST /alexa) and health check (GET /healthz).

\b
Alexa only calls HTTPS endpoints: put this behind a TLS reverse proxy or tunnel, or give
--certfile/--keyfile, and set the skill's endpoint to https://YOUR-HOST/alexa.
Request signatures and timestamps are verified unless --no-verify is given.
"""
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, help="Port to listen on.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes (gunicorn). Use several on PostgreSQL; SQLite serializes writes.",
)
@click.option(
    "--threads",
    default=8,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Threads per worker for the Alexa endpoint and pages (screen streams need none).",
)
@click.option(
    "--certfile",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TLS certificate (PEM) to serve HTTPS directly.",
)
@click.option(
    "--keyfile",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TLS private key (PEM) for --certfile.",
)
@click.option(
    "--no-verify",
    is_flag=True,
    help="Skip Alexa signature/timestamp checks (local development only).",
)
def serve(
    host: str,
    port: int,
    workers: int,
    threads: int,
    certfile: Path | None,
    keyfile: Path | None,
    no_verify: bool,
) -> None:
    if bool(certfile) != bool(keyfile):
        raise click.UsageError("--certfile and --keyfile go together.")
    # Every setting is checked before the banner: a mistake is one line here, not a traceback
    # in every worker.
    check_settings(verify=not no_verify)
    store = open_store()
    store.dispose()
    check_port_free(host, port)
    if no_verify:
        click.secho(NO_VERIFY_WARNING, fg="yellow", err=True)
    scheme = "https" if certfile else "http"
    base = f"{scheme}://{host}:{port}"
    click.echo(
        f"Store:            {redact(configured_database_url())}\n"
        f"Alexa endpoint:   {base}/alexa  (POST; Alexa needs HTTPS: point the skill's endpoint\n"
        f"                  at https://YOUR-PUBLIC-HOST/alexa through a TLS proxy or tunnel)\n"
        f"Health:           {base}/healthz\n"
        f"Companion screen: {base}/screens/   (a browser on a phone, tablet or kiosk display)\n"
        f"Staff view:       {base}/staff      "
        f"({'token set' if os.environ.get('VCOM_STAFF_TOKEN') else 'set VCOM_STAFF_TOKEN first'})\n"
        f"Simulator:        vcom simulate     (in another terminal; in-process, same store)\n"
        f"Workers:          {workers} × {threads} threads; "
        f"verification {'OFF' if no_verify else 'on'}"
    )
    options: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": StreamingWorker,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": os.environ.get("VCOM_LOG_LEVEL", "warning"),
        "graceful_timeout": 5,
        "timeout": 30,
    }
    if certfile and keyfile:
        options.update(certfile=str(certfile), keyfile=str(keyfile))
    raise_open_files_limit()
    _Server(options, verify=not no_verify, threads=threads).run()
