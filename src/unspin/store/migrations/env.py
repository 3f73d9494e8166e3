"""Alembic environment: run on the connection `store.corpus.open_store` hands over (no ini file, no URL here)."""

from __future__ import annotations

from alembic import context

from unspin.store.corpus import CorpusBase

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=CorpusBase.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    version_table="alembic_version_unspin",
)
with context.begin_transaction():
    context.run_migrations()
