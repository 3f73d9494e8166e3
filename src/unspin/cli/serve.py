"""`unspin serve`: the web app and its JSON API, served by Uvicorn."""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import socket
from dataclasses import replace
from typing import Annotated

import typer

from unspin.cli.common import ENV_TOKEN, environment_token, user_errors
from unspin.errors import BadOption, UnspinError
from unspin.options import DEFAULT_MAX_BYTES, Runtime

log = logging.getLogger(__name__)

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
STORE_HELP = "SQLAlchemy URL of the store (default: UNSPIN_STORE, else SQLite at ~/.local/share/unspin/unspin.db)."


def is_loopback(host: str) -> bool:
    """Only this machine can reach the address (`localhost`, 127.0.0.0/8, ::1)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# The Host headers a loopback server without a token answers: anything else is a page elsewhere that pointed
# its own name at 127.0.0.1 (DNS rebinding) to reach this server from the user's browser; refused.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")


def listening_socket(host: str, port: int) -> socket.socket:
    """Bind here, before the app starts, so that a port in use is one clear error rather than a log line."""
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        raise UnspinError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", "-p", help="Port to listen on (0: any free port, printed at start).")
    ] = 8000,
    store: Annotated[str | None, typer.Option("--store", help=STORE_HELP)] = None,
    workers: Annotated[
        int, typer.Option("--workers", "-w", help="Analysis worker processes (each loads the models once).")
    ] = 2,
    token: Annotated[
        str | None,
        typer.Option("--token", help=f"Access token every request must carry (or {ENV_TOKEN}); required off loopback."),
    ] = None,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Let URL analysis fetch private, loopback or link-local addresses.")
    ] = False,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", help="Largest article (text, upload or fetched page) in bytes.")
    ] = DEFAULT_MAX_BYTES,
) -> None:
    """Serve the web app: analyse articles in the browser, explore the corpus, call the JSON API."""
    import uvicorn

    from unspin.store.corpus import open_store
    from unspin.web import WebSettings, create_app

    token = token or environment_token()
    if not 0 <= port < 65536:
        raise BadOption(f"--port must be from 0 (any free port) to 65535, not {port}")
    loopback = is_loopback(host)
    if not loopback and token is None:
        raise BadOption(
            f"refusing to serve on {host} without an access token: anyone who can reach this machine could use it. "
            f"Give --token (or set {ENV_TOKEN}), or serve on 127.0.0.1"
        )
    runtime = Runtime.from_environment()
    if store:
        runtime = replace(runtime, store_url=store)
    settings = WebSettings(
        store_url=runtime.store,
        token=token,
        allow_private=allow_private,
        workers=workers,
        max_upload_bytes=max_bytes,
        allowed_hosts=LOOPBACK_HOSTS if loopback and token is None else None,
    )
    open_store(settings.store_url)  # a store that cannot be opened stops here, one line, before the server starts
    app = create_app(settings, runtime)
    sock = listening_socket(host, port)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(
        f"unspin: serving on http://{shown}:{sock.getsockname()[1]}/ ({workers} workers; Ctrl-C stops)", err=True
    )
    config = uvicorn.Config(
        app,
        log_level="warning",
        server_header=False,
        proxy_headers=False,
        access_log=False,
        timeout_graceful_shutdown=5,
    )
    # Uvicorn shuts down cleanly on Ctrl-C, then raises the signal again: for a server that is a normal stop.
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.Server(config).run(sockets=[sock])
    typer.echo("unspin: stopped", err=True)


serve_command = user_errors(serve)
