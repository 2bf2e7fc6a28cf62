"""Emerging topics (clusters of recent posts) and their member posts. Never commits."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ediplomacy.store.queries import language
from ediplomacy.store.schema import emerging_topics, post_facets, post_vectors, posts
from ediplomacy.store.serialize import dumps, loads
from ediplomacy.store.timeutil import as_utc

STAGE = "emerging"  # the post_facets stage of the "cluster" facets


@dataclass(frozen=True, slots=True)
class WindowPost:
    post_id: int
    text: str
    language: str | None
    created_at: datetime | None
    vector: bytes


def window_posts(
    conn: Connection,
    *,
    since: datetime | None,
    until: datetime | None,
    limit: int,
    chunk: int = 5000,
) -> Iterator[list[WindowPost]]:
    """Posts with a fast vector created in [since, until), newest `limit` of them, in chunks."""
    where = [post_vectors.c.space == "fast"]
    if since is not None:
        where.append(posts.c.created_at >= since)
    if until is not None:
        where.append(posts.c.created_at < until)
    newest = (
        sa.select(posts.c.id)
        .join(post_vectors, post_vectors.c.post_id == posts.c.id)
        .where(*where)
        .order_by(posts.c.created_at.desc(), posts.c.id.desc())
        .limit(limit)
    ).subquery()
    after = 0
    while True:
        query = (
            sa.select(
                posts.c.id,
                posts.c.text,
                language.label("language"),
                posts.c.created_at,
                post_vectors.c.vector,
            )
            .join(post_vectors, post_vectors.c.post_id == posts.c.id)
            .where(post_vectors.c.space == "fast", posts.c.id.in_(sa.select(newest.c.id)))
            .where(posts.c.id > after)
            .order_by(posts.c.id)
            .limit(chunk)
        )
        rows = [
            WindowPost(row.id, row.text, row.language, as_utc(row.created_at), bytes(row.vector))
            for row in conn.execute(query)
        ]
        if not rows:
            return
        yield rows
        after = rows[-1].post_id


def replace_emerging(
    conn: Connection,
    *,
    computed_at: datetime,
    window_start: datetime | None,
    window_end: datetime | None,
    topics: Sequence[dict[str, Any]],
    members: Sequence[Sequence[tuple[int, float]]],
) -> list[int]:
    """Replace the stored clusters by `topics` (with their members' post ids and scores)."""
    conn.execute(post_facets.delete().where(post_facets.c.stage == STAGE))
    conn.execute(emerging_topics.delete())
    ids = []
    for topic, rows in zip(topics, members, strict=True):
        result = conn.execute(
            emerging_topics.insert().values(
                computed_at=computed_at,
                window_start=window_start,
                window_end=window_end,
                label=topic["label"],
                terms=dumps(topic["terms"]),
                size=topic["size"],
                languages=dumps(topic["languages"]),
                sample_post_ids=dumps(topic["sample_post_ids"]),
                growth=topic["growth"],
                emerging=topic["emerging"],
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        topic_id = int(key[0])
        ids.append(topic_id)
        if rows:
            conn.execute(
                post_facets.insert(),
                [
                    {"post_id": post_id, "facet": "cluster", "value": str(topic_id),
                     "stage": STAGE, "score": score}
                    for post_id, score in rows
                ],
            )  # fmt: skip
    return ids


def list_emerging(conn: Connection) -> list[dict[str, Any]]:
    """The stored clusters, emerging ones first, then by size."""
    query = sa.select(emerging_topics).order_by(
        emerging_topics.c.emerging.desc(), emerging_topics.c.size.desc(), emerging_topics.c.id
    )
    return [
        {
            "id": row.id,
            "computed_at": as_utc(row.computed_at),
            "window_start": as_utc(row.window_start),
            "window_end": as_utc(row.window_end),
            "label": row.label,
            "terms": loads(row.terms),
            "size": row.size,
            "languages": loads(row.languages),
            "sample_post_ids": loads(row.sample_post_ids),
            "growth": row.growth,
            "emerging": bool(row.emerging),
        }
        for row in conn.execute(query)
    ]
