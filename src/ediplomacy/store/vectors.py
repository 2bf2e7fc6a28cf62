"""Stored post vectors (float16 blobs, one per post and space). Never commits."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ediplomacy.store.schema import post_vectors


def write_vectors(
    conn: Connection,
    *,
    space: str,
    model: str,
    version: str,
    vectors: Sequence[tuple[int, bytes, int]],
) -> None:
    """Store (post id, blob, dim) rows for a space, replacing older ones."""
    if not vectors:
        return
    ids = [post_id for post_id, _, _ in vectors]
    conn.execute(
        post_vectors.delete().where(post_vectors.c.space == space, post_vectors.c.post_id.in_(ids))
    )
    conn.execute(
        post_vectors.insert(),
        [
            {"post_id": post_id, "space": space, "model": model, "model_version": version,
             "dim": dim, "vector": blob}
            for post_id, blob, dim in vectors
        ],
    )  # fmt: skip


def read_vectors(conn: Connection, space: str, post_ids: Sequence[int]) -> dict[int, bytes]:
    """The stored blobs of these posts in a space."""
    if not post_ids:
        return {}
    query = sa.select(post_vectors.c.post_id, post_vectors.c.vector).where(
        post_vectors.c.space == space, post_vectors.c.post_id.in_(list(post_ids))
    )
    return {row.post_id: bytes(row.vector) for row in conn.execute(query)}


def iter_vectors(
    conn: Connection, space: str, *, after_id: int = 0, chunk: int = 20000
) -> Iterator[list[tuple[int, str, bytes]]]:
    """Every vector of a space in post-id order, in chunks of (post id, model, blob)."""
    while True:
        query = (
            sa.select(post_vectors.c.post_id, post_vectors.c.model, post_vectors.c.vector)
            .where(post_vectors.c.space == space, post_vectors.c.post_id > after_id)
            .order_by(post_vectors.c.post_id)
            .limit(chunk)
        )
        rows = [(row.post_id, row.model, bytes(row.vector)) for row in conn.execute(query)]
        if not rows:
            return
        yield rows
        after_id = rows[-1][0]
