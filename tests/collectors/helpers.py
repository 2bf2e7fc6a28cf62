"""What the collector tests share: run a collector, read back what it stored."""

from __future__ import annotations

from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.ingest.collectors import build_collector
from ediplomacy.ingest.collectors.base import CollectReport, Limits, QuietProgress, run_collector


def collect(
    engine: Engine,
    settings: Settings,
    source: str,
    options: dict[str, Any],
    limits: Limits | None = None,
    progress: QuietProgress | None = None,
) -> CollectReport:
    return run_collector(
        engine,
        build_collector(source, options, settings),
        data_dir=settings.data_dir,
        limits=limits,
        progress=progress,
    )


def post_ids(engine: Engine, platform: str) -> list[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT external_id FROM posts WHERE platform = :p ORDER BY external_id"),
            {"p": platform},
        )
        return [row[0] for row in rows]


def rejects(report: CollectReport) -> list[dict[str, Any]]:
    if report.rejects_path is None:
        return []
    with open(report.rejects_path, "rb") as handle:
        return [orjson.loads(line) for line in handle]
