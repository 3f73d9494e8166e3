"""Corpus tables: documents, runs, analyses, failures, and one table per finding kind.

Revision ID: 0001_corpus
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_corpus"
down_revision = None
branch_labels = None
depends_on = None


def _finding(name: str, *columns: sa.Column[object]) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("analysis_id", sa.Integer(), sa.ForeignKey("corpus_analyses.id"), nullable=False),
        sa.Column("document_id", sa.String(64), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        *columns,
    )
    op.create_index(f"ix_{name}_analysis_id", name, ["analysis_id"])
    op.create_index(f"ix_{name}_document_id", name, ["document_id"])


def upgrade() -> None:
    op.create_table(
        "corpus_documents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("site", sa.String(300), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("author", sa.String(500), nullable=True),
        sa.Column("published", sa.String(10), nullable=True),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("words", sa.Integer(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
    )
    for column in ("site", "author", "published"):
        op.create_index(f"ix_corpus_documents_{column}", "corpus_documents", [column])
    op.create_table(
        "corpus_runs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("started", sa.DateTime(), nullable=False),
        sa.Column("finished", sa.DateTime(), nullable=True),
        sa.Column("sources", sa.Text(), nullable=False),
        sa.Column("provenance_key", sa.String(64), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column("workers", sa.Integer(), nullable=False),
        sa.Column("stored", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
    )
    op.create_table(
        "corpus_analyses",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(64), sa.ForeignKey("corpus_documents.id"), nullable=False),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("corpus_runs.id"), nullable=True),
        sa.Column("provenance_key", sa.String(64), nullable=False),
        sa.Column("provenance", sa.Text(), nullable=False),
        sa.Column("analysis", sa.Text(), nullable=False),
        sa.Column("sentences", sa.Integer(), nullable=False),
        sa.Column("opinion_sentences", sa.Integer(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("document_id", "provenance_key", name="uq_analysis_document_provenance"),
    )
    op.create_index("ix_corpus_analyses_document_id", "corpus_analyses", ["document_id"])
    op.create_index("ix_corpus_analyses_provenance_key", "corpus_analyses", ["provenance_key"])
    op.create_table(
        "corpus_failures",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("corpus_runs.id"), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("provenance_key", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_corpus_failures_run_id", "corpus_failures", ["run_id"])
    op.create_index("ix_corpus_failures_source", "corpus_failures", ["source"])
    op.create_index("ix_corpus_failures_provenance_key", "corpus_failures", ["provenance_key"])
    _finding(
        "corpus_techniques",
        sa.Column("technique", sa.String(100), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
    )
    op.create_index("ix_corpus_techniques_technique", "corpus_techniques", ["technique"])
    _finding(
        "corpus_claims",
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("checkworthiness", sa.Float(), nullable=False),
        sa.Column("selected", sa.Boolean(), nullable=False),
        sa.Column("attributed", sa.Boolean(), nullable=True),
    )
    _finding(
        "corpus_quotes",
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("speaker", sa.String(300), nullable=True),
        sa.Column("verb", sa.String(100), nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
    )
    op.create_index("ix_corpus_quotes_speaker", "corpus_quotes", ["speaker"])
    _finding(
        "corpus_places",
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("country", sa.String(8), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
    )
    op.create_index("ix_corpus_places_name", "corpus_places", ["name"])
    op.create_index("ix_corpus_places_country", "corpus_places", ["country"])
    _finding(
        "corpus_events",
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(300), nullable=True),
        sa.Column("action", sa.String(40), nullable=True),
        sa.Column("target", sa.String(300), nullable=True),
        sa.Column("date", sa.String(10), nullable=True),
        sa.Column("place", sa.String(300), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("country", sa.String(8), nullable=True),
        sa.Column("fatalities_low", sa.Integer(), nullable=True),
        sa.Column("fatalities_high", sa.Integer(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
    )
    op.create_index("ix_corpus_events_action", "corpus_events", ["action"])
    op.create_index("ix_corpus_events_date", "corpus_events", ["date"])


def downgrade() -> None:
    for name in (
        "corpus_events",
        "corpus_places",
        "corpus_quotes",
        "corpus_claims",
        "corpus_techniques",
        "corpus_failures",
        "corpus_analyses",
        "corpus_runs",
        "corpus_documents",
    ):
        op.drop_table(name)
