"""The store's engine: SQLite by default, any SQLAlchemy URL the caller names (the CLI reads `--store` or
`UNSPIN_STORE` into `Runtime.store_url`; this module reads no environment)."""

from __future__ import annotations

import functools
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from unspin.options import DEFAULT_STORE_PATH, default_store_url

DEFAULT_PATH = DEFAULT_STORE_PATH


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


@functools.cache
def engine(url: str | None = None) -> Engine:
    url = url or store_url()
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///") :]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    eng = create_engine(url)
    if eng.dialect.name == "sqlite":

        @event.listens_for(eng, "connect")
        def _pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    Base.metadata.create_all(eng)
    return eng


def session(url: str | None = None) -> Session:
    return sessionmaker(engine(url or store_url()), expire_on_commit=False)()
