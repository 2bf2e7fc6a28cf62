"""Collections: one import or capture run, with its counts and errors. Never commits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ediplomacy.domain.posts import ImportCounts
from ediplomacy.store.schema import collections


def start_collection(
    conn: Connection,
    *,
    name: str,
    kind: str,
    source: str,
    fmt: str | None,
    tool_version: str,
    now: datetime,
) -> int:
    result = conn.execute(
        collections.insert()
        .values(
            name=name,
            kind=kind,
            source=source,
            format=fmt,
            status="running",
            started_at=now,
            tool_version=tool_version,
        )
        .returning(collections.c.id)
    )
    return int(result.scalar_one())


def record_progress(conn: Connection, collection_id: int, counts: ImportCounts) -> None:
    conn.execute(
        collections.update().where(collections.c.id == collection_id).values(_count_values(counts))
    )


def finish_collection(
    conn: Connection,
    collection_id: int,
    counts: ImportCounts,
    *,
    status: str,
    now: datetime,
    rejects_path: str | None = None,
    error: str | None = None,
) -> None:
    values = _count_values(counts)
    values.update(status=status, finished_at=now, rejects_path=rejects_path, error=error)
    conn.execute(collections.update().where(collections.c.id == collection_id).values(values))


def running_collections(conn: Connection, source: str) -> list[tuple[int, int]]:
    """(id, rejected count) of the runs of a source still 'running' (killed, or under way)."""
    rows = conn.execute(
        sa.select(collections.c.id, collections.c.rejected_count).where(
            collections.c.status == "running", collections.c.source == source
        )
    )
    return [(int(row[0]), int(row[1] or 0)) for row in rows]


def mark_interrupted(conn: Connection, source: str, now: datetime) -> int:
    """Earlier runs of the same source still 'running' were killed: mark them 'interrupted'."""
    result = conn.execute(
        collections.update()
        .where(collections.c.status == "running", collections.c.source == source)
        .values(status="interrupted", finished_at=now)
    )
    return int(result.rowcount or 0)


def _count_values(counts: ImportCounts) -> dict[str, Any]:
    return {
        "read_count": counts.read,
        "new_count": counts.new,
        "updated_count": counts.updated,
        "unchanged_count": counts.unchanged,
        "rejected_count": counts.rejected,
    }
