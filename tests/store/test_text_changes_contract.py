"""Contract: a post whose text changes is analysed again; a metrics-only update keeps it all."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.domain.posts import Post, Provenance
from ediplomacy.pipeline.runner import InProcessRunner
from ediplomacy.pipeline.stages.embed import EmbedStage
from ediplomacy.store import collections as collection_store
from ediplomacy.store.posts import upsert_posts
from ediplomacy.store.schema import post_enrichments, post_facets, post_vectors
from ediplomacy.store.serialize import post_row
from tests.ingest.test_export_analysis import LabelStage
from tests.pipeline.test_runner_contract import T0
from tests.pipeline.test_vectors_and_facets_contract import LetterEmbedder


def put(engine: Engine, text: str, likes: int, hours: int) -> None:
    seen = T0 + timedelta(hours=hours)
    with engine.begin() as conn:
        cid = collection_store.start_collection(
            conn, name="t", kind="file", source="t", fmt="csv", tool_version="0", now=seen
        )
        post = Post("mastodon", "42", text, metrics={"like_count": likes})
        upsert_posts(conn, [post_row(post, Provenance(cid, "t:1", seen, "0"), str, seen)])


def counts(engine: Engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for table in (post_enrichments, post_vectors, post_facets)
        )


def test_edited_text_is_analysed_again(engine: Engine) -> None:
    runner = InProcessRunner(engine)
    stages = [EmbedStage("fast", LetterEmbedder()), LabelStage()]
    put(engine, "gempa di Qadira", likes=1, hours=0)
    runner.run(stages)
    assert counts(engine) == (2, 1, 3)

    put(engine, "gempa di Qadira", likes=50, hours=1)  # metrics only
    assert counts(engine) == (2, 1, 3)
    assert runner.run(stages).processed == {"embed_fast": 0, "labels": 0}

    edited = "gempa di Qadira (diperbarui: 12 korban)"
    put(engine, edited, likes=60, hours=2)
    assert counts(engine) == (0, 0, 0)
    assert runner.run(stages).processed == {"embed_fast": 1, "labels": 1}
    with engine.connect() as conn:
        result = conn.execute(sa.select(post_enrichments.c.result).where(
            post_enrichments.c.stage == "labels")).scalar_one()  # fmt: skip
    assert f'"length":{len(edited)}' in result.replace(" ", "")
