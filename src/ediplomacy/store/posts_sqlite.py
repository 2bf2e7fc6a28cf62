"""The SQLite fast path for post and actor upserts: one UPSERT statement run by executemany.

SQLite has one writer at a time, so the rows a batch added are exactly those with an id above
the largest id before it; they are added to the full-text index in one statement afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from operator import itemgetter
from typing import Any

from sqlalchemy.engine import Connection

from ediplomacy.store.serialize import ACTOR_FIELDS

POST_COLUMNS = (
    "platform", "external_id", "author_external_id", "author_handle", "text", "language",
    "created_at", "url", "conversation_id", "reply_to_external_id",
    "reply_to_author_external_id", "repost_of_external_id", "quote_of_external_id", "urls",
    "canonical_urls", "hashtags", "mentions", "media", "metrics", "like_count", "repost_count",
    "reply_count", "place", "country_code", "raw", "content_hash", "collection_id", "source",
    "retrieved_at", "tool_version", "imported_at", "updated_at",
)  # fmt: skip
POST_DATETIMES = frozenset({"created_at", "retrieved_at", "imported_at", "updated_at"})
ACTOR_COLUMNS = ("platform", "external_id", *ACTOR_FIELDS, "first_seen_at", "updated_at")
ACTOR_DATETIMES = frozenset({"created_at", "first_seen_at", "updated_at"})


def sqlite_datetime(value: datetime | None) -> str | None:
    """The text SQLAlchemy's SQLite DateTime type stores, in UTC, so both paths read alike."""
    if value is None:
        return None
    if value.tzinfo is not None and value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:26]


@cache
def _post_upsert_sql(update_fields: tuple[str, ...]) -> str:
    names = ", ".join(POST_COLUMNS)
    marks = ", ".join("?" for _ in POST_COLUMNS)
    sets = ", ".join(f"{name} = excluded.{name}" for name in update_fields)
    return (
        f"INSERT INTO posts ({names}) VALUES ({marks}) "
        f"ON CONFLICT (platform, external_id) DO UPDATE SET {sets} "
        "WHERE excluded.content_hash != posts.content_hash "
        "AND excluded.retrieved_at >= posts.retrieved_at"
    )


@cache
def _actor_upsert_sql() -> str:
    names = ", ".join(ACTOR_COLUMNS)
    marks = ", ".join("?" for _ in ACTOR_COLUMNS)
    sets = ", ".join(f"{name} = coalesce(excluded.{name}, actors.{name})" for name in ACTOR_FIELDS)
    changed = " OR ".join(
        f"(excluded.{name} IS NOT NULL AND excluded.{name} IS NOT actors.{name})"
        for name in ACTOR_FIELDS
    )
    return (
        f"INSERT INTO actors ({names}) VALUES ({marks}) "
        f"ON CONFLICT (platform, external_id) DO UPDATE SET {sets}, "
        f"updated_at = excluded.updated_at WHERE {changed}"
    )


def _rows(
    rows: Sequence[dict[str, Any]], columns: Sequence[str], datetimes: frozenset[str]
) -> list[tuple[Any, ...]]:
    pick = itemgetter(*columns)
    times = [i for i, name in enumerate(columns) if name in datetimes]
    seen: dict[datetime, str | None] = {}  # a batch shares its retrieval and import times
    values = []
    for row in rows:
        value = list(pick(row))
        for i in times:
            stamp = value[i]
            if isinstance(stamp, datetime):
                text = seen.get(stamp)
                if text is None:
                    text = seen[stamp] = sqlite_datetime(stamp)
                value[i] = text
        values.append(tuple(value))
    return values


def _max_id(conn: Connection, table: str) -> int:
    """The largest id, read under the write lock so no other writer can add rows meanwhile."""
    # A write that changes nothing still takes SQLite's write lock for this transaction.
    conn.exec_driver_sql(f"UPDATE {table} SET id = id WHERE id = -1")
    return int(conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {table}").scalar_one())


def _count_above(conn: Connection, table: str, before: int) -> int:
    query = f"SELECT count(*) FROM {table} WHERE id > ?"
    return int(conn.exec_driver_sql(query, (before,)).scalar_one())


def post_values(rows: Sequence[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Post rows as the tuples the upsert binds, datetimes as SQLite text."""
    return _rows(rows, POST_COLUMNS, POST_DATETIMES)


def actor_values(rows: Sequence[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return _rows(rows, ACTOR_COLUMNS, ACTOR_DATETIMES)


def upsert_posts_sqlite(
    conn: Connection, values: Sequence[tuple[Any, ...]], update_fields: tuple[str, ...]
) -> tuple[int, int]:
    """Upsert rows made by post_values(); a repeat in the batch updates or leaves its twin."""
    before = _max_id(conn, "posts")
    result = conn.exec_driver_sql(_post_upsert_sql(update_fields), list(values))
    changed = result.rowcount
    new = _count_above(conn, "posts", before)
    if new:
        conn.exec_driver_sql(
            "INSERT INTO posts_fts (rowid, text) SELECT id, text FROM posts WHERE id > ?",
            (before,),
        )
    return new, changed - new


def upsert_actors_sqlite(conn: Connection, values: Sequence[tuple[Any, ...]]) -> tuple[int, int]:
    """Upsert actor_values() rows, filling in fields the stored profile lacks: (new, updated)."""
    before = _max_id(conn, "actors")
    result = conn.exec_driver_sql(_actor_upsert_sql(), list(values))
    new = _count_above(conn, "actors", before)
    return new, result.rowcount - new
