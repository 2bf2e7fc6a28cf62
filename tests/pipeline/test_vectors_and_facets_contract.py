"""Contract: stages store vectors and facets idempotently, and later stages read the vectors."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.nlp.vectors import Matrix, from_bytes, normalise
from ediplomacy.pipeline.runner import InProcessRunner
from ediplomacy.pipeline.stage import PostInput, StageResult
from ediplomacy.pipeline.stages.embed import EmbedStage
from ediplomacy.store.schema import post_facets, post_vectors
from tests.pipeline.test_runner_contract import add_posts


class LetterEmbedder:
    """A tiny deterministic embedder: letter counts. It records what it was asked to embed."""

    name = "letters"
    version = "1"
    dim = 26

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def embed(self, texts: Sequence[str]) -> Matrix:
        self.calls.append(list(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for char in text.lower():
                if "a" <= char <= "z":
                    out[row, ord(char) - 97] += 1
        return normalise(out + 1e-3)

    def embed_queries(self, texts: Sequence[str]) -> Matrix:
        return self.embed(texts)


class NearestLetterStage:
    """Reads the stored fast vector and labels the post with its strongest letter."""

    name = "strongest"
    model = "test"
    version = "1"
    needs = ("fast",)
    writes_facets = True

    def __init__(self) -> None:
        self.missing = 0

    def process(self, batch: Sequence[PostInput]) -> list[StageResult]:
        results = []
        for post in batch:
            vector = post.vectors.get("fast")
            if vector is None:
                self.missing += 1
                results.append(StageResult(post.post_id, {}))
                continue
            letter = chr(97 + int(np.argmax(vector)))
            results.append(StageResult(post.post_id, {"letter": letter}, facets=[("l", letter, 1)]))
        return results


def test_vectors_are_stored_once_per_distinct_text_and_read_back(engine: Engine) -> None:
    add_posts(engine, ["zzz top", "zzz top", "RT @a: zzz top", "aaa b", "https://x.example aaa b"])
    embedder = LetterEmbedder()
    stage = EmbedStage("fast", embedder)
    runner = InProcessRunner(engine, batch_size=2)
    assert runner.run([stage]).processed == {"embed_fast": 5}
    embedded = [text for call in embedder.calls for text in call]
    assert sorted(embedded) == ["aaa b", "zzz top"], "each distinct model text embedded once"
    with engine.connect() as conn:
        rows = conn.execute(sa.select(post_vectors).order_by(post_vectors.c.post_id)).all()
    assert [(row.space, row.model, row.dim) for row in rows] == [("fast", "letters", 26)] * 5
    first = from_bytes(rows[0].vector)
    assert abs(float(np.linalg.norm(first)) - 1.0) < 1e-2
    assert int(np.argmax(first)) == ord("z") - 97

    reader = NearestLetterStage()
    assert runner.run([reader]).processed == {"strongest": 5}
    assert reader.missing == 0
    with engine.connect() as conn:
        facets = conn.execute(sa.select(post_facets.c.value).order_by(post_facets.c.post_id))
        assert [row.value for row in facets] == ["z", "z", "z", "a", "a"]


def test_new_version_replaces_vectors_and_facets(engine: Engine) -> None:
    add_posts(engine, ["zzz", "aaa"])
    runner = InProcessRunner(engine)
    runner.run([EmbedStage("fast", LetterEmbedder())])
    runner.run([NearestLetterStage()])
    newer = LetterEmbedder()
    newer.version = "2"
    assert runner.run([EmbedStage("fast", newer)]).processed == {"embed_fast": 2}
    reader = NearestLetterStage()
    reader.version = "2"
    runner.run([reader])
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(post_vectors)).scalar() == 2
        versions = {row[0] for row in conn.execute(sa.select(post_vectors.c.model_version))}
        assert versions == {"2+1"}
        assert conn.execute(sa.select(sa.func.count()).select_from(post_facets)).scalar() == 2
