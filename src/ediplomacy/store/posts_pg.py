"""The PostgreSQL path for post and actor upserts: INSERT ... ON CONFLICT ... RETURNING.

One statement per batch (SQLAlchemy sends it as multi-row VALUES): the unique index is probed
once, inside the insert, instead of a look-up first, which on a table larger than memory
costs a random read per row. `xmax = 0` in RETURNING tells an inserted row from an updated
one; rows the WHERE clause leaves alone are not returned, so they are the unchanged ones.
Keys must be unique within a batch (prepare_rows sees to it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import Connection

from ediplomacy.store.schema import actors, posts
from ediplomacy.store.serialize import ACTOR_FIELDS

INSERTED: sa.Label[Any] = sa.literal_column("(xmax = 0)").label("inserted")


def _count(conn: Connection, statement: Any, rows: Sequence[dict[str, Any]]) -> tuple[int, int]:
    flags = conn.execute(statement.returning(INSERTED), list(rows)).scalars().all()
    new = sum(1 for flag in flags if flag)
    return new, len(flags) - new


def upsert_posts_pg(
    conn: Connection, rows: Sequence[dict[str, Any]], update_fields: tuple[str, ...]
) -> tuple[int, int]:
    """(new, updated): a stored post changes only for a different copy retrieved no earlier."""
    statement = insert(posts)
    statement = statement.on_conflict_do_update(
        index_elements=["platform", "external_id"],
        set_={name: statement.excluded[name] for name in update_fields},
        where=sa.and_(
            posts.c.content_hash != statement.excluded.content_hash,
            statement.excluded.retrieved_at >= posts.c.retrieved_at,
        ),
    )
    return _count(conn, statement, rows)


def upsert_actors_pg(conn: Connection, rows: Sequence[dict[str, Any]]) -> tuple[int, int]:
    """(new, updated): known profiles are filled in and refreshed, never erased."""
    statement = insert(actors)
    excluded = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=["platform", "external_id"],
        set_={
            **{name: sa.func.coalesce(excluded[name], actors.c[name]) for name in ACTOR_FIELDS},
            "updated_at": excluded.updated_at,
        },
        where=sa.or_(
            *(
                sa.and_(
                    excluded[name].is_not(None), excluded[name].is_distinct_from(actors.c[name])
                )
                for name in ACTOR_FIELDS
            )
        ),
    )
    return _count(conn, statement, rows)
