"""Exports carry what the pipeline found: post columns, facets and every stage's result."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import orjson
import pyarrow.parquet as pq
from sqlalchemy.engine import Engine

from ediplomacy.ingest.export import export_posts
from ediplomacy.pipeline.runner import InProcessRunner
from ediplomacy.pipeline.stage import PostInput, StageResult
from tests.pipeline.test_runner_contract import add_posts


class LabelStage:
    name = "labels"
    model = "test-model"
    version = "3"
    writes_facets = True

    def process(self, batch: Sequence[PostInput]) -> list[StageResult]:
        return [
            StageResult(
                post.post_id,
                {"length": len(post.text)},
                {"sentiment": "negative", "sentiment_score": -0.5, "author_country": "ID"},
                facets=[("topic", "disaster", 0.9), ("stance:sj", "against", 0.7),
                        ("country_mentioned", "QM", None)],
            )
            for post in batch
        ]  # fmt: skip


def test_every_format_exports_the_analysis(sqlite_engine: Engine, tmp_path: Path) -> None:
    add_posts(sqlite_engine, ["gempa di Qadira", "second post"])
    InProcessRunner(sqlite_engine).run([LabelStage()])

    out = io.BytesIO()
    assert export_posts(sqlite_engine, "jsonl", out) == 2
    first = orjson.loads(out.getvalue().splitlines()[0])
    assert first["sentiment"] == "negative" and first["sentiment_score"] == -0.5
    assert first["author_country"] == "ID"
    assert first["topics"] == ["disaster"] and first["countries_mentioned"] == ["QM"]
    assert first["stances"] == ["sj=against"]
    assert first["enrichments"]["labels"] == {
        "model": "test-model", "version": "3", "result": {"length": 15},
    }  # fmt: skip

    out = io.BytesIO()
    export_posts(sqlite_engine, "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode())))
    assert rows[1]["topics"] == "disaster" and rows[1]["stances"] == "sj=against"
    assert orjson.loads(rows[1]["enrichments"])["labels"]["result"] == {"length": 11}

    path = tmp_path / "posts.parquet"
    export_posts(sqlite_engine, "parquet", path)
    table = pq.read_table(path).to_pylist()
    assert table[0]["topics"] == ["disaster"]
    assert orjson.loads(table[0]["enrichments"])["labels"]["version"] == "3"
