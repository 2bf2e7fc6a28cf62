"""What the review queue, the post page and the fact-check page read of claim matches.

The writes (matching, reviews, spike alerts) are in `claim_matcher` and `claim_review`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine

from ediplomacy.listen.semantic import space_states
from ediplomacy.store import claim_matches as store
from ediplomacy.store.claim_matches import STATUSES, ClaimMatch

# Review actions as people say them, and the status each one leaves.
ACTIONS = {"confirm": "confirmed", "reject": "rejected", "reopen": "pending"}


def queue(
    engine: Engine,
    *,
    status: str | None = None,
    fact_check_id: int | None = None,
    post_id: int | None = None,
    min_score: float | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[ClaimMatch], int]:
    """Matches, the most probable first, and how many match the filters in all."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"status is one of {', '.join(STATUSES)}, not {status!r}")
    with engine.connect() as connection:
        return store.list_matches(
            connection,
            status=status,
            fact_check_id=fact_check_id,
            post_id=post_id,
            min_score=min_score,
            limit=limit,
            offset=offset,
        )


def counts(engine: Engine, *, fact_check_id: int | None = None) -> dict[str, int]:
    """Matches per status (every status, zero included), of one fact-check if given."""
    with engine.connect() as connection:
        found = store.status_counts(connection, fact_check_id)
    return {status: found.get(status, 0) for status in STATUSES}


def get(engine: Engine, match_id: int) -> ClaimMatch:
    with engine.connect() as connection:
        return store.get_match(connection, match_id)


def of_post(engine: Engine, post_id: int) -> list[ClaimMatch]:
    """The post's matches that an analyst has not rejected, the most probable first."""
    items, _ = queue(engine, post_id=post_id, limit=20)
    return [item for item in items if item.status != "rejected"]


@dataclass(frozen=True, slots=True)
class Readiness:
    """Whether posts can be matched: only those with an accurate vector are."""

    posts: int
    with_vectors: int
    models: tuple[str, ...]  # the models that made the accurate vectors


def readiness(engine: Engine) -> Readiness:
    total, states = space_states(engine)
    accurate = states.get("accurate")
    if accurate is None:
        return Readiness(total, 0, ())
    return Readiness(total, accurate.count, tuple(sorted({m[0] for m in accurate.models})))
