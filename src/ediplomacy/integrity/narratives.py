"""Narratives: groups of posts telling one claim or message, followed over time (issue #4).

`build_narratives` (narrative_build.py) groups matched and claim-like posts and raises growth
alerts; this module reads them back for the CLI, the pages and the API: the list with each
narrative's volume, languages, platforms, growth and fact-check, and one narrative's timeline by
language and platform, countries, variants and the accounts that spread it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Connection, Engine

from ediplomacy.integrity.narrative_build import BuildSummary, build_narratives, fact_check_ids
from ediplomacy.integrity.narrative_series import growth
from ediplomacy.store import aggregates
from ediplomacy.store import factchecks as fact_store
from ediplomacy.store import narratives as store
from ediplomacy.store.aggregates import Bucket, Dimension
from ediplomacy.store.factchecks import FactCheck
from ediplomacy.store.narratives import NarrativeRow

__all__ = ["BuildSummary", "NarrativeItem", "NarrativeView", "build_narratives", "get", "listing"]

SPARK_DAYS = 14
TOP_SERIES = 6
OTHER = "other"
HOURLY_UP_TO = timedelta(days=3)  # a narrative shorter than this is charted per hour


@dataclass(frozen=True, slots=True)
class NarrativeItem:
    """A narrative as the list shows it."""

    id: int
    label: str
    status: str
    origin: str
    fact_check_id: int | None
    fact_check_ids: list[int]  # its own, then other fact-checks of the same claim
    verdict: str | None
    post_count: int
    accounts: int
    first_seen: datetime | None
    last_seen: datetime | None
    languages: dict[str, int]
    platforms: dict[str, int]
    growth: dict[str, Any] | None
    spark: list[int]  # posts per day, the SPARK_DAYS days up to the newest post of the database

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True, slots=True)
class Timeline:
    """Posts per bucket, one series per language and per platform (top ones, then 'other')."""

    bucket: str
    labels: list[str]
    languages: list[dict[str, Any]] = field(default_factory=list)
    platforms: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class NarrativeView:
    """Everything the narrative page shows."""

    item: NarrativeItem
    summary: str | None
    details: dict[str, Any]
    fact_check: FactCheck | None
    timeline: Timeline
    variants: list[dict[str, Any]]
    accounts: list[dict[str, Any]]
    countries: dict[str, int]
    countries_mentioned: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.item.as_dict(),
            "summary": self.summary,
            "fact_check": self.fact_check.as_dict() if self.fact_check else None,
            "timeline": {
                "bucket": self.timeline.bucket,
                "labels": self.timeline.labels,
                "languages": self.timeline.languages,
                "platforms": self.timeline.platforms,
            },
            "variants": self.variants,
            "variant_count": self.details.get("variant_count", len(self.variants)),
            "spreaders": self.accounts,
            "countries": self.countries,
            "countries_mentioned": self.countries_mentioned,
            "reposts": self.details.get("reposts", 0),
            "daily": self.details.get("daily", {}),
        }


def _spark(details: dict[str, Any], data_end: datetime | None) -> list[int]:
    if data_end is None:
        return []
    daily = details.get("daily") or {}
    last = data_end.date()
    days = [last - timedelta(days=offset) for offset in range(SPARK_DAYS - 1, -1, -1)]
    return [int(daily.get(day.isoformat(), 0)) for day in days]


def _item(
    row: NarrativeRow, verdict: str | None, data_end: datetime | None
) -> NarrativeItem:  # fmt: skip
    details = row.details
    return NarrativeItem(
        id=row.id,
        label=row.label,
        status=row.status,
        origin=str(details.get("origin") or ("fact_check" if row.fact_check_id else "")),
        fact_check_id=row.fact_check_id,
        fact_check_ids=fact_check_ids(row),
        verdict=verdict,
        post_count=row.post_count,
        accounts=int(details.get("accounts", 0)),
        first_seen=row.first_seen,
        last_seen=row.last_seen,
        languages=dict(details.get("languages") or {}),
        platforms=dict(details.get("platforms") or {}),
        growth=growth(details, data_end),
        spark=_spark(details, data_end),
    )


def _verdict(connection: Connection, fact_id: int | None) -> FactCheck | None:
    return fact_store.get(connection, fact_id) if fact_id is not None else None


def listing(engine: Engine, *, limit: int = 50, offset: int = 0) -> tuple[list[NarrativeItem], int]:
    """A page of narratives, most recently active first, and how many there are."""
    with engine.connect() as connection:
        rows, total = store.page(connection, limit=limit, offset=offset)
        _, data_end = aggregates.data_span(connection)
        facts = {row.id: _verdict(connection, row.fact_check_id) for row in rows}
    items = [
        _item(row, fact.verdict if (fact := facts[row.id]) else None, data_end) for row in rows
    ]
    return items, total


def _series(counts: list[aggregates.BucketCount], labels: list[datetime]) -> list[dict[str, Any]]:
    totals: dict[str, int] = {}
    for count in counts:
        totals[count.key] = totals.get(count.key, 0) + count.count
    top = [key for key, _ in sorted(totals.items(), key=lambda item: (-item[1], item[0]))]
    shown, rest = top[:TOP_SERIES], set(top[TOP_SERIES:])
    index = {label: position for position, label in enumerate(labels)}
    series = {key: [0] * len(labels) for key in shown}
    other = [0] * len(labels)
    for count in counts:
        position = index.get(count.bucket)
        if position is None:
            continue
        if count.key in rest:
            other[position] += count.count
        else:
            series[count.key][position] += count.count
    out = [{"key": key, "counts": values, "total": totals[key]} for key, values in series.items()]
    if rest:
        out.append({"key": OTHER, "counts": other, "total": sum(other)})
    return out


def _buckets(first: datetime, last: datetime, bucket: Bucket) -> list[datetime]:
    if bucket is Bucket.HOUR:
        current = first.replace(minute=0, second=0, microsecond=0)
        step = timedelta(hours=1)
    else:
        current = datetime.combine(first.date(), datetime.min.time(), first.tzinfo)
        step = timedelta(days=1)
    labels = []
    while current <= last:
        labels.append(current)
        current += step
    return labels


def _timeline(connection: Connection, row: NarrativeRow) -> Timeline:
    if row.first_seen is None or row.last_seen is None:
        return Timeline(Bucket.DAY.value, [])
    bucket = Bucket.HOUR if row.last_seen - row.first_seen <= HOURLY_UP_TO else Bucket.DAY
    labels = _buckets(row.first_seen, row.last_seen, bucket)
    condition = [store.member_condition(row.id)]
    by_language = aggregates.per_bucket(connection, condition, bucket, Dimension.LANGUAGE)
    by_platform = aggregates.per_bucket(connection, condition, bucket, Dimension.PLATFORM)
    text = [
        label.strftime("%Y-%m-%d %H:%M") if bucket is Bucket.HOUR else label.date().isoformat()
        for label in labels
    ]
    return Timeline(bucket.value, text, _series(by_language, labels), _series(by_platform, labels))


def get(engine: Engine, narrative_id: int, *, accounts: int = 25) -> NarrativeView:
    """One narrative with its timeline, variants, accounts and fact-check; NotFound if none."""
    with engine.connect() as connection:
        row = store.get(connection, narrative_id)
        _, data_end = aggregates.data_span(connection)
        fact = _verdict(connection, row.fact_check_id)
        timeline = _timeline(connection, row)
        spreaders = aggregates.top_actors(
            connection, [store.member_condition(row.id)], limit=accounts
        )
    details = row.details
    return NarrativeView(
        item=_item(row, fact.verdict if fact else None, data_end),
        summary=row.summary,
        details=details,
        fact_check=fact,
        timeline=timeline,
        variants=list(details.get("variants") or []),
        accounts=[
            {
                "platform": actor.platform,
                "handle": actor.handle,
                "posts": actor.posts,
                "engagement": actor.engagement,
            }
            for actor in spreaders
        ],
        countries=dict(details.get("countries") or {}),
        countries_mentioned=dict(details.get("countries_mentioned") or {}),
    )
