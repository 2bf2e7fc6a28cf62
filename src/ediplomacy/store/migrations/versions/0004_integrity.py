"""integrity: claim matches, narratives, bot-likeness, coordination runs, polarization, drafts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 04:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_labels",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("external_id", sa.String(length=300), nullable=False),
        sa.Column("label", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("labeled_by", sa.String(length=80), nullable=False),
        sa.Column("labeled_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_labels")),
    )
    op.create_index(
        "ix_account_labels_account", "account_labels", ["platform", "external_id"], unique=False
    )
    op.create_table(
        "account_scores",
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("external_id", sa.String(length=300), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.Text(), server_default="[]", nullable=False),
        sa.Column("features", sa.Text(), server_default="{}", nullable=False),
        sa.Column("model_version", sa.String(length=60), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", "external_id", name=op.f("pk_account_scores")),
    )
    op.create_index("ix_account_scores_score", "account_scores", ["score"], unique=False)
    op.create_table(
        "coordination_runs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("network", sa.String(length=20), nullable=False),
        sa.Column("window_s", sa.Integer(), nullable=False),
        sa.Column("min_weight", sa.Integer(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("node_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("edge_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("modularity", sa.Float(), nullable=True),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coordination_runs")),
    )
    op.create_table(
        "coordination_clusters",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("run_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("member_count", sa.Integer(), nullable=False),
        sa.Column("members", sa.Text(), server_default="[]", nullable=False),
        sa.Column("evidence", sa.Text(), server_default="{}", nullable=False),
        sa.Column("first_found_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["coordination_runs.id"],
            name=op.f("fk_coordination_clusters_run_id_coordination_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coordination_clusters")),
    )
    op.create_index(
        "ix_coordination_clusters_signature", "coordination_clusters", ["signature"], unique=False
    )
    op.create_table(
        "fact_check_vectors",
        sa.Column(
            "fact_check_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("space", sa.String(length=20), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("model_version", sa.String(length=60), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("dim", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["fact_check_id"],
            ["fact_checks.id"],
            name=op.f("fk_fact_check_vectors_fact_check_id_fact_checks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("fact_check_id", "space", name=op.f("pk_fact_check_vectors")),
    )
    op.create_table(
        "narratives",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column(
            "fact_check_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("status", sa.String(length=20), server_default="active", nullable=False),
        sa.Column("centroid", sa.LargeBinary(), nullable=True),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=True),
        sa.Column("post_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("details", sa.Text(), server_default="{}", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["fact_check_id"],
            ["fact_checks.id"],
            name=op.f("fk_narratives_fact_check_id_fact_checks"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_narratives")),
    )
    op.create_table(
        "claim_matches",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("post_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "fact_check_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("model_version", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="pending", nullable=False),
        sa.Column("matched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_by", sa.String(length=80), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["fact_check_id"],
            ["fact_checks.id"],
            name=op.f("fk_claim_matches_fact_check_id_fact_checks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_claim_matches_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_matches")),
        sa.UniqueConstraint("post_id", "fact_check_id", name="uq_claim_matches_post_fact_check"),
    )
    op.create_index("ix_claim_matches_fact_check", "claim_matches", ["fact_check_id"], unique=False)
    op.create_index("ix_claim_matches_status", "claim_matches", ["status"], unique=False)
    op.create_table(
        "drafts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="draft", nullable=False),
        sa.Column(
            "narrative_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("sources", sa.Text(), server_default="[]", nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["narrative_id"],
            ["narratives.id"],
            name=op.f("fk_drafts_narrative_id_narratives"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drafts")),
    )
    op.create_table(
        "narrative_posts",
        sa.Column(
            "narrative_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("post_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=True),
        sa.Column("variant", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["narrative_id"],
            ["narratives.id"],
            name=op.f("fk_narrative_posts_narrative_id_narratives"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_narrative_posts_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("narrative_id", "post_id", name=op.f("pk_narrative_posts")),
    )
    op.create_index("ix_narrative_posts_post", "narrative_posts", ["post_id"], unique=False)
    op.create_table(
        "polarization_snapshots",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "narrative_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("modularity", sa.Float(), nullable=True),
        sa.Column("ei_index", sa.Float(), nullable=True),
        sa.Column("figures", sa.Text(), server_default="{}", nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["narrative_id"],
            ["narratives.id"],
            name=op.f("fk_polarization_snapshots_narrative_id_narratives"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_polarization_snapshots")),
    )
    op.create_table(
        "draft_texts",
        sa.Column("draft_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["drafts.id"],
            name=op.f("fk_draft_texts_draft_id_drafts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("draft_id", "language", name=op.f("pk_draft_texts")),
    )


def downgrade() -> None:
    op.drop_table("draft_texts")
    op.drop_table("polarization_snapshots")
    op.drop_index("ix_narrative_posts_post", table_name="narrative_posts")
    op.drop_table("narrative_posts")
    op.drop_table("drafts")
    op.drop_index("ix_claim_matches_status", table_name="claim_matches")
    op.drop_index("ix_claim_matches_fact_check", table_name="claim_matches")
    op.drop_table("claim_matches")
    op.drop_table("narratives")
    op.drop_table("fact_check_vectors")
    op.drop_index("ix_coordination_clusters_signature", table_name="coordination_clusters")
    op.drop_table("coordination_clusters")
    op.drop_table("coordination_runs")
    op.drop_index("ix_account_scores_score", table_name="account_scores")
    op.drop_table("account_scores")
    op.drop_index("ix_account_labels_account", table_name="account_labels")
    op.drop_table("account_labels")
