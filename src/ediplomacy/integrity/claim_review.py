"""The analyst's side of claim matching: confirm or reject a match (audited), the feedback
exported for retraining, and alerts when posts matching a false claim spike."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.integrity.alerting import CLAIM_SPIKE, raise_alert
from ediplomacy.listen.alerts import Targets
from ediplomacy.listen.bursts import BurstSettings, HourVerdict, evaluate
from ediplomacy.security import audit
from ediplomacy.store import claim_matches as store
from ediplomacy.store import factchecks
from ediplomacy.store.aggregates import data_span
from ediplomacy.store.claim_matches import ClaimMatch
from ediplomacy.store.timeutil import utcnow
from ediplomacy.store.watch import floor_hour

REVIEWED = "claim_match.reviewed"
FALSE_VERDICTS = ("false", "misleading", "mixed")
HOUR = timedelta(hours=1)
# A spike: at least 5 matching posts in an hour and 3 times the usual hourly level, judged
# against the fact-check's own previous 7 days (see listen/bursts.py for the Poisson score).
SPIKE = BurstSettings(
    baseline_hours=168, min_history_hours=1, min_posts=5, min_ratio=3.0, min_score=3.0, floor=0.5
)


def review_match(
    engine: Engine,
    match_id: int,
    *,
    status: str,
    actor: str,
    note: str | None = None,
    ip: str | None = None,
) -> ClaimMatch:
    """Confirm, reject or re-open a match; the decision and who made it are kept and audited."""
    if status not in store.STATUSES:
        raise ValueError(f"a review is one of {', '.join(store.STATUSES)}, not {status!r}")
    note = (note or "").strip()[:2000] or None
    with engine.begin() as connection:
        before = store.get_match(connection, match_id)
        store.review(connection, match_id, status=status, by=actor, at=utcnow(), note=note)
        audit.append(
            connection,
            REVIEWED,
            actor=actor,
            target=str(match_id),
            ip=ip,
            detail={
                "post_id": before.post_id,
                "fact_check_id": before.fact_check_id,
                "from": before.status,
                "to": status,
            },
        )
        return store.get_match(connection, match_id)


def export_reviews(engine: Engine, out: Path) -> int:
    """The reviewed matches as TSV (post_id, fact_check_id, label 1/0, reviewer, time, texts):
    a training set in the shape of CheckThat! qrels for the next ranker."""
    with engine.connect() as connection:
        rows = store.reviewed_pairs(connection)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(
            [
                "post_id",
                "fact_check_id",
                "relevant",
                "reviewed_by",
                "reviewed_at",
                "post_text",
                "claim_text",
            ]
        )
        for row in rows:
            writer.writerow(
                [
                    row.post_id,
                    row.fact_check_id,
                    1 if row.status == "confirmed" else 0,
                    row.reviewed_by,
                    row.reviewed_at.isoformat() if row.reviewed_at else "",
                    " ".join((row.text or "").split()),
                    row.claim_text,
                ]
            )
    return len(rows)


def series(counts: Counter[datetime], first: datetime, end: datetime) -> dict[str, object]:
    """Hourly counts from `first` to `end`, as the alert chart reads them."""
    hours = int((end - first) / HOUR)
    return {
        "start": first.isoformat(),
        "counts": [counts.get(first + n * HOUR, 0) for n in range(hours)],
    }


def episodes(bursts: list[HourVerdict]) -> list[list[HourVerdict]]:
    """Burst hours grouped into runs of consecutive hours: one alert per run."""
    runs: list[list[HourVerdict]] = []
    for verdict in bursts:
        if runs and verdict.hour - runs[-1][-1].hour == HOUR:
            runs[-1].append(verdict)
        else:
            runs.append([verdict])
    return runs


@dataclass(slots=True)
class SpikeReport:
    fact_checks: int = 0
    new_alerts: list[int] = field(default_factory=list)


def check_claim_spikes(
    engine: Engine, settings: Settings, *, until: datetime | None = None, hours: int = 24
) -> SpikeReport:
    """Raise one alert per fact-check (false, misleading or mixed) and run of consecutive
    burst hours of its matches, keyed by the run's first hour: raised once, however often the
    check runs while the spike lasts."""
    end = floor_hour(until or utcnow())
    start = end - hours * HOUR
    history_from = start - SPIKE.baseline_hours * HOUR
    with engine.connect() as connection:
        rows = store.hourly_matches(connection, since=history_from, verdicts=FALSE_VERDICTS)
        oldest, _ = data_span(connection)
    per_claim: dict[int, Counter[datetime]] = {}
    for fact_check_id, created_at, n in rows:
        per_claim.setdefault(fact_check_id, Counter())[floor_hour(created_at)] += n
    report = SpikeReport(fact_checks=len(per_claim))
    if oldest is None:
        return report
    # History starts with the database's first post, not the claim's first match: the hours
    # before a new hoax appeared are real zeros, so its very first burst is a spike.
    history_start = floor_hour(oldest)
    targets = Targets.from_settings(settings.alert_webhook_url, settings.alert_email_to)
    for fact_check_id, counts in sorted(per_claim.items()):
        bursts = [v for v in evaluate(counts, start, end, history_start, SPIKE) if v.burst]
        for episode in episodes(bursts):
            first, last = episode[0].hour, episode[-1].hour + HOUR
            observed = sum(v.observed for v in episode)
            expected = sum(v.expected for v in episode)
            with engine.begin() as connection:
                fact = factchecks.get(connection, fact_check_id)
                alert_id = raise_alert(
                    connection,
                    kind=CLAIM_SPIKE,
                    key=f"{fact_check_id}:{first.isoformat()}",
                    title=fact.claim_text[:160],
                    link=f"/verify/matches?fact_check={fact_check_id}",
                    window=(first, last),
                    observed=observed,
                    expected=expected,
                    score=max(v.score for v in episode),
                    details={
                        "fact_check_id": fact_check_id,
                        "verdict": fact.verdict,
                        "hours": len(episode),
                        "ratio": round(observed / max(expected, 0.01), 1),
                        "series": series(counts, first - 24 * HOUR, last),
                    },
                    targets=targets,
                )
            if alert_id is not None:
                report.new_alerts.append(alert_id)
    return report
