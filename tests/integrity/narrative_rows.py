"""A small synthetic world for the narrative tests: posts with chosen vectors, fact-checks, matches.

Vectors live in the fast space (the builder uses the space most posts have), in a few dimensions;
`near(base, cosine)` gives a unit vector at exactly that cosine from `base`, so each test states
how close every post is to what.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.domain.posts import Post, Provenance
from ediplomacy.nlp.vectors import to_bytes
from ediplomacy.store import collections as collection_store
from ediplomacy.store import vectors as vector_store
from ediplomacy.store.posts import upsert_posts
from ediplomacy.store.schema import (
    alert_deliveries,
    alerts,
    claim_matches,
    drafts,
    fact_check_vectors,
    fact_checks,
    narratives,
    posts,
)
from ediplomacy.store.serialize import post_row

T0 = datetime(2026, 3, 2, tzinfo=UTC)
DIM = 32


def clean(engine: Engine) -> None:
    """Empty what the PostgreSQL fixture keeps between tests (it truncates posts only)."""
    with engine.begin() as connection:
        for table in (alert_deliveries, alerts, drafts, narratives, claim_matches, fact_checks):
            connection.execute(table.delete())


class World:
    """Writes posts, vectors, fact-checks and matches; remembers external ids by post id."""

    def __init__(self, engine: Engine, seed: int = 7) -> None:
        self.engine = engine
        self.rng = np.random.default_rng(seed)
        self.serial = 0
        self.external: dict[int, str] = {}
        with engine.begin() as connection:
            self.collection = collection_store.start_collection(
                connection, name="narratives", kind="file", source="test", fmt="csv",
                tool_version="0", now=T0,
            )  # fmt: skip

    def direction(self) -> np.ndarray:
        vector = self.rng.normal(size=DIM)
        return vector / np.linalg.norm(vector)

    def near(self, base: np.ndarray, cosine: float) -> np.ndarray:
        """A unit vector whose cosine with `base` is exactly `cosine`."""
        other = self.rng.normal(size=DIM)
        other -= (other @ base) * base
        other /= np.linalg.norm(other)
        return cosine * base + np.sqrt(1.0 - cosine**2) * other

    def post(
        self,
        text: str,
        at: datetime,
        *,
        vector: np.ndarray | None = None,
        language: str = "en",
        author: str | None = None,
        platform: str = "x",
        repost_of: int | None = None,
        country: str | None = None,
    ) -> int:
        self.serial += 1
        external = f"p{self.serial}"
        handle = author or f"user{self.serial}"
        post = Post(
            platform=platform,
            external_id=external,
            text=text,
            author_external_id=f"id-{handle}",
            author_handle=handle,
            created_at=at,
            language=language,
            repost_of_external_id=self.external[repost_of] if repost_of else None,
        )
        provenance = Provenance(self.collection, f"test:{self.serial}", T0, "0")
        with self.engine.begin() as connection:
            upsert_posts(connection, [post_row(post, provenance, str, T0)])
            post_id = connection.execute(
                sa.select(posts.c.id).where(
                    posts.c.platform == platform, posts.c.external_id == external
                )
            ).scalar_one()
            if country:
                connection.execute(
                    posts.update().where(posts.c.id == post_id).values(author_country=country)
                )
            if vector is not None:
                vector_store.write_vectors(
                    connection, space="fast", model="test", version="1",
                    vectors=[(post_id, to_bytes(vector), DIM)],
                )  # fmt: skip
        self.external[int(post_id)] = external
        return int(post_id)

    def fact(
        self,
        claim: str,
        *,
        kind: str = "fact_check",
        verdict: str = "false",
        language: str | None = "en",
        url: str | None = None,
        summary: str | None = None,
        sources: Sequence[str] = (),
        vector: np.ndarray | None = None,
    ) -> int:
        values: dict[str, Any] = {
            "kind": kind, "claim_text": claim, "verdict": verdict, "language": language,
            "url": url, "summary": summary, "sources": orjson.dumps(list(sources)).decode(),
            "languages": orjson.dumps([language] if language else []).decode(),
            "created_at": T0, "updated_at": T0,
        }  # fmt: skip
        with self.engine.begin() as connection:
            fact_id = int(connection.execute(fact_checks.insert().values(**values))
                          .inserted_primary_key[0])  # fmt: skip
            if vector is not None:
                connection.execute(
                    fact_check_vectors.insert().values(
                        fact_check_id=fact_id, space="fast", model="test", model_version="1",
                        text_hash="x", dim=DIM, vector=to_bytes(vector),
                    )
                )  # fmt: skip
        return fact_id

    def match(
        self, post_id: int, fact_id: int, *, status: str = "pending", similarity: float = 0.9
    ) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                claim_matches.insert().values(
                    post_id=post_id, fact_check_id=fact_id, score=0.9, similarity=similarity,
                    rank=1, model="test", model_version="1", status=status, matched_at=T0,
                )
            )  # fmt: skip

    def set_match_status(self, post_id: int, fact_id: int, status: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                claim_matches.update()
                .where(claim_matches.c.post_id == post_id, claim_matches.c.fact_check_id == fact_id)
                .values(status=status)
            )
