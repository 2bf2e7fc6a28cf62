"""Many-valued post labels (topics, countries mentioned, stance per target). Never commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.engine import Connection

from ediplomacy.store.schema import post_facets


def replace_facets(
    conn: Connection,
    *,
    stage: str,
    post_ids: Sequence[int],
    facets: Sequence[tuple[int, str, str, float | None]],
) -> None:
    """Replace what `stage` said earlier about these posts by (post id, facet, value, score)."""
    if not post_ids:
        return
    conn.execute(
        post_facets.delete().where(
            post_facets.c.stage == stage, post_facets.c.post_id.in_(list(post_ids))
        )
    )
    unique = {(post_id, facet, value[:200]): score for post_id, facet, value, score in facets}
    if unique:
        conn.execute(
            post_facets.insert(),
            [
                {"post_id": post_id, "facet": facet, "value": value, "stage": stage,
                 "score": score}
                for (post_id, facet, value), score in unique.items()
            ],
        )  # fmt: skip
