"""The relational schema, as SQLAlchemy Core tables shared by SQLite and PostgreSQL.

JSON-shaped fields (lists, metrics, raw payloads) are stored as text serialised by the
repositories with orjson: it is several times faster on the bulk paths than the JSON type,
and reads back identically on both databases.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Stamp = sa.DateTime(timezone=True)

collections = sa.Table(
    "collections",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),  # file | collector | demo
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("format", sa.String(40), nullable=True),
    sa.Column("status", sa.String(20), nullable=False),  # running | done | failed
    sa.Column("started_at", Stamp, nullable=False),
    sa.Column("finished_at", Stamp, nullable=True),
    sa.Column("read_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("new_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("updated_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("unchanged_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("rejected_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("rejects_path", sa.Text, nullable=True),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("tool_version", sa.String(40), nullable=False),
)

actors = sa.Table(
    "actors",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("platform", sa.String(20), nullable=False),
    sa.Column("external_id", sa.String(300), nullable=False),
    sa.Column("handle", sa.String(300), nullable=True),
    sa.Column("name", sa.Text, nullable=True),
    sa.Column("description", sa.Text, nullable=True),
    sa.Column("location", sa.Text, nullable=True),
    sa.Column("created_at", Stamp, nullable=True),
    sa.Column("followers_count", sa.Integer, nullable=True),
    sa.Column("following_count", sa.Integer, nullable=True),
    sa.Column("posts_count", sa.Integer, nullable=True),
    sa.Column("verified", sa.Boolean, nullable=True),  # None: no payload has said
    sa.Column("url", sa.Text, nullable=True),
    sa.Column("first_seen_at", Stamp, nullable=False),
    sa.Column("updated_at", Stamp, nullable=False),
    sa.UniqueConstraint("platform", "external_id", name="uq_actors_platform_external_id"),
)
sa.Index("ix_actors_handle", actors.c.handle)

posts = sa.Table(
    "posts",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("platform", sa.String(20), nullable=False),
    sa.Column("external_id", sa.String(300), nullable=False),
    sa.Column("author_external_id", sa.String(300), nullable=True),
    sa.Column("author_handle", sa.String(300), nullable=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("language", sa.String(20), nullable=True),
    sa.Column("created_at", Stamp, nullable=True),
    sa.Column("url", sa.Text, nullable=True),
    sa.Column("conversation_id", sa.String(300), nullable=True),
    sa.Column("reply_to_external_id", sa.String(300), nullable=True),
    sa.Column("reply_to_author_external_id", sa.String(300), nullable=True),
    sa.Column("repost_of_external_id", sa.String(300), nullable=True),
    sa.Column("quote_of_external_id", sa.String(300), nullable=True),
    sa.Column("urls", sa.Text, nullable=False, server_default="[]"),
    sa.Column("canonical_urls", sa.Text, nullable=False, server_default="[]"),
    sa.Column("hashtags", sa.Text, nullable=False, server_default="[]"),
    sa.Column("mentions", sa.Text, nullable=False, server_default="[]"),
    sa.Column("media", sa.Text, nullable=False, server_default="[]"),
    sa.Column("metrics", sa.Text, nullable=False, server_default="{}"),
    sa.Column("like_count", sa.Integer, nullable=True),
    sa.Column("repost_count", sa.Integer, nullable=True),
    sa.Column("reply_count", sa.Integer, nullable=True),
    sa.Column("place", sa.Text, nullable=True),
    sa.Column("country_code", sa.String(2), nullable=True),
    sa.Column("raw", sa.Text, nullable=False),
    sa.Column("content_hash", sa.String(32), nullable=False),
    sa.Column("collection_id", BigId, sa.ForeignKey("collections.id"), nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("retrieved_at", Stamp, nullable=False),
    sa.Column("tool_version", sa.String(40), nullable=False),
    sa.Column("imported_at", Stamp, nullable=False),
    sa.Column("updated_at", Stamp, nullable=False),
    sa.Column("detected_language", sa.String(20), nullable=True),
    sa.Column("language_confidence", sa.Float, nullable=True),
    # Written by the listen stages, copied here so dashboards filter and group without JSON.
    sa.Column("sentiment", sa.String(10), nullable=True),  # positive | neutral | negative
    sa.Column("sentiment_score", sa.Float, nullable=True),  # P(positive) - P(negative), -1..1
    sa.Column("emotion", sa.String(20), nullable=True),
    sa.Column("author_country", sa.String(2), nullable=True),  # ISO 3166-1 alpha-2
    sa.UniqueConstraint("platform", "external_id", name="uq_posts_platform_external_id"),
)
sa.Index("ix_posts_created_at", posts.c.created_at)
sa.Index("ix_posts_author", posts.c.platform, posts.c.author_external_id)
# No index on detected_language or collection_id: filters use the coalesced language, and each
# index costs about a tenth of the import speed.

post_enrichments = sa.Table(
    "post_enrichments",
    metadata,
    sa.Column("post_id", BigId, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("stage", sa.String(60), primary_key=True),
    sa.Column("model", sa.String(200), nullable=False),
    sa.Column("model_version", sa.String(60), nullable=False),
    sa.Column("result", sa.Text, nullable=False),
    sa.Column("created_at", Stamp, nullable=False),
)
sa.Index("ix_post_enrichments_stage", post_enrichments.c.stage)

post_vectors = sa.Table(
    "post_vectors",
    metadata,
    sa.Column("post_id", BigId, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("space", sa.String(20), primary_key=True),  # fast | accurate
    sa.Column("model", sa.String(200), nullable=False),
    sa.Column("model_version", sa.String(60), nullable=False),
    sa.Column("dim", sa.Integer, nullable=False),
    sa.Column("vector", sa.LargeBinary, nullable=False),  # float16, L2-normalised
)

# Many-valued labels of a post (topics, countries mentioned, stance per target, emerging
# cluster), one row each so that dashboards group by them on both databases.
post_facets = sa.Table(
    "post_facets",
    metadata,
    sa.Column("post_id", BigId, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("facet", sa.String(60), primary_key=True),
    sa.Column("value", sa.String(200), primary_key=True),
    sa.Column("stage", sa.String(60), nullable=False),
    sa.Column("score", sa.Float, nullable=True),
)
sa.Index("ix_post_facets_facet_value", post_facets.c.facet, post_facets.c.value)

watch_rules = sa.Table(
    "watch_rules",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("query", sa.Text, nullable=False),
    sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("settings", sa.Text, nullable=False, server_default="{}"),  # baseline, thresholds
    sa.Column("notify", sa.Text, nullable=False, server_default="{}"),  # webhook, e-mail
    sa.Column("created_by", sa.String(80), nullable=True),
    sa.Column("created_at", Stamp, nullable=False),
    sa.Column("updated_at", Stamp, nullable=False),
    sa.Column("checked_until", Stamp, nullable=True),
)

alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("rule_id", BigId, sa.ForeignKey("watch_rules.id", ondelete="CASCADE"), nullable=True),
    sa.Column("kind", sa.String(40), nullable=False),  # volume | negative | ...
    sa.Column("window_start", Stamp, nullable=False),
    sa.Column("window_end", Stamp, nullable=False),
    sa.Column("observed", sa.Float, nullable=False),
    sa.Column("expected", sa.Float, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("details", sa.Text, nullable=False, server_default="{}"),
    sa.Column("status", sa.String(20), nullable=False, server_default="open"),
    sa.Column("acknowledged_by", sa.String(80), nullable=True),
    sa.Column("acknowledged_at", Stamp, nullable=True),
    sa.Column("created_at", Stamp, nullable=False),
    sa.UniqueConstraint("rule_id", "kind", "window_start", name="uq_alerts_rule_kind_window"),
)
sa.Index("ix_alerts_created_at", alerts.c.created_at)

alert_deliveries = sa.Table(
    "alert_deliveries",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("alert_id", BigId, sa.ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False),
    sa.Column("channel", sa.String(20), nullable=False),  # webhook | email
    sa.Column("target", sa.Text, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),  # pending | sent | failed
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Column("sent_at", Stamp, nullable=True),
    sa.UniqueConstraint("alert_id", "channel", "target", name="uq_alert_deliveries_target"),
)

emerging_topics = sa.Table(
    "emerging_topics",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("computed_at", Stamp, nullable=False),
    sa.Column("window_start", Stamp, nullable=True),
    sa.Column("window_end", Stamp, nullable=True),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("terms", sa.Text, nullable=False, server_default="[]"),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("languages", sa.Text, nullable=False, server_default="{}"),
    sa.Column("sample_post_ids", sa.Text, nullable=False, server_default="[]"),
    # Posts in the latest window over the cluster's average per window before; emerging >= 3.
    sa.Column("growth", sa.Float, nullable=True),
    sa.Column("emerging", sa.Boolean, nullable=False, server_default=sa.false()),
)

collector_cursors = sa.Table(
    "collector_cursors",
    metadata,
    sa.Column("source", sa.String(40), primary_key=True),  # bluesky | mastodon | rss | x | youtube
    sa.Column("key", sa.String(500), primary_key=True),  # the query, feed URL, video id...
    sa.Column("cursor", sa.Text, nullable=True),
    sa.Column("state", sa.Text, nullable=False, server_default="{}"),
    sa.Column("collection_id", BigId, sa.ForeignKey("collections.id"), nullable=True),
    sa.Column("updated_at", Stamp, nullable=False),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("username", sa.String(80), nullable=False, unique=True),
    sa.Column("display_name", sa.String(200), nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("role", sa.String(30), nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("locale", sa.String(10), nullable=False, server_default="en"),
    sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"),
    sa.Column("locked_until", Stamp, nullable=True),
    sa.Column("created_at", Stamp, nullable=False),
    sa.Column("last_login_at", Stamp, nullable=True),
)

web_sessions = sa.Table(
    "web_sessions",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", BigId, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", Stamp, nullable=False),
    sa.Column("expires_at", Stamp, nullable=False),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("at", Stamp, nullable=False),
    sa.Column("actor", sa.String(80), nullable=True),  # username, or None for the system
    sa.Column("action", sa.String(80), nullable=False),
    sa.Column("target", sa.Text, nullable=True),
    sa.Column("detail", sa.Text, nullable=False, server_default="{}"),
    sa.Column("ip", sa.String(64), nullable=True),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)
sa.Index("ix_audit_log_at", audit_log.c.at)

# The fact-check base (issue #4): fact-checks, verified facts and official positions.
# One row per (source, external_id) when an import gives an id, and per url when it has one.
fact_checks = sa.Table(
    "fact_checks",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("kind", sa.String(30), nullable=False),  # fact_check, verified_fact, official_...
    sa.Column("claim_text", sa.Text, nullable=False),
    sa.Column("verdict", sa.String(20), nullable=False),  # false, misleading, true, mixed, ...
    sa.Column("verdict_text", sa.Text, nullable=True),  # the rating as published
    sa.Column("rating_value", sa.Float, nullable=True),
    sa.Column("language", sa.String(20), nullable=True),
    sa.Column("claimant", sa.Text, nullable=True),
    sa.Column("claim_date", Stamp, nullable=True),
    sa.Column("review_date", Stamp, nullable=True),
    sa.Column("url", sa.String(2000), nullable=True, unique=True),
    sa.Column("title", sa.Text, nullable=True),
    sa.Column("summary", sa.Text, nullable=True),
    sa.Column("publisher", sa.Text, nullable=True),
    sa.Column("sources", sa.Text, nullable=False, server_default="[]"),  # JSON list of URLs
    sa.Column("languages", sa.Text, nullable=False, server_default="[]"),  # JSON list of codes
    sa.Column("source", sa.String(80), nullable=True),  # dataset or importer, e.g. checkthat2022
    sa.Column("external_id", sa.String(500), nullable=True),
    sa.Column("created_at", Stamp, nullable=False),
    sa.Column("updated_at", Stamp, nullable=False),
    sa.Column("created_by", sa.String(80), nullable=True),
    sa.UniqueConstraint("source", "external_id", name="uq_fact_checks_source_external_id"),
)
sa.Index("ix_fact_checks_verdict", fact_checks.c.verdict)

# Claim matching (issue #4): each fact-check's claim embedded once per model, and the matches
# of posts against the base with the analyst's review kept.
fact_check_vectors = sa.Table(
    "fact_check_vectors",
    metadata,
    sa.Column(
        "fact_check_id",
        BigId,
        sa.ForeignKey("fact_checks.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("space", sa.String(20), primary_key=True),  # accurate
    sa.Column("model", sa.String(200), nullable=False),
    sa.Column("model_version", sa.String(60), nullable=False),
    sa.Column("text_hash", sa.String(64), nullable=False),  # of the text embedded
    sa.Column("dim", sa.Integer, nullable=False),
    sa.Column("vector", sa.LargeBinary, nullable=False),  # float16, L2-normalised
)

claim_matches = sa.Table(
    "claim_matches",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("post_id", BigId, sa.ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
    sa.Column(
        "fact_check_id",
        BigId,
        sa.ForeignKey("fact_checks.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("score", sa.Float, nullable=False),  # calibrated probability of a true match
    sa.Column("similarity", sa.Float, nullable=False),  # cosine of the embeddings
    sa.Column("rank", sa.Integer, nullable=False),
    sa.Column("model", sa.String(200), nullable=False),
    sa.Column("model_version", sa.String(60), nullable=False),
    sa.Column("status", sa.String(20), nullable=False, server_default="pending"),
    sa.Column("matched_at", Stamp, nullable=False),
    sa.Column("reviewed_by", sa.String(80), nullable=True),
    sa.Column("reviewed_at", Stamp, nullable=True),
    sa.Column("note", sa.Text, nullable=True),
    sa.UniqueConstraint("post_id", "fact_check_id", name="uq_claim_matches_post_fact_check"),
)
sa.Index("ix_claim_matches_fact_check", claim_matches.c.fact_check_id)
sa.Index("ix_claim_matches_status", claim_matches.c.status)

# Narratives: groups of matched and claim-like posts, followed over time.
narratives = sa.Table(
    "narratives",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("summary", sa.Text, nullable=True),
    sa.Column(
        "fact_check_id", BigId, sa.ForeignKey("fact_checks.id", ondelete="SET NULL"), nullable=True
    ),
    sa.Column("status", sa.String(20), nullable=False, server_default="active"),
    sa.Column("centroid", sa.LargeBinary, nullable=True),  # float16, accurate space
    sa.Column("first_seen", Stamp, nullable=True),
    sa.Column("last_seen", Stamp, nullable=True),
    sa.Column("post_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("details", sa.Text, nullable=False, server_default="{}"),  # languages, growth...
    sa.Column("created_at", Stamp, nullable=False),
    sa.Column("updated_at", Stamp, nullable=False),
)

narrative_posts = sa.Table(
    "narrative_posts",
    metadata,
    sa.Column(
        "narrative_id", BigId, sa.ForeignKey("narratives.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("post_id", BigId, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("similarity", sa.Float, nullable=True),
    sa.Column("variant", sa.Integer, nullable=True),
    sa.Column("added_at", Stamp, nullable=False),
)
sa.Index("ix_narrative_posts_post", narrative_posts.c.post_id)

# Bot-likeness: a score per account with its reasons, and the analysts' labels.
account_scores = sa.Table(
    "account_scores",
    metadata,
    sa.Column("platform", sa.String(20), primary_key=True),
    sa.Column("external_id", sa.String(300), primary_key=True),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("reasons", sa.Text, nullable=False, server_default="[]"),
    sa.Column("features", sa.Text, nullable=False, server_default="{}"),
    sa.Column("model_version", sa.String(60), nullable=False),
    sa.Column("computed_at", Stamp, nullable=False),
)
sa.Index("ix_account_scores_score", account_scores.c.score)

account_labels = sa.Table(
    "account_labels",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("platform", sa.String(20), nullable=False),
    sa.Column("external_id", sa.String(300), nullable=False),
    sa.Column("label", sa.String(20), nullable=False),  # automated | human | unsure
    sa.Column("note", sa.Text, nullable=True),
    sa.Column("labeled_by", sa.String(80), nullable=False),
    sa.Column("labeled_at", Stamp, nullable=False),
)
sa.Index("ix_account_labels_account", account_labels.c.platform, account_labels.c.external_id)

# Coordinated behaviour found in the database: one run per network computed, its clusters with
# score, members and evidence; `signature` (hash of the sorted members) tells a new cluster.
coordination_runs = sa.Table(
    "coordination_runs",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("network", sa.String(20), nullable=False),
    sa.Column("window_s", sa.Integer, nullable=False),
    sa.Column("min_weight", sa.Integer, nullable=False),
    sa.Column("since", Stamp, nullable=True),
    sa.Column("until", Stamp, nullable=True),
    sa.Column("node_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("edge_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("modularity", sa.Float, nullable=True),
    sa.Column("computed_at", Stamp, nullable=False),
)

coordination_clusters = sa.Table(
    "coordination_clusters",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column(
        "run_id", BigId, sa.ForeignKey("coordination_runs.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("signature", sa.String(64), nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("member_count", sa.Integer, nullable=False),
    sa.Column("members", sa.Text, nullable=False, server_default="[]"),
    sa.Column("evidence", sa.Text, nullable=False, server_default="{}"),
    sa.Column("first_found_at", Stamp, nullable=False),
)
sa.Index("ix_coordination_clusters_signature", coordination_clusters.c.signature)

# Polarization figures per computation (overall, or per narrative), kept to show over time.
polarization_snapshots = sa.Table(
    "polarization_snapshots",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column(
        "narrative_id", BigId, sa.ForeignKey("narratives.id", ondelete="CASCADE"), nullable=True
    ),
    sa.Column("window_start", Stamp, nullable=True),
    sa.Column("window_end", Stamp, nullable=True),
    sa.Column("modularity", sa.Float, nullable=True),
    sa.Column("ei_index", sa.Float, nullable=True),
    sa.Column("figures", sa.Text, nullable=False, server_default="{}"),
    sa.Column("computed_at", Stamp, nullable=False),
)

# Drafts for the publishing workflow; a counter-narrative draft has one text per language.
drafts = sa.Table(
    "drafts",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("kind", sa.String(30), nullable=False),  # counter_narrative, ...
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("status", sa.String(20), nullable=False, server_default="draft"),
    sa.Column(
        "narrative_id", BigId, sa.ForeignKey("narratives.id", ondelete="SET NULL"), nullable=True
    ),
    sa.Column("sources", sa.Text, nullable=False, server_default="[]"),
    sa.Column("created_by", sa.String(80), nullable=True),
    sa.Column("created_at", Stamp, nullable=False),
    sa.Column("updated_at", Stamp, nullable=False),
)

draft_texts = sa.Table(
    "draft_texts",
    metadata,
    sa.Column("draft_id", BigId, sa.ForeignKey("drafts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("language", sa.String(20), primary_key=True),
    sa.Column("body", sa.Text, nullable=False),
)
