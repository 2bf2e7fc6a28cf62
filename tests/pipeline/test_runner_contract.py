"""Contract: the runner processes each post once per stage version, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.domain.posts import Post, Provenance
from ediplomacy.pipeline.runner import InProcessRunner
from ediplomacy.pipeline.stage import PostInput, StageResult
from ediplomacy.pipeline.stages.entities import EntityStage
from ediplomacy.store import collections as collection_store
from ediplomacy.store.posts import upsert_posts
from ediplomacy.store.schema import post_enrichments, posts
from ediplomacy.store.serialize import loads, post_row

T0 = datetime(2026, 11, 17, tzinfo=UTC)


def add_posts(engine: Engine, texts: list[str], start: int = 0) -> None:
    with engine.begin() as conn:
        cid = collection_store.start_collection(
            conn, name="t", kind="file", source="t", fmt="csv", tool_version="0", now=T0
        )
        rows = [
            post_row(Post("x", str(start + i), text), Provenance(cid, "t:1", T0, "0"), str, T0)
            for i, text in enumerate(texts)
        ]
        upsert_posts(conn, rows)


class CountingStage:
    name = "counting"
    model = "test"

    def __init__(self, version: str = "1") -> None:
        self.version = version
        self.seen: list[int] = []

    def process(self, batch: Sequence[PostInput]) -> list[StageResult]:
        self.seen.extend(post.post_id for post in batch)
        return [
            StageResult(post.post_id, {"n": len(post.text)}, {"detected_language": "xx"})
            for post in batch
        ]


def test_rerun_processes_only_new_posts(engine: Engine) -> None:
    add_posts(engine, [f"post {i} #tag{i}" for i in range(25)])
    stage = CountingStage()
    runner = InProcessRunner(engine, batch_size=10)
    assert runner.run([stage]).processed == {"counting": 25}
    assert runner.run([stage]).processed == {"counting": 0}
    add_posts(engine, ["late post"], start=100)
    assert runner.run([stage]).processed == {"counting": 1}
    assert len(stage.seen) == len(set(stage.seen)) == 26
    with engine.connect() as conn:
        langs = conn.execute(sa.select(posts.c.detected_language).distinct()).scalars().all()
    assert langs == ["xx"]


def test_new_stage_version_reprocesses_and_replaces(engine: Engine) -> None:
    add_posts(engine, ["a #b", "c #d"])
    InProcessRunner(engine).run([CountingStage("1")])
    assert InProcessRunner(engine).run([CountingStage("2")]).processed == {"counting": 2}
    with engine.connect() as conn:
        rows = conn.execute(sa.select(post_enrichments)).all()
    assert {(row.stage, row.model_version) for row in rows} == {("counting", "2")}


def test_entities_written_per_post(engine: Engine) -> None:
    add_posts(engine, ["Hubungi @kbri_demo #SafeTravel https://example.org/x"])
    InProcessRunner(engine).run([EntityStage()])
    with engine.connect() as conn:
        row = conn.execute(sa.select(post_enrichments)).one()
    assert loads(row.result)["hashtags"] == ["SafeTravel"]
    assert row.model == "ediplomacy.entities"


def test_stage_may_not_write_other_columns(engine: Engine) -> None:
    add_posts(engine, ["x"])

    class Rogue(CountingStage):
        def process(self, batch: Sequence[PostInput]) -> list[StageResult]:
            return [StageResult(p.post_id, {}, {"text": "overwritten"}) for p in batch]

    with pytest.raises(ValueError, match="may not write"):
        InProcessRunner(engine).run([Rogue()])
