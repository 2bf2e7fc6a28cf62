"""Polarization snapshots: every SQL statement on `polarization_snapshots`. Callers own the
transaction.

A snapshot is keyed by (narrative, window start, window end): storing one again replaces it, so
a recomputation never leaves two figures for the same window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ediplomacy.store.schema import polarization_snapshots as snapshots
from ediplomacy.store.timeutil import as_utc


@dataclass(frozen=True, slots=True)
class Snapshot:
    id: int
    narrative_id: int | None
    window_start: datetime | None
    window_end: datetime | None
    modularity: float | None
    ei_index: float | None
    figures: dict[str, Any]
    computed_at: datetime


def _key(narrative_id: int | None, start: datetime, end: datetime) -> list[Any]:
    narrative = (
        snapshots.c.narrative_id.is_(None)
        if narrative_id is None
        else snapshots.c.narrative_id == narrative_id
    )
    return [narrative, snapshots.c.window_start == start, snapshots.c.window_end == end]


def replace_snapshot(
    conn: Connection,
    *,
    narrative_id: int | None,
    window_start: datetime,
    window_end: datetime,
    modularity: float | None,
    ei_index: float | None,
    figures: dict[str, Any],
    computed_at: datetime,
) -> int:
    """Store the figures of one window, replacing what was stored for the same key."""
    conn.execute(snapshots.delete().where(*_key(narrative_id, window_start, window_end)))
    result = conn.execute(
        snapshots.insert().values(
            narrative_id=narrative_id,
            window_start=window_start,
            window_end=window_end,
            modularity=modularity,
            ei_index=ei_index,
            figures=orjson.dumps(figures, option=orjson.OPT_NON_STR_KEYS).decode(),
            computed_at=computed_at,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _from_row(row: Any) -> Snapshot:
    return Snapshot(
        id=row.id,
        narrative_id=row.narrative_id,
        window_start=as_utc(row.window_start),
        window_end=as_utc(row.window_end),
        modularity=row.modularity,
        ei_index=row.ei_index,
        figures=orjson.loads(row.figures or "{}"),
        computed_at=as_utc(row.computed_at),
    )


def list_snapshots(
    conn: Connection,
    *,
    narrative_id: int | None = None,
    any_narrative: bool = False,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Snapshot]:
    """Snapshots overall (or of one narrative, or of every narrative), oldest window first."""
    query = sa.select(snapshots)
    if not any_narrative:
        query = query.where(
            snapshots.c.narrative_id.is_(None)
            if narrative_id is None
            else snapshots.c.narrative_id == narrative_id
        )
    else:
        query = query.where(snapshots.c.narrative_id.is_not(None))
    if since is not None:
        query = query.where(snapshots.c.window_end > since)
    if until is not None:
        query = query.where(snapshots.c.window_start < until)
    query = query.order_by(snapshots.c.window_start, snapshots.c.narrative_id, snapshots.c.id)
    return [_from_row(row) for row in conn.execute(query)]


def recent_windows(conn: Connection, limit: int = 500) -> list[tuple[datetime, datetime]]:
    """The newest overall windows, newest first: the periodic recomputation picks up there."""
    query = (
        sa.select(snapshots.c.window_start, snapshots.c.window_end)
        .where(
            snapshots.c.narrative_id.is_(None),
            snapshots.c.window_start.is_not(None),
            snapshots.c.window_end.is_not(None),
        )
        .order_by(snapshots.c.window_start.desc())
        .limit(limit)
    )
    return [(as_utc(row.window_start), as_utc(row.window_end)) for row in conn.execute(query)]


def delete_narrative_snapshots(conn: Connection, start: datetime, end: datetime) -> int:
    """Forget every narrative's snapshot of one window (before it is computed again)."""
    result = conn.execute(
        snapshots.delete().where(
            snapshots.c.narrative_id.is_not(None),
            snapshots.c.window_start == start,
            snapshots.c.window_end == end,
        )
    )
    return int(result.rowcount or 0)
