"""Checking watch rules: hourly volumes, bursts, alerts raised or grown, deliveries queued.

A check is incremental and idempotent. Each rule remembers the hour it was checked up to
(`checked_until`); the next check starts `recheck_hours` (3) before it, because hours are
bucketed by a post's creation time and posts keep arriving (live collectors, late imports) and
being analysed (sentiment) after their hour was first judged. Hours already inside one of the
rule's alerts are skipped, and an alert is keyed by (rule, kind, first hour), so judging the
same hours again never raises the same alert twice; a lasting burst grows its alert. Only whole
UTC hours are judged.

Bursts whose window ended before the rule was saved (a new rule looks back `backfill_hours`)
are raised for the UI but not sent: nobody should get thirty days of old alerts at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Connection, Engine

from ediplomacy.domain.errors import EdiplomacyError
from ediplomacy.listen.bursts import BurstSettings, HourVerdict, evaluate
from ediplomacy.listen.rules import build, parse
from ediplomacy.store import watch as store
from ediplomacy.store.timeutil import as_utc, utcnow
from ediplomacy.store.watch import Alert, Condition, SqlConditions, WatchRule, floor_hour

HOUR = timedelta(hours=1)
KINDS = ("volume", "negative")
SERIES_HOURS_BEFORE = 48


@dataclass(frozen=True, slots=True)
class Targets:
    """Where every alert goes besides a rule's own targets (EDIPLOMACY_ALERT_*)."""

    webhooks: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, webhook_url: str, email_to: str) -> Targets:
        emails = tuple(address.strip() for address in email_to.split(",") if address.strip())
        return cls((webhook_url.strip(),) if webhook_url.strip() else (), emails)


def rule_targets(rule: WatchRule, default: Targets) -> list[tuple[str, str]]:
    """(channel, target) pairs for a rule's alerts: its own, then the global ones."""
    webhooks = [*rule.notify.get("webhooks", []), *default.webhooks]
    emails = [*rule.notify.get("emails", []), *default.emails]
    pairs = [("webhook", url) for url in webhooks] + [("email", address) for address in emails]
    return list(dict.fromkeys(pairs))


@dataclass(slots=True)
class RuleCheck:
    rule: str
    start: datetime | None = None
    end: datetime | None = None
    hours: int = 0
    new_alerts: list[int] = field(default_factory=list)
    grown_alerts: list[int] = field(default_factory=list)
    error: str | None = None


@dataclass(slots=True)
class _Episode:
    """An alert being raised or grown during this check."""

    alert_id: int | None
    start: datetime
    end: datetime
    observed: float
    expected: float
    score: float
    hours: list[list[Any]]
    unsent: bool = False  # an alert raised for the UI only (over before the rule existed)


def _condition(connection: Connection, rule: WatchRule) -> Condition:
    return build(parse(rule.query), SqlConditions(connection.dialect.name))


def _series(
    connection: Connection, condition: Condition, start: datetime, end: datetime, kind: str
) -> dict[str, Any]:
    first = start - SERIES_HOURS_BEFORE * HOUR
    counts = store.hourly_counts(connection, condition, first, end)
    values = [
        (counts[hour].negative if kind == "negative" else counts[hour].total)
        if hour in counts
        else 0
        for hour in store.hours(first, end)
    ]
    return {"start": first.isoformat(), "counts": values}


def _details(
    connection: Connection, rule: WatchRule, condition: Condition, episode: _Episode, kind: str
) -> dict[str, Any]:
    negative = kind == "negative"
    details: dict[str, Any] = {
        "rule": rule.name,
        "query": rule.query,
        "ratio": round(episode.observed / episode.expected, 2) if episode.expected else None,
        "hours": episode.hours,
        "samples": store.window_samples(
            connection, condition, episode.start, episode.end, negative=negative
        ),
        **store.window_breakdown(
            connection, condition, episode.start, episode.end, negative=negative
        ),
        "series": _series(connection, condition, episode.start, episode.end, kind),
    }
    if negative:
        counts = store.hourly_counts(connection, condition, episode.start, episode.end)
        total = sum(count.total for count in counts.values())
        details["negative_share"] = round(episode.observed / total, 3) if total else None
    return details


def _covered(alerts: Sequence[Alert]) -> set[datetime]:
    return {hour for alert in alerts for hour in store.hours(alert.window_start, alert.window_end)}


def _episodes(verdicts: Sequence[HourVerdict], existing: Sequence[Alert]) -> list[_Episode]:
    """Group burst hours into alerts: new ones, or existing ones that grow by an hour."""
    covered = _covered(existing)
    by_end = {alert.window_end: alert for alert in existing}
    episodes: list[_Episode] = []
    current: _Episode | None = None
    for verdict in verdicts:
        if verdict.hour in covered or not verdict.burst:
            current = None
            continue
        row = [verdict.hour.isoformat(), verdict.observed, round(verdict.expected, 2),
               verdict.score]  # fmt: skip
        if current is None and verdict.hour in by_end:
            before = by_end[verdict.hour]
            current = _Episode(
                before.id,
                before.window_start,
                before.window_end,
                before.observed,
                before.expected,
                before.score,
                list(before.details.get("hours", [])),
                "not_sent" in before.details,
            )
            episodes.append(current)
        if current is None:
            current = _Episode(None, verdict.hour, verdict.hour, 0, 0, 0, [])
            episodes.append(current)
        current.end = verdict.hour + HOUR
        current.observed += verdict.observed
        current.expected += verdict.expected
        current.score = max(current.score, verdict.score)
        current.hours.append(row)
    return episodes


def check_rule(
    connection: Connection,
    rule: WatchRule,
    until: datetime,
    *,
    since: datetime | None = None,
    targets: Targets = Targets(),
) -> RuleCheck:
    """Judge the rule's whole hours up to `until`; raise or grow alerts; queue deliveries."""
    report = RuleCheck(rule.name)
    settings = BurstSettings.from_mapping(rule.settings)
    condition = _condition(connection, rule)
    oldest, _newest = store.data_span(connection)
    end = floor_hour(until)
    if oldest is None:
        return report
    history_start = floor_hour(oldest)
    if since is not None:
        start = floor_hour(since)
    elif rule.checked_until is not None:
        start = floor_hour(rule.checked_until) - settings.recheck_hours * HOUR
    else:
        start = end - settings.backfill_hours * HOUR
    start = max(start, history_start)
    report.start, report.end = start, end
    if start >= end:
        return report
    counts = store.hourly_counts(connection, condition, start - settings.baseline_hours * HOUR, end)
    report.hours = int((end - start) / HOUR)
    kinds = KINDS if settings.negative else KINDS[:1]
    now = utcnow()
    for kind in kinds:
        series = {
            hour: (count.negative if kind == "negative" else count.total)
            for hour, count in counts.items()
        }
        verdicts = evaluate(series, start, end, history_start, settings)
        existing = store.rule_alerts_between(connection, rule.id, kind, start - HOUR, end)
        for episode in _episodes(verdicts, existing):
            details = _details(connection, rule, condition, episode, kind)
            old = episode.end <= as_utc(rule.created_at)  # over before the rule existed
            if old:
                details["not_sent"] = "before_rule"
            values = {
                "window_start": episode.start,
                "window_end": episode.end,
                "observed": episode.observed,
                "expected": round(episode.expected, 3),
                "score": episode.score,
                "details": details,
            }
            if episode.alert_id is None:
                alert_id = store.insert_alert(
                    connection, {**values, "rule_id": rule.id, "kind": kind, "created_at": now}
                )
                if alert_id is not None:
                    report.new_alerts.append(alert_id)
                    if not old:
                        store.add_deliveries(connection, alert_id, rule_targets(rule, targets))
            else:
                store.update_alert(connection, episode.alert_id, **values)
                report.grown_alerts.append(episode.alert_id)
                if episode.unsent and not old:  # a burst going on when the rule was saved
                    store.add_deliveries(connection, episode.alert_id, rule_targets(rule, targets))
    store.set_checked_until(connection, rule.id, max(end, rule.checked_until or end))
    return report


def check_rules(
    engine: Engine,
    until: datetime | None = None,
    *,
    since: datetime | None = None,
    targets: Targets = Targets(),
    names: Sequence[str] | None = None,
) -> list[RuleCheck]:
    """Check every enabled rule (or those named), each in its own transaction."""
    moment = as_utc(until) if until is not None else utcnow()
    with engine.connect() as connection:
        rules = store.list_rules(connection, enabled_only=names is None)
    if names is not None:
        rules = [rule for rule in rules if rule.name in names]
    reports = []
    for rule in rules:
        try:
            with engine.begin() as connection:
                current = store.get_rule(connection, rule.id)
                reports.append(
                    check_rule(connection, current, moment, since=since, targets=targets)
                )
        except EdiplomacyError as error:  # one broken rule must not stop the others
            reports.append(RuleCheck(rule.name, error=str(error)))
    return reports
