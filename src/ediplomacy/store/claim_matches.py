"""Claim matching: fact-check vectors, posts to match, matches and their review. Never commits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ediplomacy.domain.errors import NotFound
from ediplomacy.store.schema import (
    actors,
    claim_matches,
    fact_check_vectors,
    fact_checks,
    post_enrichments,
    post_vectors,
    posts,
)
from ediplomacy.store.timeutil import as_utc

STATUSES = ("pending", "confirmed", "rejected")


# Fact-check vectors -------------------------------------------------------------------------


def fact_check_texts(connection: Connection) -> list[sa.Row[Any]]:
    """(id, claim_text, title, language, verdict) of every fact-check, by id."""
    query = sa.select(
        fact_checks.c.id,
        fact_checks.c.claim_text,
        fact_checks.c.title,
        fact_checks.c.language,
        fact_checks.c.verdict,
    ).order_by(fact_checks.c.id)
    return list(connection.execute(query))


def fact_check_vector_hashes(connection: Connection, space: str, model: str) -> dict[int, str]:
    query = sa.select(fact_check_vectors.c.fact_check_id, fact_check_vectors.c.text_hash).where(
        fact_check_vectors.c.space == space, fact_check_vectors.c.model == model
    )
    return {row.fact_check_id: row.text_hash for row in connection.execute(query)}


def write_fact_check_vectors(
    connection: Connection,
    *,
    space: str,
    model: str,
    version: str,
    rows: Sequence[tuple[int, str, bytes, int]],
) -> None:
    """Store (fact-check id, text hash, float16 blob, dim) rows, replacing older ones."""
    if not rows:
        return
    ids = [row[0] for row in rows]
    connection.execute(
        fact_check_vectors.delete().where(
            fact_check_vectors.c.space == space, fact_check_vectors.c.fact_check_id.in_(ids)
        )
    )
    connection.execute(
        fact_check_vectors.insert(),
        [
            {
                "fact_check_id": fid,
                "space": space,
                "model": model,
                "model_version": version,
                "text_hash": text_hash,
                "dim": dim,
                "vector": blob,
            }
            for fid, text_hash, blob, dim in rows
        ],
    )


def fact_check_vectors_of(connection: Connection, space: str, model: str) -> list[sa.Row[Any]]:
    """(fact_check_id, vector, claim_text, title, language) of every embedded fact-check."""
    query = (
        sa.select(
            fact_check_vectors.c.fact_check_id,
            fact_check_vectors.c.vector,
            fact_checks.c.claim_text,
            fact_checks.c.title,
            fact_checks.c.language,
        )
        .join(fact_checks, fact_checks.c.id == fact_check_vectors.c.fact_check_id)
        .where(fact_check_vectors.c.space == space, fact_check_vectors.c.model == model)
        .order_by(fact_check_vectors.c.fact_check_id)
    )
    return list(connection.execute(query))


# Posts to match -----------------------------------------------------------------------------


def posts_to_match(
    connection: Connection,
    *,
    stage: str,
    version: str,
    space: str,
    after_id: int,
    limit: int,
    since: datetime | None = None,
    rematch: bool = False,
) -> list[sa.Row[Any]]:
    """Posts with a vector in `space`, by id, not yet matched by this version (or, with
    `rematch`, every such post created since `since`): id, text, language, vector."""
    query = (
        sa.select(
            posts.c.id,
            posts.c.text,
            posts.c.created_at,
            sa.func.coalesce(posts.c.detected_language, posts.c.language).label("language"),
            post_vectors.c.vector,
        )
        .join(
            post_vectors,
            sa.and_(post_vectors.c.post_id == posts.c.id, post_vectors.c.space == space),
        )
        .where(posts.c.id > after_id)
        .order_by(posts.c.id)
        .limit(limit)
    )
    if since is not None:
        query = query.where(posts.c.created_at >= since)
    if not rematch:
        done = sa.exists().where(
            post_enrichments.c.post_id == posts.c.id,
            post_enrichments.c.stage == stage,
            post_enrichments.c.model_version == version,
        )
        query = query.where(~done)
    return list(connection.execute(query))


# Matches ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimMatch:
    id: int
    post_id: int
    fact_check_id: int
    score: float
    similarity: float
    rank: int
    model: str
    model_version: str
    status: str
    matched_at: datetime
    reviewed_by: str | None
    reviewed_at: datetime | None
    note: str | None
    # Joined for display.
    post_text: str = ""
    post_platform: str = ""
    post_created_at: datetime | None = None
    post_language: str | None = None
    author_handle: str | None = None
    claim_text: str = ""
    verdict: str = ""
    fact_check_url: str | None = None


def replace_matches(
    connection: Connection, post_id: int, matches: Sequence[Mapping[str, Any]]
) -> int:
    """The post's pending matches become `matches`; reviewed ones are kept as the analyst left
    them (a confirmed or rejected pair is never re-opened). Returns the matches written."""
    reviewed = {
        row.fact_check_id
        for row in connection.execute(
            sa.select(claim_matches.c.fact_check_id).where(
                claim_matches.c.post_id == post_id, claim_matches.c.status != "pending"
            )
        )
    }
    connection.execute(
        claim_matches.delete().where(
            claim_matches.c.post_id == post_id, claim_matches.c.status == "pending"
        )
    )
    fresh = [
        dict(m, post_id=post_id, status="pending")
        for m in matches
        if m["fact_check_id"] not in reviewed
    ]
    if fresh:
        connection.execute(claim_matches.insert(), fresh)
    return len(fresh)


def _columns() -> list[Any]:
    return [
        *claim_matches.c,
        posts.c.text.label("post_text"),
        posts.c.platform.label("post_platform"),
        posts.c.created_at.label("post_created_at"),
        sa.func.coalesce(posts.c.detected_language, posts.c.language).label("post_language"),
        # The post carries its author's handle as seen then; the actor row, the latest one.
        sa.func.coalesce(posts.c.author_handle, actors.c.handle).label("author_handle"),
        fact_checks.c.claim_text,
        fact_checks.c.verdict,
        fact_checks.c.url.label("fact_check_url"),
    ]


def _joined() -> Any:
    author = sa.and_(
        actors.c.platform == posts.c.platform, actors.c.external_id == posts.c.author_external_id
    )
    return (
        claim_matches.join(posts, posts.c.id == claim_matches.c.post_id)
        .join(fact_checks, fact_checks.c.id == claim_matches.c.fact_check_id)
        .outerjoin(actors, author)
    )


def _match(row: sa.Row[Any]) -> ClaimMatch:
    values = dict(row._mapping)
    for name in ("matched_at", "reviewed_at", "post_created_at"):
        values[name] = as_utc(values[name])
    return ClaimMatch(**values)


def list_matches(
    connection: Connection,
    *,
    status: str | None = None,
    fact_check_id: int | None = None,
    post_id: int | None = None,
    min_score: float | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[ClaimMatch], int]:
    """Matches, best first (pending ones by score), and how many there are in all."""
    conditions = []
    if status:
        conditions.append(claim_matches.c.status == status)
    if fact_check_id is not None:
        conditions.append(claim_matches.c.fact_check_id == fact_check_id)
    if post_id is not None:
        conditions.append(claim_matches.c.post_id == post_id)
    if min_score is not None:
        conditions.append(claim_matches.c.score >= min_score)
    where = sa.and_(sa.true(), *conditions)
    total = connection.execute(
        sa.select(sa.func.count()).select_from(claim_matches).where(where)
    ).scalar_one()
    query = (
        sa.select(*_columns())
        .select_from(_joined())
        .where(where)
        .order_by(claim_matches.c.score.desc(), claim_matches.c.id)
        .limit(limit)
        .offset(offset)
    )
    return [_match(row) for row in connection.execute(query)], int(total)


def get_match(connection: Connection, match_id: int) -> ClaimMatch:
    row = connection.execute(
        sa.select(*_columns()).select_from(_joined()).where(claim_matches.c.id == match_id)
    ).first()
    if row is None:
        raise NotFound(f"claim match {match_id} does not exist")
    return _match(row)


def review(
    connection: Connection,
    match_id: int,
    *,
    status: str,
    by: str,
    at: datetime,
    note: str | None,
) -> None:
    if status not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES}")
    done = connection.execute(
        claim_matches.update()
        .where(claim_matches.c.id == match_id)
        .values(
            status=status,
            reviewed_by=by if status != "pending" else None,
            reviewed_at=at if status != "pending" else None,
            note=note,
        )
    )
    if done.rowcount == 0:
        raise NotFound(f"claim match {match_id} does not exist")


def status_counts(connection: Connection, fact_check_id: int | None = None) -> dict[str, int]:
    """Matches per status, of one fact-check when `fact_check_id` is given."""
    query = sa.select(claim_matches.c.status, sa.func.count()).group_by(claim_matches.c.status)
    if fact_check_id is not None:
        query = query.where(claim_matches.c.fact_check_id == fact_check_id)
    return {status: int(n) for status, n in connection.execute(query)}


def hourly_matches(
    connection: Connection, *, since: datetime, verdicts: Sequence[str]
) -> list[tuple[int, datetime, int]]:
    """(fact_check_id, post created_at, 1) of every not-rejected match to a fact-check with one
    of `verdicts`, for posts created since `since`: the caller buckets them by hour."""
    query = (
        sa.select(claim_matches.c.fact_check_id, posts.c.created_at)
        .join(posts, posts.c.id == claim_matches.c.post_id)
        .join(fact_checks, fact_checks.c.id == claim_matches.c.fact_check_id)
        .where(
            claim_matches.c.status != "rejected",
            posts.c.created_at >= since,
            fact_checks.c.verdict.in_(list(verdicts)),
        )
    )
    return [(row.fact_check_id, as_utc(row.created_at), 1) for row in connection.execute(query)]


def reviewed_pairs(connection: Connection) -> list[sa.Row[Any]]:
    """Every reviewed match with its post text and claim: the analysts' feedback, to retrain."""
    query = (
        sa.select(
            claim_matches.c.post_id,
            claim_matches.c.fact_check_id,
            claim_matches.c.status,
            claim_matches.c.reviewed_by,
            claim_matches.c.reviewed_at,
            posts.c.text,
            fact_checks.c.claim_text,
            fact_checks.c.title,
        )
        .join(posts, posts.c.id == claim_matches.c.post_id)
        .join(fact_checks, fact_checks.c.id == claim_matches.c.fact_check_id)
        .where(claim_matches.c.status != "pending")
        .order_by(claim_matches.c.id)
    )
    return list(connection.execute(query))
