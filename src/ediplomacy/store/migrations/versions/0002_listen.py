"""listen: vectors, facets, watch rules, alerts, collectors

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 00:45:03.579709
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


# A post whose text changes (an edited status, a corrected import) loses what the pipeline said
# about the old text, so `analyze` runs every stage over it again. Metrics-only updates keep it.
SQLITE_TEXT_CHANGED = (
    "CREATE TRIGGER posts_text_changed AFTER UPDATE OF text ON posts "
    "WHEN old.text IS NOT new.text BEGIN "
    "DELETE FROM post_enrichments WHERE post_id = old.id; "
    "DELETE FROM post_vectors WHERE post_id = old.id; "
    "DELETE FROM post_facets WHERE post_id = old.id; END"
)
POSTGRES_TEXT_CHANGED = (
    "CREATE FUNCTION posts_text_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "DELETE FROM post_enrichments WHERE post_id = OLD.id; "
    "DELETE FROM post_vectors WHERE post_id = OLD.id; "
    "DELETE FROM post_facets WHERE post_id = OLD.id; RETURN NEW; END $$",
    "CREATE TRIGGER posts_text_changed AFTER UPDATE OF text ON posts FOR EACH ROW "
    "WHEN (OLD.text IS DISTINCT FROM NEW.text) EXECUTE FUNCTION posts_text_changed()",
)


def _create_text_changed_trigger() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(SQLITE_TEXT_CHANGED)
    else:
        for statement in POSTGRES_TEXT_CHANGED:
            op.execute(statement)


def upgrade() -> None:

    op.create_table(
        "emerging_topics",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("terms", sa.Text(), server_default="[]", nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("languages", sa.Text(), server_default="{}", nullable=False),
        sa.Column("sample_post_ids", sa.Text(), server_default="[]", nullable=False),
        sa.Column("growth", sa.Float(), nullable=True),
        sa.Column("emerging", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emerging_topics")),
    )
    op.create_table(
        "watch_rules",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("settings", sa.Text(), server_default="{}", nullable=False),
        sa.Column("notify", sa.Text(), server_default="{}", nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_rules")),
        sa.UniqueConstraint("name", name=op.f("uq_watch_rules_name")),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("rule_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("observed", sa.Float(), nullable=False),
        sa.Column("expected", sa.Float(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("details", sa.Text(), server_default="{}", nullable=False),
        sa.Column("status", sa.String(length=20), server_default="open", nullable=False),
        sa.Column("acknowledged_by", sa.String(length=80), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["watch_rules.id"],
            name=op.f("fk_alerts_rule_id_watch_rules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint("rule_id", "kind", "window_start", name="uq_alerts_rule_kind_window"),
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index("ix_alerts_created_at", ["created_at"], unique=False)

    op.create_table(
        "collector_cursors",
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=500), nullable=False),
        sa.Column("cursor", sa.Text(), nullable=True),
        sa.Column("state", sa.Text(), server_default="{}", nullable=False),
        sa.Column(
            "collection_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["collections.id"],
            name=op.f("fk_collector_cursors_collection_id_collections"),
        ),
        sa.PrimaryKeyConstraint("source", "key", name=op.f("pk_collector_cursors")),
    )
    op.create_table(
        "alert_deliveries",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("alert_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alerts.id"],
            name=op.f("fk_alert_deliveries_alert_id_alerts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_deliveries")),
        sa.UniqueConstraint("alert_id", "channel", "target", name="uq_alert_deliveries_target"),
    )
    op.create_table(
        "post_facets",
        sa.Column("post_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("facet", sa.String(length=60), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("stage", sa.String(length=60), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_post_facets_post_id_posts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("post_id", "facet", "value", name=op.f("pk_post_facets")),
    )
    with op.batch_alter_table("post_facets", schema=None) as batch_op:
        batch_op.create_index("ix_post_facets_facet_value", ["facet", "value"], unique=False)

    op.create_table(
        "post_vectors",
        sa.Column("post_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("space", sa.String(length=20), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("model_version", sa.String(length=60), nullable=False),
        sa.Column("dim", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_post_vectors_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("post_id", "space", name=op.f("pk_post_vectors")),
    )
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sentiment", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("sentiment_score", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("emotion", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("author_country", sa.String(length=2), nullable=True))
    _create_text_changed_trigger()


def downgrade() -> None:
    op.execute(
        "DROP TRIGGER IF EXISTS posts_text_changed"
        + ("" if op.get_bind().dialect.name == "sqlite" else " ON posts")
    )
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP FUNCTION IF EXISTS posts_text_changed()")

    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_column("author_country")
        batch_op.drop_column("emotion")
        batch_op.drop_column("sentiment_score")
        batch_op.drop_column("sentiment")

    op.drop_table("post_vectors")
    with op.batch_alter_table("post_facets", schema=None) as batch_op:
        batch_op.drop_index("ix_post_facets_facet_value")

    op.drop_table("post_facets")
    op.drop_table("alert_deliveries")
    op.drop_table("collector_cursors")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_alerts_created_at")

    op.drop_table("alerts")
    op.drop_table("watch_rules")
    op.drop_table("emerging_topics")
