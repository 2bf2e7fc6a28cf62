"""The in-process runner: each stage over the posts that have not been through it, in batches."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy.engine import Engine

from ediplomacy.pipeline.stage import WRITABLE_POST_COLUMNS, PostInput, Stage
from ediplomacy.store import enrichments
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
            batch = [PostInput(row.id, row.platform, row.text, row.language) for row in rows]
            results = stage.process(batch)
            for result in results:
                refused = set(result.post_columns) - WRITABLE_POST_COLUMNS
                if refused:
                    raise ValueError(f"stage {stage.name} may not write posts.{sorted(refused)}")
            with self.engine.begin() as conn:
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
