"""Watch rules, alerts and their deliveries: every SQL statement of the watch feature.

Repositories only: callers own the transaction (nothing here commits). `SqlConditions` turns
a parsed rule (see ediplomacy.listen.rules) into a condition on `posts`, the same on SQLite
and PostgreSQL: SQLite's LIKE compares A-Z in either case, and PostgreSQL is given the text
with A-Z lowered (translate) so that both compare alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from ediplomacy.domain.errors import NotFound
from ediplomacy.store.aggregates import Bucket, bucket_stamp, bucket_start
from ediplomacy.store.aggregates import data_span as data_span  # callers use store.data_span
from ediplomacy.store.queries import language
from ediplomacy.store.schema import alert_deliveries, alerts, post_facets, posts, watch_rules
from ediplomacy.store.timeutil import as_utc

UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LOWER = "abcdefghijklmnopqrstuvwxyz"
COUNTRY_FACET = "country_mentioned"
SNIPPET = 280
Condition = sa.ColumnElement[bool]


# Rule queries as SQL ------------------------------------------------------------------


def _like_escape(value: str) -> str:
    return value.replace("/", "//").replace("%", "/%").replace("_", "/_")


class SqlConditions:
    """Builds SQLAlchemy conditions on `posts` (the ConditionBuilder of listen.rules)."""

    def __init__(self, dialect: str) -> None:
        self.postgres = dialect == "postgresql"

    def _folded(self, column: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
        value = sa.func.coalesce(column, "")
        return sa.func.translate(value, UPPER, LOWER) if self.postgres else value

    def _contains(self, column: sa.ColumnElement[Any], needles: Sequence[str]) -> Condition:
        folded = self._folded(column)
        return sa.or_(*(folded.contains(needle, autoescape=True) for needle in needles))

    def text_contains(self, needles: Sequence[str]) -> Condition:
        return self._contains(posts.c.text, needles)

    def hashtags_contain(self, needles: Sequence[str]) -> Condition:
        return self._contains(posts.c.hashtags, needles)

    def by_or_mentions(self, handles: Sequence[str], needles: Sequence[str]) -> Condition:
        author = self._folded(posts.c.author_handle)
        by: Condition
        if self.postgres:
            by = author.in_(list(handles))
        else:  # LIKE without wildcards: equality with A-Z in either case
            by = sa.or_(*(author.like(_like_escape(handle), escape="/") for handle in handles))
        return sa.or_(by, self._contains(posts.c.mentions, needles))

    def field_is(self, field: str, value: str) -> Condition:
        if field == "lang":
            return sa.func.coalesce(language, "") == value
        if field == "country":
            rows = post_facets.alias("rule_country")  # apart from any post_facets outside
            mentioned = sa.exists().where(
                rows.c.post_id == posts.c.id,
                rows.c.facet == COUNTRY_FACET,
                rows.c.value == value,
            )
            return sa.or_(sa.func.coalesce(posts.c.author_country, "") == value, mentioned)
        column = {"platform": posts.c.platform, "sentiment": posts.c.sentiment}[field]
        return sa.func.coalesce(column, "") == value

    def all_of(self, items: Sequence[Condition]) -> Condition:
        return sa.and_(*items)

    def any_of(self, items: Sequence[Condition]) -> Condition:
        return sa.or_(*items)

    def negate(self, item: Condition) -> Condition:
        return sa.not_(item)


def matching_ids(connection: Connection, condition: Condition, ids: Sequence[int]) -> set[int]:
    """Which of these posts match a condition (tests compare this with Python's verdict)."""
    rows = connection.execute(sa.select(posts.c.id).where(posts.c.id.in_(list(ids)), condition))
    return {row.id for row in rows}


def count_matching(
    connection: Connection, condition: Condition, since: datetime | None = None
) -> int:
    query = sa.select(sa.func.count()).select_from(posts).where(condition)
    if since is not None:
        query = query.where(posts.c.created_at >= since)
    return int(connection.execute(query).scalar_one())


# Rules ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WatchRule:
    id: int
    name: str
    query: str
    enabled: bool
    settings: dict[str, Any]
    notify: dict[str, Any]
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    checked_until: datetime | None


def _loads(text: str | None, default: Any) -> Any:
    try:
        return orjson.loads(text) if text else default
    except orjson.JSONDecodeError:
        return default


def _dumps(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def _rule(row: Row) -> WatchRule:
    return WatchRule(
        id=row.id,
        name=row.name,
        query=row.query,
        enabled=bool(row.enabled),
        settings=_loads(row.settings, {}),
        notify=_loads(row.notify, {}),
        created_by=row.created_by,
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
        checked_until=as_utc(row.checked_until),
    )


def insert_rule(
    connection: Connection,
    *,
    name: str,
    query: str,
    settings: Mapping[str, Any],
    notify: Mapping[str, Any],
    created_by: str | None,
    now: datetime,
) -> WatchRule:
    row = connection.execute(
        watch_rules.insert()
        .values(
            name=name,
            query=query,
            enabled=True,
            settings=_dumps(dict(settings)),
            notify=_dumps(dict(notify)),
            created_by=created_by,
            created_at=now,
            updated_at=now,
        )
        .returning(*watch_rules.c)
    ).one()
    return _rule(row)


def rule_name_taken(connection: Connection, name: str) -> bool:
    found = connection.execute(sa.select(watch_rules.c.id).where(watch_rules.c.name == name))
    return found.first() is not None


def list_rules(connection: Connection, *, enabled_only: bool = False) -> list[WatchRule]:
    query = sa.select(watch_rules).order_by(watch_rules.c.name)
    if enabled_only:
        query = query.where(watch_rules.c.enabled.is_(True))
    return [_rule(row) for row in connection.execute(query)]


def get_rule(
    connection: Connection, rule_id: int | None = None, name: str | None = None
) -> WatchRule:
    condition = watch_rules.c.id == rule_id if rule_id is not None else watch_rules.c.name == name
    row = connection.execute(sa.select(watch_rules).where(condition)).first()
    if row is None:
        what = f"id {rule_id}" if rule_id is not None else f"'{name}'"
        raise NotFound(f"There is no watch rule {what}; `ediplomacy watch list` shows them.")
    return _rule(row)


def update_rule(connection: Connection, rule_id: int, now: datetime, **values: Any) -> None:
    for key in ("settings", "notify"):
        if key in values:
            values[key] = _dumps(values[key])
    connection.execute(
        watch_rules.update().where(watch_rules.c.id == rule_id).values(updated_at=now, **values)
    )


def set_checked_until(connection: Connection, rule_id: int, until: datetime) -> None:
    connection.execute(
        watch_rules.update().where(watch_rules.c.id == rule_id).values(checked_until=until)
    )


def delete_rule(connection: Connection, rule_id: int) -> None:
    """The rule and its alerts (and their deliveries) go together."""
    alert_ids = sa.select(alerts.c.id).where(alerts.c.rule_id == rule_id)
    connection.execute(alert_deliveries.delete().where(alert_deliveries.c.alert_id.in_(alert_ids)))
    connection.execute(alerts.delete().where(alerts.c.rule_id == rule_id))
    connection.execute(watch_rules.delete().where(watch_rules.c.id == rule_id))


# Hourly volumes and what a window holds -------------------------------------------------


@dataclass(frozen=True, slots=True)
class HourCount:
    total: int
    negative: int


def hourly_counts(
    connection: Connection, condition: Condition, start: datetime, end: datetime
) -> dict[datetime, HourCount]:
    """Matching posts per UTC hour in [start, end), and how many of them are negative."""
    hour = bucket_start(connection, Bucket.HOUR).label("hour")
    negative = sa.func.sum(sa.case((posts.c.sentiment == "negative", 1), else_=0))
    rows = connection.execute(
        sa.select(hour, sa.func.count().label("n"), negative.label("neg"))
        .where(posts.c.created_at >= start, posts.c.created_at < end, condition)
        .group_by(hour)
    )
    return {bucket_stamp(row.hour): HourCount(int(row.n), int(row.neg or 0)) for row in rows}


def _window(condition: Condition, start: datetime, end: datetime, negative: bool) -> list[Any]:
    where = [posts.c.created_at >= start, posts.c.created_at < end, condition]
    if negative:
        where.append(posts.c.sentiment == "negative")
    return where


def window_samples(
    connection: Connection,
    condition: Condition,
    start: datetime,
    end: datetime,
    *,
    negative: bool = False,
    limit: int = 5,
) -> list[dict[str, Any]]:
    """The most shared and liked matching posts of a window, with a text snippet."""
    reach = sa.func.coalesce(posts.c.repost_count, 0) + sa.func.coalesce(posts.c.like_count, 0)
    rows = connection.execute(
        sa.select(
            posts.c.id,
            posts.c.platform,
            posts.c.author_handle,
            posts.c.text,
            posts.c.created_at,
            posts.c.url,
            language.label("lang"),
        )
        .where(*_window(condition, start, end, negative))
        .order_by(reach.desc(), posts.c.created_at, posts.c.id)
        .limit(limit)
    )
    return [
        {
            "id": row.id,
            "platform": row.platform,
            "author": row.author_handle,
            "text": row.text[:SNIPPET] + ("…" if len(row.text) > SNIPPET else ""),
            "created_at": as_utc(row.created_at).isoformat(),
            "url": row.url,
            "language": row.lang,
        }
        for row in rows
    ]


def window_breakdown(
    connection: Connection,
    condition: Condition,
    start: datetime,
    end: datetime,
    *,
    negative: bool = False,
    top: int = 8,
) -> dict[str, list[list[Any]]]:
    """Top languages, author countries and countries talked about in a window."""
    where = _window(condition, start, end, negative)
    result: dict[str, list[list[Any]]] = {}
    n = sa.func.count().label("n")
    groups: dict[str, sa.ColumnElement[Any]] = {
        "languages": language,
        "countries": posts.c.author_country,
    }
    for key, column in groups.items():
        label = column.label("label")
        rows = connection.execute(
            sa.select(label, n)
            .where(*where, column.is_not(None))
            .group_by(label)
            .order_by(n.desc(), label)
            .limit(top)
        )
        result[key] = [[row.label, int(row.n)] for row in rows]
    value = post_facets.c.value.label("label")
    rows = connection.execute(
        sa.select(value, n)
        .select_from(posts.join(post_facets, post_facets.c.post_id == posts.c.id))
        .where(*where, post_facets.c.facet == COUNTRY_FACET)
        .group_by(value)
        .order_by(n.desc(), value)
        .limit(top)
    )
    result["countries_mentioned"] = [[row.label, int(row.n)] for row in rows]
    return result


# Alerts -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Alert:
    id: int
    rule_id: int | None
    rule_name: str | None
    rule_query: str | None
    kind: str
    window_start: datetime
    window_end: datetime
    observed: float
    expected: float
    score: float
    details: dict[str, Any]
    status: str
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    created_at: datetime

    @property
    def ratio(self) -> float:
        return self.observed / self.expected if self.expected > 0 else float("inf")


ALERT_COLUMNS = (*alerts.c, watch_rules.c.name.label("rule_name"),
                 watch_rules.c.query.label("rule_query"))  # fmt: skip
ALERT_FROM = alerts.outerjoin(watch_rules, watch_rules.c.id == alerts.c.rule_id)


def _alert(row: Row) -> Alert:
    return Alert(
        id=row.id,
        rule_id=row.rule_id,
        rule_name=row.rule_name,
        rule_query=row.rule_query,
        kind=row.kind,
        window_start=as_utc(row.window_start),
        window_end=as_utc(row.window_end),
        observed=float(row.observed),
        expected=float(row.expected),
        score=float(row.score),
        details=_loads(row.details, {}),
        status=row.status,
        acknowledged_by=row.acknowledged_by,
        acknowledged_at=as_utc(row.acknowledged_at),
        created_at=as_utc(row.created_at),
    )


def ruleless_alert_raised(connection: Connection, kind: str, key: str) -> bool:
    """Whether a ruleless (integrity) alert of this kind has `key` in its details."""
    rows = connection.execute(
        sa.select(alerts.c.details).where(alerts.c.rule_id.is_(None), alerts.c.kind == kind)
    )
    return any(_loads(row.details, {}).get("key") == key for row in rows)


def insert_alert(connection: Connection, values: Mapping[str, Any]) -> int | None:
    """A new alert's id, or None when the rule already has one of this kind at this start."""
    row = dict(values)
    row["details"] = _dumps(row.get("details", {}))
    exists = connection.execute(
        sa.select(alerts.c.id).where(
            alerts.c.rule_id == row["rule_id"],
            alerts.c.kind == row["kind"],
            alerts.c.window_start == row["window_start"],
        )
    ).first()
    if exists is not None:
        return None
    try:
        with connection.begin_nested():
            return int(
                connection.execute(
                    alerts.insert().values(**row).returning(alerts.c.id)
                ).scalar_one()
            )
    except sa.exc.IntegrityError:  # another check wrote it in the meantime
        return None


def update_alert(connection: Connection, alert_id: int, **values: Any) -> None:
    if "details" in values:
        values["details"] = _dumps(values["details"])
    connection.execute(alerts.update().where(alerts.c.id == alert_id).values(**values))


def rule_alerts_between(
    connection: Connection, rule_id: int, kind: str, start: datetime, end: datetime
) -> list[Alert]:
    """The rule's alerts of a kind whose window touches [start, end] (ends included)."""
    rows = connection.execute(
        sa.select(*ALERT_COLUMNS)
        .select_from(ALERT_FROM)
        .where(
            alerts.c.rule_id == rule_id,
            alerts.c.kind == kind,
            alerts.c.window_end >= start,
            alerts.c.window_start <= end,
        )
        .order_by(alerts.c.window_start)
    )
    return [_alert(row) for row in rows]


def list_alerts(
    connection: Connection,
    *,
    status: str | None = None,
    rule_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Alert], int]:
    """Alerts, the latest burst first, and how many there are."""
    conditions = []
    if status:
        conditions.append(alerts.c.status == status)
    if rule_id is not None:
        conditions.append(alerts.c.rule_id == rule_id)
    total = connection.execute(
        sa.select(sa.func.count()).select_from(alerts).where(*conditions)
    ).scalar_one()
    rows = connection.execute(
        sa.select(*ALERT_COLUMNS)
        .select_from(ALERT_FROM)
        .where(*conditions)
        .order_by(alerts.c.window_start.desc(), alerts.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [_alert(row) for row in rows], int(total)


def get_alert(connection: Connection, alert_id: int) -> Alert:
    row = connection.execute(
        sa.select(*ALERT_COLUMNS).select_from(ALERT_FROM).where(alerts.c.id == alert_id)
    ).first()
    if row is None:
        raise NotFound(f"There is no alert {alert_id}; `ediplomacy alerts list` shows them.")
    return _alert(row)


def acknowledge(connection: Connection, alert_id: int, by: str | None, now: datetime) -> bool:
    """Mark an open alert acknowledged; False when it already was."""
    done = connection.execute(
        alerts.update()
        .where(alerts.c.id == alert_id, alerts.c.status == "open")
        .values(status="acknowledged", acknowledged_by=by, acknowledged_at=now)
    )
    return done.rowcount > 0


# Deliveries -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    alert_id: int
    channel: str
    target: str
    status: str
    attempts: int
    last_error: str | None
    sent_at: datetime | None


def _delivery(row: Row) -> Delivery:
    return Delivery(
        id=row.id,
        alert_id=row.alert_id,
        channel=row.channel,
        target=row.target,
        status=row.status,
        attempts=row.attempts,
        last_error=row.last_error,
        sent_at=as_utc(row.sent_at),
    )


def add_deliveries(
    connection: Connection, alert_id: int, targets: Sequence[tuple[str, str]]
) -> None:
    """One pending delivery per (channel, target) not yet queued for this alert."""
    existing = {
        (row.channel, row.target)
        for row in connection.execute(
            sa.select(alert_deliveries.c.channel, alert_deliveries.c.target).where(
                alert_deliveries.c.alert_id == alert_id
            )
        )
    }
    fresh = [
        {"alert_id": alert_id, "channel": channel, "target": target, "status": "pending"}
        for channel, target in dict.fromkeys(targets)
        if (channel, target) not in existing
    ]
    if fresh:
        connection.execute(alert_deliveries.insert(), fresh)


def deliveries_due(connection: Connection, max_attempts: int) -> list[Delivery]:
    """Deliveries not sent yet that have attempts left, oldest first."""
    rows = connection.execute(
        sa.select(alert_deliveries)
        .where(alert_deliveries.c.status != "sent", alert_deliveries.c.attempts < max_attempts)
        .order_by(alert_deliveries.c.id)
    )
    return [_delivery(row) for row in rows]


def alert_deliveries_of(connection: Connection, alert_ids: Sequence[int]) -> list[Delivery]:
    rows = connection.execute(
        sa.select(alert_deliveries)
        .where(alert_deliveries.c.alert_id.in_(list(alert_ids)))
        .order_by(alert_deliveries.c.id)
    )
    return [_delivery(row) for row in rows]


def record_attempt(
    connection: Connection, delivery_id: int, *, error: str | None, now: datetime
) -> None:
    values: dict[str, Any] = {"attempts": alert_deliveries.c.attempts + 1}
    if error is None:
        values |= {"status": "sent", "sent_at": now, "last_error": None}
    else:
        values |= {"status": "failed", "last_error": error[:1000]}
    connection.execute(
        alert_deliveries.update().where(alert_deliveries.c.id == delivery_id).values(**values)
    )


def floor_hour(moment: datetime) -> datetime:
    return as_utc(moment).replace(minute=0, second=0, microsecond=0)


def hours(start: datetime, end: datetime) -> list[datetime]:
    """Every whole UTC hour from start (floored) up to, not including, end."""
    current, found = floor_hour(start), []
    while current < end:
        found.append(current)
        current += timedelta(hours=1)
    return found
