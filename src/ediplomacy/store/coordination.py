"""Coordination: posts as the networks need them (who, when, what they shared), the vectors of
co-similar, and the runs and clusters of the detector."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, NamedTuple

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ediplomacy.store.schema import coordination_clusters, coordination_runs, posts
from ediplomacy.store.timeutil import as_utc
from ediplomacy.store.vectors import read_vectors


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


# Runs and clusters of `ediplomacy coordination detect`. Functions taking a Connection never
# commit: the caller's transaction holds the run, its clusters and their alerts together.


class RunRow(NamedTuple):
    id: int
    network: str
    window_s: int
    min_weight: int
    since: datetime | None
    until: datetime | None
    node_count: int
    edge_count: int
    modularity: float | None
    computed_at: datetime
    cluster_count: int = 0
    new_count: int = 0


class ClusterRow(NamedTuple):
    id: int
    run_id: int
    signature: str
    score: float
    member_count: int
    members: list[dict[str, Any]]
    evidence: dict[str, Any]
    first_found_at: datetime
    computed_at: datetime

    @property
    def is_new(self) -> bool:
        """First found by this cluster's run."""
        return self.first_found_at >= self.computed_at


def first_found(conn: Connection, signatures: Sequence[str]) -> dict[str, datetime]:
    """When each signature was first found by an earlier run."""
    found: dict[str, datetime] = {}
    for start in range(0, len(signatures), 500):
        query = (
            sa.select(
                coordination_clusters.c.signature,
                sa.func.min(coordination_clusters.c.first_found_at).label("first"),
            )
            .where(coordination_clusters.c.signature.in_(signatures[start : start + 500]))
            .group_by(coordination_clusters.c.signature)
        )
        found.update({row.signature: as_utc(row.first) for row in conn.execute(query)})
    return found


def insert_run(conn: Connection, values: dict[str, Any]) -> int:
    return int(
        conn.execute(
            coordination_runs.insert().values(**values).returning(coordination_runs.c.id)
        ).scalar_one()
    )


def insert_cluster(conn: Connection, values: dict[str, Any]) -> int:
    row = {
        **values,
        "members": orjson.dumps(values["members"]).decode(),
        "evidence": orjson.dumps(values["evidence"]).decode(),
    }
    return int(
        conn.execute(
            coordination_clusters.insert().values(**row).returning(coordination_clusters.c.id)
        ).scalar_one()
    )


def _run_row(row: Any, clusters: int = 0, new: int = 0) -> RunRow:
    return RunRow(row.id, row.network, row.window_s, row.min_weight,
                  as_utc(row.since) if row.since else None,
                  as_utc(row.until) if row.until else None, row.node_count, row.edge_count,
                  row.modularity, as_utc(row.computed_at), clusters, new)  # fmt: skip


def list_runs(engine: Engine, *, limit: int = 20) -> list[RunRow]:
    """The latest runs, newest first, with their number of clusters and of new ones."""
    new_cluster = sa.case(
        (coordination_clusters.c.first_found_at >= coordination_runs.c.computed_at, 1), else_=0
    )
    query = (
        sa.select(
            coordination_runs,
            sa.func.count(coordination_clusters.c.id).label("clusters"),
            sa.func.coalesce(sa.func.sum(new_cluster), 0).label("new"),
        )
        .select_from(coordination_runs.outerjoin(coordination_clusters))
        .group_by(*coordination_runs.c)
        .order_by(coordination_runs.c.computed_at.desc(), coordination_runs.c.id.desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        return [_run_row(row, int(row.clusters), int(row.new)) for row in conn.execute(query)]


def get_run(engine: Engine, run_id: int) -> RunRow | None:
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(coordination_runs).where(coordination_runs.c.id == run_id)
        ).first()
    return _run_row(row) if row else None


def _cluster_query() -> sa.Select[Any]:
    return sa.select(coordination_clusters, coordination_runs.c.computed_at).join(
        coordination_runs, coordination_runs.c.id == coordination_clusters.c.run_id
    )


def _cluster_row(row: Any) -> ClusterRow:
    return ClusterRow(row.id, row.run_id, row.signature, row.score, row.member_count,
                      orjson.loads(row.members or "[]"), orjson.loads(row.evidence or "{}"),
                      as_utc(row.first_found_at), as_utc(row.computed_at))  # fmt: skip


def list_clusters(engine: Engine, run_id: int, *, limit: int = 200) -> list[ClusterRow]:
    """A run's clusters, highest score first."""
    query = (
        _cluster_query()
        .where(coordination_clusters.c.run_id == run_id)
        .order_by(coordination_clusters.c.score.desc(), coordination_clusters.c.id)
        .limit(limit)
    )
    with engine.connect() as conn:
        return [_cluster_row(row) for row in conn.execute(query)]


def get_cluster(engine: Engine, cluster_id: int) -> ClusterRow | None:
    with engine.connect() as conn:
        row = conn.execute(_cluster_query().where(coordination_clusters.c.id == cluster_id)).first()
    return _cluster_row(row) if row else None


def latest_run_id(engine: Engine) -> int | None:
    with engine.connect() as conn:
        return conn.execute(
            sa.select(coordination_runs.c.id)
            .order_by(coordination_runs.c.computed_at.desc(), coordination_runs.c.id.desc())
            .limit(1)
        ).scalar()


def post_vectors_of(engine: Engine, space: str, post_ids: Sequence[int]) -> dict[int, bytes]:
    """The stored vectors of these posts in a space (read 500 ids at a time)."""
    found: dict[int, bytes] = {}
    with engine.connect() as conn:
        for start in range(0, len(post_ids), 500):
            found.update(read_vectors(conn, space, post_ids[start : start + 500]))
    return found


def posts_by_key(
    engine: Engine, keys: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], tuple[int, str]]:
    """(platform, external id) -> (post id, text) for the stored ones among these keys."""
    found: dict[tuple[str, str], tuple[int, str]] = {}
    by_platform: dict[str, list[str]] = {}
    for platform, external_id in keys:
        by_platform.setdefault(platform, []).append(external_id)
    with engine.connect() as conn:
        for platform, ids in by_platform.items():
            for start in range(0, len(ids), 500):
                query = sa.select(posts.c.id, posts.c.external_id, posts.c.text).where(
                    posts.c.platform == platform, posts.c.external_id.in_(ids[start : start + 500])
                )
                for row in conn.execute(query):
                    found[(platform, row.external_id)] = (row.id, row.text or "")
    return found
