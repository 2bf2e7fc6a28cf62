"""Fast-growing narratives: the watch rules' burst rule applied to a narrative's hourly posts.

Every whole UTC hour of the scanned window is judged by `listen.bursts.evaluate` with the
narrative's posts per hour: the hour is a burst when it has at least `min_posts` posts, at least
`min_ratio` times the usual hourly count (the trimmed mean of the `baseline_hours` before, 1 at
least) and a Poisson tail probability under 10^-`min_score`. The baseline counts the hours since
the database's first post, not since the narrative's, so a narrative born in a burst counts from
zero. Consecutive burst hours are one episode, raised once as a `narrative_growth` alert keyed by
the narrative and the episode's first hour. An episode that ended more than
`deliver_within_hours` before now is shown in the alerts list but not sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Connection

from ediplomacy.integrity.alerting import NARRATIVE_GROWTH, raise_alert
from ediplomacy.integrity.narrative_rules import NarrativeSettings
from ediplomacy.listen.alerts import Targets
from ediplomacy.listen.bursts import HourVerdict, evaluate
from ediplomacy.store import watch as watch_store
from ediplomacy.store.narratives import NarrativeRow, member_condition
from ediplomacy.store.watch import floor_hour

HOUR = timedelta(hours=1)
SERIES_HOURS_BEFORE = 48


def episodes(verdicts: Sequence[HourVerdict]) -> list[list[HourVerdict]]:
    """Runs of consecutive burst hours."""
    runs: list[list[HourVerdict]] = []
    for verdict in verdicts:
        if not verdict.burst:
            continue
        if runs and runs[-1][-1].hour + HOUR == verdict.hour:
            runs[-1].append(verdict)
        else:
            runs.append([verdict])
    return runs


def alert_link(narrative_id: int) -> str:
    return f"/verify/narratives/{narrative_id}"


def _details(
    connection: Connection, row: NarrativeRow, run: list[HourVerdict], start: datetime,
    end: datetime,
) -> dict[str, Any]:  # fmt: skip
    condition = member_condition(row.id)
    observed = sum(verdict.observed for verdict in run)
    expected = sum(verdict.expected for verdict in run)
    first = start - SERIES_HOURS_BEFORE * HOUR
    counts = watch_store.hourly_counts(connection, condition, first, end)
    series = [counts[hour].total if hour in counts else 0 for hour in watch_store.hours(first, end)]
    return {
        "narrative_id": row.id,
        "fact_check_id": row.fact_check_id,
        "ratio": round(observed / expected, 2) if expected else None,
        "hours": [[v.hour.isoformat(), v.observed, v.expected, v.score] for v in run],
        "samples": watch_store.window_samples(connection, condition, start, end),
        **watch_store.window_breakdown(connection, condition, start, end),
        "series": {"start": first.isoformat(), "counts": series},
    }


def check_growth(
    connection: Connection,
    narratives: Sequence[NarrativeRow],
    options: NarrativeSettings,
    targets: Targets,
    *,
    data_start: datetime,
    data_end: datetime,
    now: datetime,
) -> list[int]:
    """Raise an alert for each new episode of fast growth; the new alerts' ids."""
    rule = options.growth
    history_start = floor_hour(data_start)
    end = min(floor_hour(now), floor_hour(data_end) + HOUR)  # whole hours only
    raised: list[int] = []
    for row in narratives:
        if row.first_seen is None:
            continue
        start = max(floor_hour(row.first_seen), end - options.lookback_days * 24 * HOUR)
        if start >= end:
            continue
        condition = member_condition(row.id)
        counts = watch_store.hourly_counts(
            connection, condition, start - rule.baseline_hours * HOUR, end
        )
        totals = {hour: count.total for hour, count in counts.items()}
        for run in episodes(evaluate(totals, start, end, history_start, rule)):
            first, last = run[0].hour, run[-1].hour + HOUR
            key = f"{row.id}:{first.isoformat()}"
            if watch_store.ruleless_alert_raised(connection, NARRATIVE_GROWTH, key):
                continue
            recent = last >= now - timedelta(hours=options.deliver_within_hours)
            alert_id = raise_alert(
                connection,
                kind=NARRATIVE_GROWTH,
                key=key,
                title=row.label,
                link=alert_link(row.id),
                window=(first, last),
                observed=float(sum(verdict.observed for verdict in run)),
                expected=round(sum(verdict.expected for verdict in run), 3),
                score=max(verdict.score for verdict in run),
                details=_details(connection, row, run, first, last),
                targets=targets if recent else Targets(),
            )
            if alert_id is not None:
                raised.append(alert_id)
    return raised
