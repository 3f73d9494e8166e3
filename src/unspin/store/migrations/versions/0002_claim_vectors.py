"""Cached sentence vectors of claims (`unspin corpus claims`).

Revision ID: 0002_claim_vectors
Revises: 0001_corpus
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_claim_vectors"
down_revision = "0001_corpus"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corpus_claim_vectors",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("encoder", sa.String(100), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("corpus_claim_vectors")
