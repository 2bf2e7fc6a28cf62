"""Test data for claim matching: posts stored as the importer stores them, fact-checks saved as
an analyst saves them, and (for the review tests) matches written as the matcher writes them.

Matching runs on the accurate embedder the bundled ranker was trained with (multilingual-e5-small,
the int8 `e5-onnx` build): its probabilities are calibrated on that model's cosines, and another
model's (USE's are lower for the same paraphrase) would not cross the threshold across languages.
Each distinct text is embedded once per test session: `Remembering` returns the model's own
vectors, computed once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.domain.posts import Post, Provenance
from ediplomacy.integrity import factcheck
from ediplomacy.nlp.embedders import Embedder, shared_embedder
from ediplomacy.nlp.vectors import Matrix
from ediplomacy.pipeline.runner import InProcessRunner
from ediplomacy.pipeline.stages.embed import EmbedStage
from ediplomacy.store import claim_matches as claim_store
from ediplomacy.store import collections as collection_store
from ediplomacy.store.posts import upsert_posts
from ediplomacy.store.schema import posts
from ediplomacy.store.serialize import post_row
from tests.models import e5_onnx_spec

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def settings_for(data_dir: Path, **values: Any) -> Settings:
    """Settings of a test database, embedding with the session's build of the encoder."""
    return Settings(data_dir=data_dir, **{"accurate_embedder": e5_onnx_spec(), **values})


class Remembering:
    """An embedder that embeds each distinct text once and remembers its vector."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self.name, self.version, self.dim = embedder.name, embedder.version, embedder.dim
        self.seen: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str]) -> Matrix:
        missing = list(dict.fromkeys(text for text in texts if text not in self.seen))
        if missing:
            self.seen.update(zip(missing, self.embedder.embed(missing), strict=True))
        return np.array([self.seen[text] for text in texts], dtype=np.float32).reshape(
            len(texts), self.dim
        )

    def embed_queries(self, texts: Sequence[str]) -> Matrix:
        return self.embedder.embed_queries(texts)


_ACCURATE: list[Remembering] = []


def accurate_embedder() -> Remembering:
    """The accurate embedder the ranker was trained with, one per test session."""
    if not _ACCURATE:
        _ACCURATE.append(Remembering(shared_embedder(e5_onnx_spec())))
    return _ACCURATE[0]


@dataclass(frozen=True, slots=True)
class Item:
    text: str
    language: str = "en"
    created_at: datetime = NOW
    author: str = "someone"


class Posts:
    """Adds posts with a running external id, in one collection."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.serial = 0
        with engine.begin() as connection:
            self.collection_id = collection_store.start_collection(
                connection, name="claims", kind="file", source="tests", fmt="csv",
                tool_version="test", now=NOW,
            )  # fmt: skip

    def add(self, items: Sequence[Item]) -> list[int]:
        rows, names = [], []
        for item in items:
            self.serial += 1
            name = f"c{self.serial}"
            names.append(name)
            post = Post("x", name, item.text, author_external_id=item.author,
                        author_handle=item.author, created_at=item.created_at,
                        language=item.language)  # fmt: skip
            provenance = Provenance(self.collection_id, f"tests:{self.serial}", NOW, "test")
            rows.append(post_row(post, provenance, str, NOW))
        with self.engine.begin() as connection:
            upsert_posts(connection, rows)
            found = dict(
                connection.execute(
                    sa.select(posts.c.external_id, posts.c.id).where(posts.c.external_id.in_(names))
                ).all()
            )
        return [int(found[name]) for name in names]


def add_fact(
    engine: Engine, claim: str, *, verdict: str = "false", language: str = "en", url: str = ""
) -> int:
    form = {"claim_text": claim, "verdict": verdict, "language": language, "url": url}
    return factcheck.save(engine, factcheck.record_from_form(form), actor="tests").id


def embed_posts(engine: Engine, embedder: Embedder | None = None) -> int:
    """The pipeline's own accurate-embedding stage over the posts not embedded yet."""
    stage = EmbedStage("accurate", embedder or accurate_embedder())
    return InProcessRunner(engine).run([stage]).processed[stage.name]


def add_match(engine: Engine, post_id: int, fact_id: int, score: float = 0.9) -> int:
    """A pending match as the matcher writes one; its id."""
    row = {"fact_check_id": fact_id, "score": score, "similarity": score - 0.1, "rank": 1,
           "model": "claim-ranker", "model_version": "test", "matched_at": NOW}  # fmt: skip
    with engine.begin() as connection:
        claim_store.replace_matches(connection, post_id, [row])
        [match], _ = claim_store.list_matches(connection, post_id=post_id, fact_check_id=fact_id)
    return match.id
