"""Write posts and actors idempotently, keyed by (platform, external id). Never commits.

This is the only way posts enter the database: it also keeps SQLite's full-text index current.
Each dialect has one single-statement UPSERT (posts_sqlite, posts_pg); this module shapes the
rows for it and keeps the counts of new, updated and unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy.engine import Connection

from ediplomacy.store.posts_pg import upsert_actors_pg, upsert_posts_pg
from ediplomacy.store.posts_sqlite import (
    actor_values,
    post_values,
    upsert_actors_sqlite,
    upsert_posts_sqlite,
)
from ediplomacy.store.timeutil import as_utc

POST_UPDATE_FIELDS = (
    "author_handle",
    "text",
    "language",
    "url",
    "urls",
    "canonical_urls",
    "hashtags",
    "mentions",
    "media",
    "metrics",
    "like_count",
    "repost_count",
    "reply_count",
    "place",
    "country_code",
    "raw",
    "content_hash",
    "retrieved_at",
    "updated_at",
)


@dataclass(slots=True)
class WriteCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0


def _newest_per_key(rows: Iterable[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        key = (row["platform"], row["external_id"])
        held = latest.get(key)
        if held is None or as_utc(row["retrieved_at"]) >= as_utc(held["retrieved_at"]):
            latest[key] = row
    return latest


DictRows = Sequence[dict[str, Any]]
Rows = DictRows | Sequence[tuple[Any, ...]]


@dataclass(slots=True)
class PreparedRows:
    """Rows in the shape the dialect's upsert binds fastest (tuples on SQLite).

    Importers prepare them in the process that parses, so the writing process only writes.
    """

    posts: Rows
    actors: Rows
    repeats: int  # copies of a post dropped for a newer copy in the same batch: unchanged


def prepare_rows(
    dialect: str, posts: Sequence[dict[str, Any]], actors: Sequence[dict[str, Any]]
) -> PreparedRows:
    """One row per key (the newest post, the merged actor), shaped for the dialect's upsert."""
    latest = list(_newest_per_key(posts).values())
    merged = _merge_actors(actors)
    repeats = len(posts) - len(latest)
    if dialect == "sqlite":
        return PreparedRows(post_values(latest), actor_values(merged), repeats)
    return PreparedRows(latest, merged, repeats)


def upsert_posts(conn: Connection, rows: Rows) -> WriteCounts:
    """Insert new posts; update a stored post only from a newer, different copy."""
    counts = WriteCounts()
    if not rows:
        return counts
    if isinstance(rows[0], dict):
        prepared = prepare_rows(conn.dialect.name, cast(DictRows, rows), [])
        counts.unchanged, rows = prepared.repeats, prepared.posts
    upsert = upsert_posts_sqlite if conn.dialect.name == "sqlite" else upsert_posts_pg
    counts.new, counts.updated = upsert(conn, rows, POST_UPDATE_FIELDS)  # type: ignore[arg-type]
    counts.unchanged += len(rows) - counts.new - counts.updated
    return counts


def upsert_actors(conn: Connection, rows: Rows) -> WriteCounts:
    """Insert new actors; fill in or refresh the profile fields of known ones."""
    if not rows:
        return WriteCounts()
    if isinstance(rows[0], dict):
        rows = prepare_rows(conn.dialect.name, [], cast(DictRows, rows)).actors
    upsert = upsert_actors_sqlite if conn.dialect.name == "sqlite" else upsert_actors_pg
    new, updated = upsert(conn, rows)  # type: ignore[arg-type]
    return WriteCounts(new=new, updated=updated, unchanged=len(rows) - new - updated)


def _merge_actors(rows: DictRows) -> list[dict[str, Any]]:
    """One row per actor: later copies fill in and refresh what earlier ones said."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        key = (row["platform"], row["external_id"])
        held = merged.get(key)
        if held is None:
            merged[key] = dict(row)
        else:
            held.update({k: v for k, v in row.items() if v is not None})
    return list(merged.values())
