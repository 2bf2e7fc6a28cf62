"""fact-check base: fact_checks

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 02:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fact_checks",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("claim_text", sa.Text(), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("verdict_text", sa.Text(), nullable=True),
        sa.Column("rating_value", sa.Float(), nullable=True),
        sa.Column("language", sa.String(length=20), nullable=True),
        sa.Column("claimant", sa.Text(), nullable=True),
        sa.Column("claim_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("publisher", sa.Text(), nullable=True),
        sa.Column("sources", sa.Text(), server_default="[]", nullable=False),
        sa.Column("languages", sa.Text(), server_default="[]", nullable=False),
        sa.Column("source", sa.String(length=80), nullable=True),
        sa.Column("external_id", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fact_checks")),
        sa.UniqueConstraint("url", name=op.f("uq_fact_checks_url")),
        sa.UniqueConstraint(
            "source", "external_id", name=op.f("uq_fact_checks_source_external_id")
        ),
    )
    op.create_index("ix_fact_checks_verdict", "fact_checks", ["verdict"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_fact_checks_verdict", table_name="fact_checks")
    op.drop_table("fact_checks")
