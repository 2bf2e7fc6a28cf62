"""The latest emerging-topic run as the topics page and GET /api/v1/topics show it.

`latest_run` reads what `ediplomacy topics discover` stored (listen/emerging.py) and joins each
topic's sample posts; `rediscover` runs discovery again for a staff user and writes the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.engine import Engine

from ediplomacy.listen.emerging import discover, stored_topics
from ediplomacy.security import audit
from ediplomacy.security.audit import Action
from ediplomacy.store.queries import PostFilters, posts_by_id

SAMPLES_SHOWN = 3


@dataclass(frozen=True, slots=True)
class SamplePost:
    id: int
    platform: str
    author_handle: str | None
    text: str
    language: str | None
    created_at: datetime | None


@dataclass(frozen=True, slots=True)
class TopicSummary:
    """One cluster of the run, with the posts nearest its centre."""

    id: int
    label: str
    terms: list[str]
    size: int
    languages: dict[str, int]
    growth: float | None
    emerging: bool
    samples: list[SamplePost]


@dataclass(frozen=True, slots=True)
class TopicRun:
    """The clusters of the last discovery, emerging ones first; no `computed_at`: none yet."""

    computed_at: datetime | None
    window_start: datetime | None
    window_end: datetime | None
    topics: list[TopicSummary] = field(default_factory=list)

    @property
    def emerging(self) -> int:
        return sum(1 for topic in self.topics if topic.emerging)


def latest_run(
    engine: Engine, *, limit: int | None = None, samples: int = SAMPLES_SHOWN
) -> TopicRun:
    """The stored clusters (the first `limit` of them) with up to `samples` sample posts each."""
    stored = stored_topics(engine)
    if not stored:
        return TopicRun(None, None, None)
    chosen = stored if limit is None else stored[:limit]
    wanted = {topic["id"]: list(topic["sample_post_ids"])[:samples] for topic in chosen}
    found = posts_by_id(engine, [i for ids in wanted.values() for i in ids], PostFilters())
    topics = [
        TopicSummary(
            id=topic["id"],
            label=topic["label"],
            terms=list(topic["terms"]),
            size=topic["size"],
            languages=dict(topic["languages"]),
            growth=topic["growth"],
            emerging=topic["emerging"],
            samples=[
                SamplePost(
                    post.id, post.platform, post.author_handle, post.text, post.language,
                    post.created_at,
                )
                for post in (found.get(i) for i in wanted[topic["id"]])
                if post is not None  # a post deleted since the run
            ],
        )
        for topic in chosen
    ]  # fmt: skip
    first = stored[0]
    return TopicRun(first["computed_at"], first["window_start"], first["window_end"], topics)


def rediscover(engine: Engine, *, actor: str | None, ip: str | None = None) -> TopicRun:
    """Run discovery over the default window again (replacing the run) and audit who asked.

    Raises listen.emerging.DiscoveryError when there are too few analysed posts; nothing is
    replaced then.
    """
    found = discover(engine)
    with engine.begin() as connection:
        audit.append(
            connection,
            Action.TOPICS_DISCOVERED,
            actor=actor,
            target="emerging_topics",
            ip=ip,
            detail={"topics": len(found), "emerging": sum(1 for t in found if t.emerging)},
        )
    return latest_run(engine)
