"""Posts as the coordination networks need them: who, when, and what they shared. Read only."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.store.schema import posts
from ediplomacy.store.timeutil import as_utc


class CoordinationPost(NamedTuple):
    id: int
    platform: str
    external_id: str
    author_external_id: str
    author_handle: str
    repost_of_external_id: str  # '' when not a repost
    reply_to_external_id: str  # '' when not a reply
    text: str
    created_at: datetime
    canonical_urls: tuple[str, ...]
    hashtags: tuple[str, ...]


def _strings(value: str | None) -> tuple[str, ...]:
    try:
        parsed = json.loads(value or "[]")
    except ValueError:
        return ()
    return tuple(str(item) for item in parsed if item) if isinstance(parsed, list) else ()


def coordination_posts(
    engine: Engine,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    platform: str | None = None,
    batch: int = 5_000,
) -> Iterator[CoordinationPost]:
    """Posts with an author and a time, oldest first, streamed in batches."""
    query = (
        sa.select(
            posts.c.id,
            posts.c.platform,
            posts.c.external_id,
            posts.c.author_external_id,
            posts.c.author_handle,
            posts.c.repost_of_external_id,
            posts.c.reply_to_external_id,
            posts.c.text,
            posts.c.created_at,
            posts.c.canonical_urls,
            posts.c.hashtags,
        )
        .where(posts.c.author_external_id.is_not(None), posts.c.created_at.is_not(None))
        .order_by(posts.c.created_at, posts.c.id)
    )
    if since is not None:
        query = query.where(posts.c.created_at >= since)
    if until is not None:
        query = query.where(posts.c.created_at < until)
    if platform is not None:
        query = query.where(posts.c.platform == platform)
    with engine.connect() as conn:
        result = conn.execution_options(yield_per=batch).execute(query)
        for row in result:
            yield CoordinationPost(
                row.id,
                row.platform,
                row.external_id,
                row.author_external_id,
                row.author_handle or "",
                row.repost_of_external_id or "",
                row.reply_to_external_id or "",
                row.text or "",
                as_utc(row.created_at),
                _strings(row.canonical_urls),
                _strings(row.hashtags),
            )
