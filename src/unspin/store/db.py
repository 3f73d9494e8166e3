"""The store's engine: SQLite by default, any SQLAlchemy URL the caller names (the CLI reads `--store` or
`UNSPIN_STORE` into `Runtime.store_url`; this module reads no environment).

SQLite and PostgreSQL are both tested (the test suite starts a PostgreSQL server); SQLite-only settings (WAL,
the busy timeout) are applied to SQLite connections alone.
"""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from unspin.options import DEFAULT_STORE_PATH, default_store_url

DEFAULT_PATH = DEFAULT_STORE_PATH
# How long a SQLite writer waits for another one's transaction before "database is locked" (seconds).
SQLITE_BUSY_SECONDS = 30.0

_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


class Base(DeclarativeBase):
    pass


def store_url() -> str:
    """The default store: SQLite at ~/.local/share/unspin/unspin.db."""
    return default_store_url()


def store_exists(url: str | None = None) -> bool:
    """True unless the store is a SQLite file that does not exist yet (so reading never creates one)."""
    url = url or store_url()
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///") :]
        return path == ":memory:" or Path(path).exists()
    return True


def engine(url: str | None = None) -> Engine:
    """The one engine (and connection pool) of this process for `url`, its `ged_records` table created."""
    url = url or store_url()
    with _engines_lock:
        made = _engines.get(url)
        if made is None:
            made = _engines[url] = _new_engine(url)
    return made


def dispose(url: str) -> None:
    """Close the pooled connections of the engine for `url` and forget it (a later `engine(url)` makes anew)."""
    with _engines_lock:
        made = _engines.pop(url, None)
    if made is not None:
        made.dispose()


SCHEMA_LOCK = 0x756E7370696E  # "unspin": the PostgreSQL advisory lock taken while creating or migrating tables


def _new_engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///") :]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # A `?timeout=` in the URL is the caller's choice; connect_args would override it.
        waits = {} if "timeout" in make_url(url).query else {"timeout": SQLITE_BUSY_SECONDS}
        eng = create_engine(url, connect_args=waits)
    else:
        # pre_ping: a server restarted (or a connection dropped by a proxy) costs a reconnect, not an error.
        eng = create_engine(url, pool_pre_ping=True)
    if eng.dialect.name == "sqlite":

        @event.listens_for(eng, "connect")
        def _pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    # Processes opening a new store together would race on CREATE TABLE (each sees the table missing, then one
    # fails on "already exists"): the same schema lock as the corpus migrations serialises them.
    with eng.begin() as connection:
        hold_schema_lock(connection)
        Base.metadata.create_all(connection)
    return eng


def hold_schema_lock(connection: Connection) -> None:
    """Hold, to the end of `connection`'s transaction, the lock under which the schema is created or migrated.

    PostgreSQL: an advisory lock. SQLite: the database's write lock taken at once (the driver would otherwise run
    DDL outside any transaction, so a check-then-create would not be atomic)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def session(url: str | None = None) -> Session:
    return sessionmaker(engine(url or store_url()), expire_on_commit=False)()
