"""Sentences and cited sources as queryable tables; who runs a run (host and process id).

The analyses stored before this revision keep their sentences and sources in the full analysis JSON: they are
copied into the new tables here, in batches, so that every stored analysis has its rows.

Revision ID: 0002_sentences_sources
Revises: 0001_corpus
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002_sentences_sources"
down_revision = "0001_corpus"
branch_labels = None
depends_on = None

BATCH = 500
NAME_LENGTH = 300
KIND_LENGTH = 20


def upgrade() -> None:
    with op.batch_alter_table("corpus_runs") as runs:
        runs.add_column(sa.Column("host", sa.String(255), nullable=True))
        runs.add_column(sa.Column("pid", sa.Integer(), nullable=True))
    sentences = op.create_table(
        "corpus_sentences",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("analysis_id", sa.Integer(), sa.ForeignKey("corpus_analyses.id"), nullable=False),
        sa.Column("document_id", sa.String(64), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(10), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
    )
    for column in ("analysis_id", "document_id", "label"):
        op.create_index(f"ix_corpus_sentences_{column}", "corpus_sentences", [column])
    sources = op.create_table(
        "corpus_sources",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("analysis_id", sa.Integer(), sa.ForeignKey("corpus_analyses.id"), nullable=False),
        sa.Column("document_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(NAME_LENGTH), nullable=False),
        sa.Column("kind", sa.String(KIND_LENGTH), nullable=False),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=True),
        sa.Column("end", sa.Integer(), nullable=True),
        sa.Column("offsets", sa.Text(), nullable=False),
    )
    for column in ("analysis_id", "document_id", "name", "kind"):
        op.create_index(f"ix_corpus_sources_{column}", "corpus_sources", [column])
    _copy_from_stored_analyses(sentences, sources)


def _copy_from_stored_analyses(sentences: sa.Table | None, sources: sa.Table | None) -> None:
    """Fill the new tables from the analyses already stored (their JSON, read as plain data: a migration must
    not depend on today's models)."""
    assert sentences is not None and sources is not None
    connection = op.get_bind()
    analyses = sa.table(
        "corpus_analyses",
        sa.column("id", sa.Integer()),
        sa.column("document_id", sa.String()),
        sa.column("analysis", sa.Text()),
    )
    last = 0
    while True:
        batch = connection.execute(
            sa.select(analyses.c.id, analyses.c.document_id, analyses.c.analysis)
            .where(analyses.c.id > last)
            .order_by(analyses.c.id)
            .limit(BATCH)
        ).all()
        if not batch:
            return
        sentence_rows: list[dict[str, Any]] = []
        source_rows: list[dict[str, Any]] = []
        for analysis_id, document_id, text in batch:
            data = json.loads(text)
            ids = {"analysis_id": analysis_id, "document_id": document_id}
            sentence_rows += [
                {
                    **ids,
                    "start": s["start"],
                    "end": s["end"],
                    "label": "opinion" if s["subjective"] else "reporting",
                    "score": s["subjectivity"],
                }
                for s in data.get("sentences", [])
            ]
            source_rows += [_source_row(ids, source) for source in data.get("sources", [])]
        if sentence_rows:
            connection.execute(sentences.insert(), sentence_rows)
        if source_rows:
            connection.execute(sources.insert(), source_rows)
        last = batch[-1][0]


def _source_row(ids: dict[str, Any], source: dict[str, Any]) -> dict[str, Any]:
    mentions = [list(mention) for mention in source.get("mentions", [])]
    return {
        **ids,
        "name": source["name"].replace("\x00", "")[:NAME_LENGTH],
        "kind": source["kind"][:KIND_LENGTH],
        "mentions": len(mentions),
        "start": mentions[0][0] if mentions else None,
        "end": mentions[0][1] if mentions else None,
        "offsets": json.dumps(mentions),
    }


def downgrade() -> None:
    op.drop_table("corpus_sources")
    op.drop_table("corpus_sentences")
    with op.batch_alter_table("corpus_runs") as runs:
        runs.drop_column("pid")
        runs.drop_column("host")
