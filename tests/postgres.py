"""A real PostgreSQL server for the store tests, and the `store_url` fixture that runs a test on both engines.

The server is started once per test session, only when a PostgreSQL test asks for it: `initdb` in a temporary
directory, `pg_ctl start` listening on a unix socket in that directory only (no TCP port to collide with), and
stopped at the end. PostgreSQL refuses to run as root, so under root (CI on a fresh clone) it runs as the
`postgres` system user that Debian's package creates, the directory handed over to it.

`UNSPIN_TEST_POSTGRES`: unset, PostgreSQL tests skip (with the reason) when no server can be started here;
`required` (what `scripts/test.sh` sets) turns that skip into a failure; `off` skips them without trying.
`UNSPIN_TEST_POSTGRES_BIN` names the folder of `initdb` and `pg_ctl` when they are neither on PATH nor where
Debian puts them.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SERVICE_USER = "postgres"
SUPERUSER = "unspin"
ENGINES = ("sqlite", "postgresql")


@dataclass(frozen=True)
class PostgresServer:
    socket_dir: Path
    port: int

    def url(self, database: str) -> str:
        """A SQLAlchemy URL (psycopg 3) of `database` on this server, over its unix socket."""
        return f"postgresql+psycopg://{SUPERUSER}@/{database}?host={self.socket_dir}&port={self.port}"


class Unavailable(Exception):
    """No PostgreSQL server can be started on this machine (the message says why)."""


def _binaries() -> Path:
    """The folder of `initdb` and `pg_ctl`: UNSPIN_TEST_POSTGRES_BIN, else on PATH, else Debian's
    /usr/lib/postgresql/<newest>/bin."""
    named = os.environ.get("UNSPIN_TEST_POSTGRES_BIN")
    if named:
        if not (Path(named) / "initdb").is_file():
            raise Unavailable(f"UNSPIN_TEST_POSTGRES_BIN={named} holds no initdb")
        return Path(named)
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent
    debian = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    if debian:
        return debian[-1].parent
    raise Unavailable("PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql/*/bin)")


def _as_service_user() -> tuple[list[str], int | None]:
    """The command prefix that runs the server's programs as a non-root user, and that user's uid to hand the
    data directory to (None when we are not root and run them ourselves)."""
    if os.geteuid() != 0:
        return [], None
    try:
        uid = pwd.getpwnam(SERVICE_USER).pw_uid
    except KeyError:
        raise Unavailable(f"running as root and there is no {SERVICE_USER!r} user to run PostgreSQL as") from None
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", SERVICE_USER, "--"], uid
    setpriv = shutil.which("setpriv")
    if setpriv:
        return [setpriv, f"--reuid={uid}", f"--regid={pwd.getpwnam(SERVICE_USER).pw_gid}", "--init-groups"], uid
    raise Unavailable("running as root and neither runuser nor setpriv is here to drop to the postgres user")


def _free_port() -> int:
    """A port number for the socket file's name (.s.PGSQL.<port>); nothing listens on TCP."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(command: list[str], what: str, cwd: Path) -> None:
    # cwd: the postgres user may not be allowed into ours (a clone under /root).
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, cwd=cwd)
    if done.returncode != 0:
        raise Unavailable(f"{what} failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-600:]}")


@contextlib.contextmanager
def running_server() -> Iterator[PostgresServer]:
    """Start a throw-away PostgreSQL server; stop it and remove its files on exit."""
    binaries = _binaries()
    prefix, owner = _as_service_user()
    # Under /tmp (not $TMPDIR, which may be long or private to root): a unix socket's path is limited to about
    # 107 bytes, and the postgres user must be able to reach it.
    root = Path(tempfile.mkdtemp(prefix="unspin-pg-", dir="/tmp" if Path("/tmp").is_dir() else None))
    data, sockets = root / "data", root / "run"
    sockets.mkdir()
    if owner is not None:
        for path in (root, sockets):
            os.chown(path, owner, -1)
    port = _free_port()
    started = False
    try:
        _run(
            [
                *prefix,
                str(binaries / "initdb"),
                "-D",
                str(data),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ],
            "initdb",
            root,
        )
        settings = " ".join(
            [
                "-c listen_addresses=''",
                f"-c unix_socket_directories={sockets}",
                f"-p {port}",
                # A test server: durability off (the files are thrown away), enough connections for many engines.
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200",
            ]
        )
        _run(
            [
                *prefix,
                str(binaries / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                settings,
                "-l",
                str(root / "server.log"),
                "-w",
                "-t",
                "60",
                "start",
            ],
            "pg_ctl start",
            root,
        )
        started = True
        yield PostgresServer(sockets, port)
    finally:
        if started:
            subprocess.run(
                [*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                capture_output=True,
                timeout=120,
                check=False,
                cwd=root,
            )
        shutil.rmtree(root, ignore_errors=True)


def _mode() -> str:
    return os.environ.get("UNSPIN_TEST_POSTGRES", "").strip().lower()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    if _mode() == "off":
        pytest.skip("UNSPIN_TEST_POSTGRES=off")
    try:
        with running_server() as server:
            yield server
            return
    except Unavailable as unavailable:
        reason = f"no PostgreSQL server for the tests: {unavailable}"
    if _mode() == "required":
        pytest.fail(reason + " (UNSPIN_TEST_POSTGRES=required)", pytrace=False)
    pytest.skip(reason)


def _admin(server: PostgresServer, sql: str) -> None:
    import psycopg

    with psycopg.connect(
        host=str(server.socket_dir), port=server.port, user=SUPERUSER, dbname="postgres", autocommit=True
    ) as connection:
        connection.execute(sql)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A new, empty database on the test server, dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    _admin(postgres_server, f'CREATE DATABASE "{name}"')
    yield postgres_server.url(name)
    from unspin.store import db

    db.dispose(postgres_server.url(name))
    # FORCE: the test's pooled connections (and any a CLI child left) are closed by the server.
    _admin(postgres_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=ENGINES)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a new, empty store: a SQLite file, or a PostgreSQL database on the test server."""
    if request.param == "postgresql":
        url: str = request.getfixturevalue("postgres_url")
        return url
    return f"sqlite:///{tmp_path / 'store.db'}"
