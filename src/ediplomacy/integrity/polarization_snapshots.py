"""Polarization over time: one snapshot per time window, overall and per narrative.

The lead calls `compute_polarization(engine, settings)` from the demo and from the server's
periodic check. Without `since` it picks up at the newest stored window of the same length
(that window may have grown since), so calling it again and again costs one or two windows.
Each window is written in one transaction that replaces its earlier snapshots.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.integrity.polarization import (
    PolarizationError,
    PolarizationReport,
    analyze_interactions,
    interaction_kinds,
    narrative_interactions,
    officials_of,
    read_window,
)
from ediplomacy.store import polarization as snapshots
from ediplomacy.store.aggregates import Bucket, data_span
from ediplomacy.store.timeutil import utcnow

STEP = {Bucket.HOUR: timedelta(hours=1), Bucket.DAY: timedelta(days=1), Bucket.WEEK: timedelta(7)}
MIN_NARRATIVE_TIES = 2  # fewer ties than this in a window say nothing about a narrative's shape
MAX_WINDOWS = 5_000

Progress = Callable[[int, int], None]


@dataclass
class PolarizationRun:
    """What one computation stored."""

    bucket: Bucket
    since: datetime | None = None
    until: datetime | None = None
    windows: int = 0
    narrative_snapshots: int = 0
    seconds: float = 0.0
    latest: PolarizationReport | None = None  # the newest window's overall figures
    narratives: set[int] = field(default_factory=set)


def window_start(moment: datetime, bucket: Bucket) -> datetime:
    """The UTC start of the bucket holding `moment` (weeks start on Monday)."""
    moment = moment.astimezone(UTC)
    if bucket is Bucket.HOUR:
        return moment.replace(minute=0, second=0, microsecond=0)
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday()) if bucket is Bucket.WEEK else day


def windows(since: datetime, until: datetime, bucket: Bucket) -> list[tuple[datetime, datetime]]:
    """Whole buckets from the one holding `since` to the one holding the moment before `until`."""
    step = STEP[bucket]
    start = window_start(since, bucket)
    found = []
    while start < until:
        found.append((start, start + step))
        start += step
        if len(found) > MAX_WINDOWS:
            raise PolarizationError(
                f"more than {MAX_WINDOWS} {bucket.value} windows: choose a longer bucket "
                "or a shorter --since/--until"
            )
    return found


def _resume_point(engine: Engine, bucket: Bucket) -> datetime | None:
    step = STEP[bucket]
    with engine.connect() as conn:
        for start, end in snapshots.recent_windows(conn):
            if end - start == step:
                return start
    return None


def compute_polarization(
    engine: Engine,
    settings: Settings,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    bucket: Bucket | str = "day",
    progress: Progress | None = None,
) -> PolarizationRun:
    """Store the polarization figures of every `bucket` window in [since, until)."""
    started = time.perf_counter()
    try:
        bucket = Bucket(bucket)
    except ValueError:
        raise PolarizationError(
            f"bucket {bucket!r}: choose {', '.join(b.value for b in Bucket)}"
        ) from None
    kinds = interaction_kinds(settings)
    officials = officials_of(settings)
    with engine.connect() as conn:
        first, last = data_span(conn)
    run = PolarizationRun(bucket)
    if first is None or last is None:
        return run
    since = since or _resume_point(engine, bucket) or first
    until = until or last + timedelta(microseconds=1)
    if since >= until:
        raise PolarizationError("the window is empty: --since must be before --until")
    todo = windows(since, until, bucket)
    run.since, run.until = todo[0][0] if todo else since, todo[-1][1] if todo else until
    for done, (start, end) in enumerate(todo, start=1):
        data = read_window(engine, kinds, start, end, with_narratives=True)
        overall = analyze_interactions(
            data.reading.interactions,
            traits=data.reading.traits,
            facets=data.facets,
            handles=data.handles,
            officials=officials,
            kinds=kinds,
            since=start,
            until=end,
        ).report
        narrative_reports = []
        for narrative_id in sorted({n for ids in data.narratives.values() for n in ids}):
            report = analyze_interactions(
                narrative_interactions(data, narrative_id),
                traits=data.reading.traits,
                facets=data.facets,
                handles=data.handles,
                officials=officials,
                kinds=kinds,
                since=start,
                until=end,
                narrative_id=narrative_id,
            ).report
            if report.ties >= MIN_NARRATIVE_TIES:
                narrative_reports.append(report)
        now = utcnow()
        with engine.begin() as conn:
            snapshots.delete_narrative_snapshots(conn, start, end)
            for report in (overall, *narrative_reports):
                figures = report.figures() | {"bucket": bucket.value}
                snapshots.replace_snapshot(
                    conn,
                    narrative_id=report.narrative_id,
                    window_start=start,
                    window_end=end,
                    modularity=report.modularity,
                    ei_index=report.ei_index,
                    figures=figures,
                    computed_at=now,
                )
        run.windows += 1
        run.narrative_snapshots += len(narrative_reports)
        run.narratives.update(r.narrative_id for r in narrative_reports if r.narrative_id)
        run.latest = overall
        if progress is not None:
            progress(done, len(todo))
    run.seconds = time.perf_counter() - started
    return run


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """One window's stored figures, as the charts over time draw them."""

    start: datetime
    end: datetime
    modularity: float | None
    ei_index: float | None
    reach_share: float | None
    accounts: int
    interactions: int
    communities: int


def snapshot_series(
    engine: Engine,
    *,
    narrative_id: int | None = None,
    bucket: Bucket | str = Bucket.DAY,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[SeriesPoint]:
    """The stored windows of one length overlapping [since, until), oldest first."""
    step = STEP[Bucket(bucket)]
    with engine.connect() as conn:
        found = snapshots.list_snapshots(conn, narrative_id=narrative_id, since=since, until=until)
    return [
        SeriesPoint(
            start=item.window_start,
            end=item.window_end,
            modularity=item.modularity,
            ei_index=item.ei_index,
            reach_share=(item.figures.get("reach") or {}).get("share"),
            accounts=int(item.figures.get("accounts") or 0),
            interactions=int(item.figures.get("interactions") or 0),
            communities=int(item.figures.get("community_count") or 0),
        )
        for item in found
        if item.window_start and item.window_end and item.window_end - item.window_start == step
    ]
