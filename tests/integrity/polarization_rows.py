"""Posts, actors and narratives written straight into the tables, for the polarization tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.store.schema import (
    actors,
    collections,
    narrative_posts,
    narratives,
    polarization_snapshots,
    post_facets,
    posts,
)

DAY1 = datetime(2026, 3, 2, tzinfo=UTC)
DAY2 = DAY1 + timedelta(days=1)


class Rows:
    """A small network, stated row by row; each post gets an external id p<n>."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.serial = 0
        with engine.begin() as conn:
            self.collection = int(
                conn.execute(
                    collections.insert()
                    .values(name="t", kind="file", source="t", status="done", started_at=DAY1,
                            tool_version="0")
                    .returning(collections.c.id)
                ).scalar_one()
            )  # fmt: skip

    def actor(self, external_id: str, handle: str, platform: str = "x") -> None:
        with self.engine.begin() as conn:
            conn.execute(
                actors.insert().values(platform=platform, external_id=external_id, handle=handle,
                                       first_seen_at=DAY1, updated_at=DAY1)
            )  # fmt: skip

    def post(
        self, author: str, at: datetime, *, handle: str | None = None, **values: Any
    ) -> tuple[int, str]:
        """Insert a post by `author`; returns (row id, external id)."""
        self.serial += 1
        external_id = values.pop("external_id", f"p{self.serial}")
        row: dict[str, Any] = {
            "platform": "x",
            "external_id": external_id,
            "author_external_id": author,
            "author_handle": handle or author.upper(),
            "text": f"post {self.serial}",
            "created_at": at,
            "raw": "{}",
            "content_hash": f"{self.serial:032x}",
            "collection_id": self.collection,
            "source": "test",
            "retrieved_at": at,
            "tool_version": "0",
            "imported_at": at,
            "updated_at": at,
            **values,
        }
        for name in ("hashtags", "mentions"):
            if name in row and not isinstance(row[name], str):
                row[name] = orjson.dumps(row[name]).decode()
        with self.engine.begin() as conn:
            post_id = conn.execute(posts.insert().values(**row).returning(posts.c.id)).scalar_one()
        return int(post_id), external_id

    def facet(self, post_id: int, facet: str, value: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                post_facets.insert().values(post_id=post_id, facet=facet, value=value, stage="t")
            )

    def narrative(self, label: str, post_ids: list[int]) -> int:
        with self.engine.begin() as conn:
            narrative_id = int(
                conn.execute(
                    narratives.insert()
                    .values(label=label, created_at=DAY1, updated_at=DAY1)
                    .returning(narratives.c.id)
                ).scalar_one()
            )
            for post_id in post_ids:
                conn.execute(
                    narrative_posts.insert().values(
                        narrative_id=narrative_id, post_id=post_id, added_at=DAY1
                    )
                )
        return narrative_id

    def forget_narrative_posts(self, narrative_id: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                narrative_posts.delete().where(narrative_posts.c.narrative_id == narrative_id)
            )


def two_communities(rows: Rows) -> dict[str, int]:
    """Group A (id, #kitabersatu) and group B (en, #hoax) repost their own; one bridge."""
    originals: dict[str, int] = {}
    for group, lang, tag in (("a", "id", "kitabersatu"), ("b", "en", "hoax")):
        members = [f"{group}{i}" for i in range(6)]
        for author in members:
            originals[author], external = rows.post(
                author, DAY1 + timedelta(hours=1), language=lang, hashtags=[tag]
            )
            for other in members:
                if other != author:
                    rows.post(other, DAY1 + 2 * timedelta(hours=1), repost_of_external_id=external,
                              language=lang, hashtags=[tag])  # fmt: skip
    rows.post(
        "b0",
        DAY1 + 3 * timedelta(hours=1),
        reply_to_external_id="x",
        reply_to_author_external_id="a0",
    )
    return originals


def clean(engine: Engine) -> None:
    """Tables the shared PostgreSQL fixture does not truncate."""
    with engine.begin() as conn:
        for table in (polarization_snapshots, narrative_posts, narratives):
            conn.execute(sa.delete(table))
