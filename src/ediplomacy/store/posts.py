"""Write posts and actors idempotently, keyed by (platform, external id). Never commits.

This is the only way posts enter the database: it also keeps SQLite's full-text index current.
SQLite takes a single-statement fast path (posts_sqlite); other databases look up the stored
copies first, so that concurrent writers on PostgreSQL never fail on a conflict.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ediplomacy.store.posts_sqlite import (
    actor_values,
    post_values,
    upsert_actors_sqlite,
    upsert_posts_sqlite,
)
from ediplomacy.store.schema import actors, posts
from ediplomacy.store.serialize import ACTOR_FIELDS
from ediplomacy.store.timeutil import as_utc

# SQLite allows 32,766 bound parameters; PostgreSQL many more. Lookups go in chunks of this.
LOOKUP_CHUNK = 900

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


def _existing(
    conn: Connection, table: sa.Table, keys: Iterable[tuple[str, str]], columns: Sequence[str]
) -> dict[tuple[str, str], Any]:
    """Rows already stored for these keys, by (platform, external id)."""
    by_platform: dict[str, list[str]] = defaultdict(list)
    for platform, external_id in keys:
        by_platform[platform].append(external_id)
    cols = [table.c.platform, table.c.external_id, *(table.c[name] for name in columns)]
    found: dict[tuple[str, str], Any] = {}
    for platform, ids in by_platform.items():
        for start in range(0, len(ids), LOOKUP_CHUNK):
            chunk = ids[start : start + LOOKUP_CHUNK]
            query = sa.select(*cols).where(
                table.c.platform == platform, table.c.external_id.in_(chunk)
            )
            for row in conn.execute(query):
                found[(row.platform, row.external_id)] = row
    return found


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


def _not_older(row: dict[str, Any], stored: datetime) -> bool:
    return as_utc(row["retrieved_at"]) >= as_utc(stored)


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
    latest = list(_newest_per_key(posts).values())
    if dialect == "sqlite":
        return PreparedRows(post_values(latest), actor_values(actors), len(posts) - len(latest))
    return PreparedRows(latest, actors, len(posts) - len(latest))


def upsert_posts(conn: Connection, rows: Rows) -> WriteCounts:
    """Insert new posts; update a stored post only from a newer, different copy."""
    counts = WriteCounts()
    if not rows:
        return counts
    if isinstance(rows[0], dict):
        prepared = prepare_rows(conn.dialect.name, rows, [])  # type: ignore[arg-type]
        counts.unchanged, rows = prepared.repeats, prepared.posts
    if conn.dialect.name == "sqlite":
        new, updated = upsert_posts_sqlite(conn, rows, POST_UPDATE_FIELDS)  # type: ignore[arg-type]
        counts.new, counts.updated = new, updated
        counts.unchanged += len(rows) - new - updated
        return counts
    latest = {(row["platform"], row["external_id"]): row for row in cast(DictRows, rows)}
    stored = _existing(conn, posts, latest, ("id", "content_hash", "retrieved_at"))
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for key, row in latest.items():
        old = stored.get(key)
        if old is None:
            inserts.append(row)
        elif old.content_hash != row["content_hash"] and _not_older(row, old.retrieved_at):
            change = {name: row[name] for name in POST_UPDATE_FIELDS}
            change["post_id"] = old.id
            updates.append(change)
        else:
            counts.unchanged += 1
    if inserts:
        statement = _insert_ignoring_conflicts(conn, posts)
        conn.execute(statement, inserts)
        counts.new = len(inserts)
    if updates:
        statement = (
            posts.update()
            .where(posts.c.id == sa.bindparam("post_id"))
            .values({name: sa.bindparam(name) for name in POST_UPDATE_FIELDS})
        )
        conn.execute(statement, updates)
        counts.updated = len(updates)
    return counts


def upsert_actors(conn: Connection, rows: Rows) -> WriteCounts:
    """Insert new actors; fill in or refresh the profile fields of known ones."""
    counts = WriteCounts()
    if not rows:
        return counts
    if conn.dialect.name == "sqlite":
        values = rows if isinstance(rows[0], tuple) else actor_values(rows)  # type: ignore[arg-type]
        new, updated = upsert_actors_sqlite(conn, values)  # type: ignore[arg-type]
        return WriteCounts(new=new, updated=updated, unchanged=len(rows) - new - updated)
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for row in cast(DictRows, rows):
        key = (row["platform"], row["external_id"])
        held = merged.get(key)
        if held is None:
            merged[key] = dict(row)
        else:
            held.update({k: v for k, v in row.items() if v is not None})
    stored = _existing(conn, actors, merged, ("id", *ACTOR_FIELDS))
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for key, row in merged.items():
        old = stored.get(key)
        if old is None:
            inserts.append(row)
            continue
        change = {
            name: row[name]
            for name in ACTOR_FIELDS
            if row[name] is not None and _differs(name, row[name], getattr(old, name))
        }
        if change:
            fields = {name: (change.get(name, getattr(old, name))) for name in ACTOR_FIELDS}
            fields.update(actor_id=old.id, updated_at=row["updated_at"])
            updates.append(fields)
        else:
            counts.unchanged += 1
    if inserts:
        conn.execute(_insert_ignoring_conflicts(conn, actors), inserts)
        counts.new = len(inserts)
    if updates:
        statement = (
            actors.update()
            .where(actors.c.id == sa.bindparam("actor_id"))
            .values({name: sa.bindparam(name) for name in (*ACTOR_FIELDS, "updated_at")})
        )
        conn.execute(statement, updates)
        counts.updated = len(updates)
    return counts


def _differs(name: str, new: Any, old: Any) -> bool:
    if name == "created_at":
        return as_utc(new) != as_utc(old)
    return bool(new != old)


def _insert_ignoring_conflicts(conn: Connection, table: sa.Table) -> Any:
    """INSERT that skips rows another writer stored meanwhile (unique platform + external id)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing(index_elements=["platform", "external_id"])
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).on_conflict_do_nothing(index_elements=["platform", "external_id"])
