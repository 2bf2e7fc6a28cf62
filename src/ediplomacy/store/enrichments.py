"""Stage results per post: which posts still need a stage, and idempotent writes. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ediplomacy.store.schema import actors, post_enrichments, post_facets, posts
from ediplomacy.store.serialize import dumps, loads


def _pending_filter(stage: str, version: str) -> sa.ColumnElement[bool]:
    done = sa.exists().where(
        post_enrichments.c.post_id == posts.c.id,
        post_enrichments.c.stage == stage,
        post_enrichments.c.model_version == version,
    )
    return ~done


def count_pending(conn: Connection, stage: str, version: str) -> int:
    query = sa.select(sa.func.count()).select_from(posts).where(_pending_filter(stage, version))
    return int(conn.execute(query).scalar_one())


def pending_posts(
    conn: Connection, stage: str, version: str, *, after_id: int, limit: int
) -> list[sa.Row[Any]]:
    """The next posts (by id) that have not been through this version of the stage."""
    author = sa.and_(
        actors.c.platform == posts.c.platform,
        actors.c.external_id == posts.c.author_external_id,
    )
    query = (
        sa.select(
            posts.c.id,
            posts.c.platform,
            posts.c.text,
            posts.c.language,
            posts.c.detected_language,
            posts.c.created_at,
            actors.c.location.label("author_location"),
        )
        .select_from(posts.outerjoin(actors, author))
        .where(posts.c.id > after_id, _pending_filter(stage, version))
        .order_by(posts.c.id)
        .limit(limit)
    )
    return list(conn.execute(query))


def write_results(
    conn: Connection,
    *,
    stage: str,
    model: str,
    version: str,
    results: Sequence[tuple[int, dict[str, Any]]],
    post_columns: Sequence[tuple[int, dict[str, Any]]],
    now: datetime,
) -> None:
    """Store each post's result for the stage, replacing an older one."""
    if not results:
        return
    rows = [
        {"post_id": post_id, "stage": stage, "model": model, "model_version": version,
         "result": dumps(result), "created_at": now}
        for post_id, result in results
    ]  # fmt: skip
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    statement = insert(post_enrichments)
    statement = statement.on_conflict_do_update(
        index_elements=["post_id", "stage"],
        set_={name: statement.excluded[name] for name in ("model", "model_version", "result",
                                                        "created_at")},
    )  # fmt: skip
    conn.execute(statement, rows)
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for post_id, columns in post_columns:
        if columns:
            by_columns.setdefault(tuple(sorted(columns)), []).append({"pid": post_id, **columns})
    for names, updates in by_columns.items():
        conn.execute(
            posts.update()
            .where(posts.c.id == sa.bindparam("pid"))
            .values({name: sa.bindparam(name) for name in names}),
            updates,
        )


def enrichments_of(
    conn: Connection, post_ids: Sequence[int]
) -> dict[int, tuple[dict[str, Any], list[tuple[str, str, float | None]]]]:
    """Every stage result (stage -> model, version, result) and facet of these posts."""
    found: dict[int, tuple[dict[str, Any], list[tuple[str, str, float | None]]]] = {
        post_id: ({}, []) for post_id in post_ids
    }
    if not post_ids:
        return found
    ids = list(post_ids)
    results = sa.select(post_enrichments).where(post_enrichments.c.post_id.in_(ids))
    for row in conn.execute(results):
        found[row.post_id][0][row.stage] = {
            "model": row.model,
            "version": row.model_version,
            "result": loads(row.result),
        }
    labels = (
        sa.select(post_facets.c.post_id, post_facets.c.facet, post_facets.c.value,
                  post_facets.c.score)
        .where(post_facets.c.post_id.in_(ids))
        .order_by(post_facets.c.post_id, post_facets.c.facet, post_facets.c.value)
    )  # fmt: skip
    for row in conn.execute(labels):
        found[row.post_id][1].append((row.facet, row.value, row.score))
    return found
