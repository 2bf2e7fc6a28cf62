"""Narratives and their posts: every SQL statement on `narratives` and `narrative_posts`.

Also the reads the narrative builder needs (claim matches, posts with their vectors, facets of
member posts). Callers own the transaction; nothing here commits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from ediplomacy.domain.errors import NotFound
from ediplomacy.store.queries import language
from ediplomacy.store.schema import (
    claim_matches,
    fact_check_vectors,
    fact_checks,
    narrative_posts,
    narratives,
    post_facets,
    post_vectors,
    posts,
)
from ediplomacy.store.serialize import dumps, loads
from ediplomacy.store.timeutil import as_utc

CHUNK = 5000  # ids per IN list: far below SQLite's and PostgreSQL's limits
COUNTRY_FACET = "country_mentioned"
_PG_LOCK_KEY = 0x6E_61_72_72  # one builder at a time on PostgreSQL ("narr")


@dataclass(frozen=True, slots=True)
class NarrativeRow:
    id: int
    label: str
    summary: str | None
    fact_check_id: int | None
    status: str
    centroid: bytes | None
    first_seen: datetime | None
    last_seen: datetime | None
    post_count: int
    details: dict[str, Any]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Member:
    similarity: float | None
    variant: int | None


@dataclass(frozen=True, slots=True)
class MatchRow:
    post_id: int
    fact_check_id: int
    score: float
    similarity: float
    status: str
    text: str  # the post's
    kind: str  # the fact-check's: fact_check, verified_fact, official_position


@dataclass(frozen=True, slots=True)
class PostRow:
    """A post as the builder reads it: who, when, where, its words and (maybe) its vector."""

    post_id: int
    platform: str
    external_id: str
    author: str | None  # the author's external id
    handle: str | None
    created_at: datetime | None
    language: str | None
    author_country: str | None
    text: str
    repost_of: str | None
    vector: bytes | None


def _narrative(row: Row[Any]) -> NarrativeRow:
    return NarrativeRow(
        id=row.id,
        label=row.label,
        summary=row.summary,
        fact_check_id=row.fact_check_id,
        status=row.status,
        centroid=bytes(row.centroid) if row.centroid is not None else None,
        first_seen=as_utc(row.first_seen),
        last_seen=as_utc(row.last_seen),
        post_count=int(row.post_count),
        details=loads(row.details) or {},
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
    )


def lock(connection: Connection) -> None:
    """Serialise builders: PostgreSQL takes a transaction lock; SQLite has one writer anyway."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_LOCK_KEY)))


def all_narratives(connection: Connection) -> list[NarrativeRow]:
    rows = connection.execute(sa.select(narratives).order_by(narratives.c.id))
    return [_narrative(row) for row in rows]


def get(connection: Connection, narrative_id: int) -> NarrativeRow:
    row = connection.execute(sa.select(narratives).where(narratives.c.id == narrative_id)).first()
    if row is None:
        raise NotFound(
            f"No narrative with id {narrative_id}; `ediplomacy narratives list` shows them."
        )
    return _narrative(row)


def page(
    connection: Connection, *, status: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[NarrativeRow], int]:
    """Narratives, the most recently active first, and how many there are."""
    where = [narratives.c.status == status] if status else []
    total = connection.execute(
        sa.select(sa.func.count()).select_from(narratives).where(*where)
    ).scalar_one()
    rows = connection.execute(
        sa.select(narratives)
        .where(*where)
        .order_by(
            narratives.c.last_seen.desc().nulls_last(),
            narratives.c.post_count.desc(),
            narratives.c.id,
        )
        .limit(limit)
        .offset(offset)
    )
    return [_narrative(row) for row in rows], int(total)


def _stored(values: Mapping[str, Any]) -> dict[str, Any]:
    stored = dict(values)
    if "details" in stored:
        stored["details"] = dumps(stored["details"])
    return stored


def insert(connection: Connection, values: Mapping[str, Any]) -> int:
    result = connection.execute(narratives.insert().values(**_stored(values)))
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def update(connection: Connection, narrative_id: int, values: Mapping[str, Any]) -> None:
    connection.execute(
        narratives.update().where(narratives.c.id == narrative_id).values(**_stored(values))
    )


def add_members(
    connection: Connection,
    narrative_id: int,
    rows: Sequence[tuple[int, float | None]],
    *,
    now: datetime,
) -> None:
    """Add (post id, similarity) rows; the caller leaves out posts already there."""
    if rows:
        connection.execute(
            narrative_posts.insert(),
            [
                {"narrative_id": narrative_id, "post_id": post_id, "similarity": similarity,
                 "variant": None, "added_at": now}
                for post_id, similarity in rows
            ],
        )  # fmt: skip


def remove_members(connection: Connection, narrative_id: int, post_ids: Iterable[int]) -> int:
    """Take these posts out of the narrative; how many were in it."""
    ids = sorted(set(post_ids))
    removed = 0
    for start in range(0, len(ids), CHUNK):
        result = connection.execute(
            narrative_posts.delete().where(
                narrative_posts.c.narrative_id == narrative_id,
                narrative_posts.c.post_id.in_(ids[start : start + CHUNK]),
            )
        )
        removed += result.rowcount
    return removed


def members_of(connection: Connection, narrative_id: int) -> dict[int, Member]:
    """One narrative's posts: post id -> similarity and variant."""
    query = sa.select(
        narrative_posts.c.post_id, narrative_posts.c.similarity, narrative_posts.c.variant
    ).where(narrative_posts.c.narrative_id == narrative_id)
    return {row.post_id: Member(row.similarity, row.variant) for row in connection.execute(query)}


def vector_bytes(connection: Connection, space: str) -> int | None:
    """The usual size in bytes of a vector of the space (float16, so twice its dimension)."""
    n = sa.func.count().label("n")
    row = connection.execute(
        sa.select(post_vectors.c.dim, n)
        .where(post_vectors.c.space == space)
        .group_by(post_vectors.c.dim)
        .order_by(n.desc(), post_vectors.c.dim)
        .limit(1)
    ).first()
    return int(row.dim) * 2 if row is not None else None


def set_variants(connection: Connection, narrative_id: int, variants: Mapping[int, int]) -> None:
    """Write each post's variant number (only those given)."""
    by_variant: dict[int, list[int]] = defaultdict(list)
    for post_id, variant in variants.items():
        by_variant[variant].append(post_id)
    for variant, ids in by_variant.items():
        for start in range(0, len(ids), CHUNK):
            connection.execute(
                narrative_posts.update()
                .where(
                    narrative_posts.c.narrative_id == narrative_id,
                    narrative_posts.c.post_id.in_(ids[start : start + CHUNK]),
                )
                .values(variant=variant)
            )


def _window(since: datetime | None, until: datetime | None) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    if since is not None:
        where.append(posts.c.created_at >= since)
    if until is not None:
        where.append(posts.c.created_at < until)
    return where


def matches(
    connection: Connection, *, since: datetime | None = None, until: datetime | None = None
) -> list[MatchRow]:
    """Claim matches (all statuses) of the posts created in [since, until)."""
    query = (
        sa.select(
            claim_matches.c.post_id,
            claim_matches.c.fact_check_id,
            claim_matches.c.score,
            claim_matches.c.similarity,
            claim_matches.c.status,
            posts.c.text,
            fact_checks.c.kind,
        )
        .join(posts, posts.c.id == claim_matches.c.post_id)
        .join(fact_checks, fact_checks.c.id == claim_matches.c.fact_check_id)
        .where(*_window(since, until))
        .order_by(claim_matches.c.post_id, claim_matches.c.fact_check_id)
    )
    return [
        MatchRow(row.post_id, row.fact_check_id, float(row.score), float(row.similarity),
                 row.status, row.text, row.kind)
        for row in connection.execute(query)
    ]  # fmt: skip


def _post_columns(space: str) -> tuple[list[Any], Any]:
    columns = [
        posts.c.id,
        posts.c.platform,
        posts.c.external_id,
        posts.c.author_external_id,
        posts.c.author_handle,
        posts.c.created_at,
        language.label("lang"),
        posts.c.author_country,
        posts.c.text,
        posts.c.repost_of_external_id,
        post_vectors.c.vector,
    ]
    joined = posts.outerjoin(
        post_vectors, sa.and_(post_vectors.c.post_id == posts.c.id, post_vectors.c.space == space)
    )
    return columns, joined


def _post(row: Row[Any]) -> PostRow:
    return PostRow(
        post_id=row.id,
        platform=row.platform,
        external_id=row.external_id,
        author=row.author_external_id,
        handle=row.author_handle,
        created_at=as_utc(row.created_at),
        language=row.lang,
        author_country=row.author_country,
        text=row.text,
        repost_of=row.repost_of_external_id,
        vector=bytes(row.vector) if row.vector is not None else None,
    )


def unassigned_posts(
    connection: Connection,
    space: str,
    *,
    since: datetime | None,
    until: datetime | None,
    chunk: int = CHUNK,
) -> Iterator[list[PostRow]]:
    """Posts created in [since, until) that no narrative holds, in id order, in chunks."""
    columns, joined = _post_columns(space)
    held = sa.exists().where(narrative_posts.c.post_id == posts.c.id)
    after = 0
    while True:
        query = (
            sa.select(*columns)
            .select_from(joined)
            .where(posts.c.id > after, ~held, *_window(since, until))
            .order_by(posts.c.id)
            .limit(chunk)
        )
        rows = [_post(row) for row in connection.execute(query)]
        if not rows:
            return
        yield rows
        after = rows[-1].post_id


def posts_by_ids(connection: Connection, space: str, post_ids: Iterable[int]) -> list[PostRow]:
    """These posts (those that exist), in id order."""
    ids = sorted(set(post_ids))
    columns, joined = _post_columns(space)
    found: list[PostRow] = []
    for start in range(0, len(ids), CHUNK):
        query = (
            sa.select(*columns)
            .select_from(joined)
            .where(posts.c.id.in_(ids[start : start + CHUNK]))
            .order_by(posts.c.id)
        )
        found.extend(_post(row) for row in connection.execute(query))
    return found


def mentioned_countries(connection: Connection, narrative_id: int) -> dict[str, int]:
    """Countries the narrative's posts name (facet country_mentioned), most named first."""
    n = sa.func.count().label("n")
    rows = connection.execute(
        sa.select(post_facets.c.value, n)
        .join(narrative_posts, narrative_posts.c.post_id == post_facets.c.post_id)
        .where(narrative_posts.c.narrative_id == narrative_id, post_facets.c.facet == COUNTRY_FACET)
        .group_by(post_facets.c.value)
        .order_by(n.desc(), post_facets.c.value)
    )
    return {row.value: int(row.n) for row in rows}


def member_condition(narrative_id: int) -> sa.ColumnElement[bool]:
    """A condition on `posts`: the post belongs to the narrative (for aggregates and alerts)."""
    return posts.c.id.in_(
        sa.select(narrative_posts.c.post_id).where(narrative_posts.c.narrative_id == narrative_id)
    )


def variant_counts(connection: Connection, narrative_id: int) -> dict[int | None, int]:
    n = sa.func.count().label("n")
    rows = connection.execute(
        sa.select(narrative_posts.c.variant, n)
        .where(narrative_posts.c.narrative_id == narrative_id)
        .group_by(narrative_posts.c.variant)
    )
    return {row.variant: int(row.n) for row in rows}


def narratives_of_posts(connection: Connection, post_ids: Iterable[int]) -> dict[int, list[int]]:
    """Post id -> the narratives holding it."""
    ids = sorted(set(post_ids))
    found: dict[int, list[int]] = defaultdict(list)
    for start in range(0, len(ids), CHUNK):
        rows = connection.execute(
            sa.select(narrative_posts.c.post_id, narrative_posts.c.narrative_id)
            .where(narrative_posts.c.post_id.in_(ids[start : start + CHUNK]))
            .order_by(narrative_posts.c.narrative_id)
        )
        for row in rows:
            found[row.post_id].append(row.narrative_id)
    return dict(found)


def vector_counts(connection: Connection) -> dict[str, int]:
    """How many posts have a vector, per space."""
    n = sa.func.count().label("n")
    rows = connection.execute(sa.select(post_vectors.c.space, n).group_by(post_vectors.c.space))
    return {row.space: int(row.n) for row in rows}


def count_unassigned(
    connection: Connection, *, since: datetime | None, until: datetime | None
) -> int:
    held = sa.exists().where(narrative_posts.c.post_id == posts.c.id)
    query = sa.select(sa.func.count()).select_from(posts).where(~held, *_window(since, until))
    return int(connection.execute(query).scalar_one())


def reposts_of_members(
    connection: Connection, *, since: datetime | None, until: datetime | None
) -> list[tuple[int, int]]:
    """(repost id, narrative id) for reposts no narrative holds whose original one holds."""
    original = posts.alias("original")
    holding = narrative_posts.alias("holding")
    held = sa.exists().where(holding.c.post_id == posts.c.id)
    query = (
        sa.select(posts.c.id, narrative_posts.c.narrative_id)
        .join(
            original,
            sa.and_(
                original.c.platform == posts.c.platform,
                original.c.external_id == posts.c.repost_of_external_id,
            ),
        )
        .join(narrative_posts, narrative_posts.c.post_id == original.c.id)
        .where(posts.c.repost_of_external_id.is_not(None), ~held, *_window(since, until))
        .order_by(posts.c.id, narrative_posts.c.narrative_id)
    )
    return [(row.id, row.narrative_id) for row in connection.execute(query)]


def fact_vectors(connection: Connection) -> tuple[str | None, dict[int, bytes]]:
    """The fact-checks' vectors of the space most of them have (accurate first), by id."""
    n = sa.func.count().label("n")
    spaces = connection.execute(
        sa.select(fact_check_vectors.c.space, n)
        .group_by(fact_check_vectors.c.space)
        .order_by(n.desc(), fact_check_vectors.c.space)
    ).all()
    if not spaces:
        return None, {}
    space = "accurate" if any(row.space == "accurate" for row in spaces) else spaces[0].space
    rows = connection.execute(
        sa.select(fact_check_vectors.c.fact_check_id, fact_check_vectors.c.vector).where(
            fact_check_vectors.c.space == space
        )
    )
    return space, {row.fact_check_id: bytes(row.vector) for row in rows}
