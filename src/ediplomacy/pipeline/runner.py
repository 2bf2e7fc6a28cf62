"""The in-process runner: each stage over the posts that have not been through it, in batches."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.engine import Connection, Engine

from ediplomacy.nlp.vectors import from_bytes, to_bytes
from ediplomacy.pipeline.stage import (
    WRITABLE_POST_COLUMNS,
    PostInput,
    Stage,
    StageResult,
    stage_needs,
    stage_vector_space,
)
from ediplomacy.store import enrichments, facets, vectors
from ediplomacy.store.timeutil import utcnow


class PipelineProgress(Protocol):
    def start_stage(self, stage: str, pending: int) -> None: ...

    def advance(self, stage: str, done: int) -> None: ...


class _Silent:
    def start_stage(self, stage: str, pending: int) -> None:
        pass

    def advance(self, stage: str, done: int) -> None:
        pass


@dataclass(slots=True)
class PipelineReport:
    processed: dict[str, int] = field(default_factory=dict)


class InProcessRunner:
    """Runs stages one after another; each batch is processed and committed on its own."""

    def __init__(
        self, engine: Engine, *, batch_size: int = 500, progress: PipelineProgress | None = None
    ) -> None:
        self.engine = engine
        self.batch_size = batch_size
        self.progress = progress or _Silent()

    def run(self, stages: Sequence[Stage]) -> PipelineReport:
        report = PipelineReport()
        for stage in stages:
            report.processed[stage.name] = self.run_stage(stage)
        return report

    def run_stage(self, stage: Stage) -> int:
        with self.engine.connect() as conn:
            pending = enrichments.count_pending(conn, stage.name, stage.version)
        self.progress.start_stage(stage.name, pending)
        after_id, done = 0, 0
        while True:
            with self.engine.connect() as conn:
                rows = enrichments.pending_posts(
                    conn, stage.name, stage.version, after_id=after_id, limit=self.batch_size
                )
            if not rows:
                return done
            batch = self._inputs(rows, stage_needs(stage))
            results = stage.process(batch)
            for result in results:
                refused = set(result.post_columns) - WRITABLE_POST_COLUMNS
                if refused:
                    raise ValueError(f"stage {stage.name} may not write posts.{sorted(refused)}")
            with self.engine.begin() as conn:
                _write_extras(conn, stage, results)
                enrichments.write_results(
                    conn,
                    stage=stage.name,
                    model=stage.model,
                    version=stage.version,
                    results=[(result.post_id, result.result) for result in results],
                    post_columns=[(result.post_id, result.post_columns) for result in results],
                    now=utcnow(),
                )
            after_id = rows[-1].id
            done += len(rows)
            self.progress.advance(stage.name, done)

    def _inputs(self, rows: Sequence[Any], needs: tuple[str, ...]) -> list[PostInput]:
        stored: dict[str, dict[int, bytes]] = {}
        if needs:
            with self.engine.connect() as conn:
                ids = [row.id for row in rows]
                stored = {space: vectors.read_vectors(conn, space, ids) for space in needs}
        batch = []
        for row in rows:
            found = {
                space: from_bytes(blobs[row.id])
                for space, blobs in stored.items()
                if row.id in blobs
            }
            batch.append(
                PostInput(
                    row.id,
                    row.platform,
                    row.text,
                    row.language,
                    detected_language=row.detected_language,
                    created_at=row.created_at,
                    author_location=row.author_location,
                    vectors=found,
                )
            )
        return batch


def _write_extras(conn: Connection, stage: Stage, results: Sequence[StageResult]) -> None:
    """The vectors and facets a stage produced, beside its JSON results."""
    space = stage_vector_space(stage)
    if space is not None:
        vectors.write_vectors(
            conn,
            space=space,
            model=stage.model,
            version=stage.version,
            vectors=[
                (result.post_id, to_bytes(result.vector), int(result.vector.shape[0]))
                for result in results
                if result.vector is not None
            ],
        )
    if getattr(stage, "writes_facets", False):
        facets.replace_facets(
            conn,
            stage=stage.name,
            post_ids=[result.post_id for result in results],
            facets=[
                (result.post_id, facet, value, score)
                for result in results
                for facet, value, score in result.facets
            ],
        )
