"""The dashboard's aggregate queries: counts per time bucket, top lists and map figures.

Every function takes the conditions of `queries.post_conditions` (the dashboard's filters), so
the explorer reached by a drill-down applies the very same WHERE clause plus the clicked
element's filter. Time buckets are UTC: SQLite formats `created_at` with strftime, PostgreSQL
truncates it with date_trunc; weeks start on Monday on both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ediplomacy.store import drilldown
from ediplomacy.store.queries import SUMMARY_COLUMNS, PostSummary, _summary, language
from ediplomacy.store.schema import post_facets, posts
from ediplomacy.store.timeutil import as_utc

Conditions = Sequence[sa.ColumnElement[bool]]
UNKNOWN = drilldown.UNKNOWN

engagement = (
    sa.func.coalesce(posts.c.like_count, 0)
    + sa.func.coalesce(posts.c.repost_count, 0)
    + sa.func.coalesce(posts.c.reply_count, 0)
)


class Bucket(StrEnum):
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"


class Dimension(StrEnum):
    """What the volume chart is stacked by."""

    COUNTRY = "country"  # the author's country
    LANGUAGE = "language"
    PLATFORM = "platform"
    TOPIC = "topic"
    SENTIMENT = "sentiment"


@dataclass(frozen=True, slots=True)
class BucketCount:
    bucket: datetime
    key: str
    count: int


@dataclass(frozen=True, slots=True)
class KeyCount:
    key: str
    count: int


@dataclass(frozen=True, slots=True)
class ActorCount:
    platform: str
    handle: str
    posts: int
    engagement: int


@dataclass(frozen=True, slots=True)
class CountryFigures:
    code: str  # ISO 3166-1 alpha-2
    posts: int
    scored: int  # posts with a sentiment score
    sentiment: float | None  # average sentiment_score, -1..1


@dataclass(frozen=True, slots=True)
class RankedPost:
    post: PostSummary
    engagement: int


@dataclass(frozen=True, slots=True)
class Coverage:
    """How many of the filtered posts each analysis has reached."""

    posts: int
    sentiment: int
    author_country: int
    topic: int
    stance: int
    mentioned: int


def bucket_start(connection: Connection, bucket: Bucket) -> sa.ColumnElement[Any]:
    """The UTC start of the bucket a post falls in (text on SQLite, timestamp on PostgreSQL)."""
    if connection.dialect.name == "postgresql":
        stamp = sa.func.timezone("UTC", posts.c.created_at)
        return sa.func.date_trunc(bucket.value, stamp)
    if bucket is Bucket.HOUR:
        return sa.func.strftime("%Y-%m-%d %H:00:00", posts.c.created_at)
    if bucket is Bucket.DAY:
        return sa.func.strftime("%Y-%m-%d 00:00:00", posts.c.created_at)
    # 'weekday 0' moves on to Sunday (or stays on it); six days back is that week's Monday.
    return sa.func.strftime("%Y-%m-%d 00:00:00", posts.c.created_at, "weekday 0", "-6 days")


def bucket_stamp(value: Any) -> datetime:
    if isinstance(value, datetime):
        return as_utc(value)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def _dimension_column(dimension: Dimension) -> sa.ColumnElement[Any]:
    return {
        Dimension.COUNTRY: posts.c.author_country,
        Dimension.LANGUAGE: language,
        Dimension.PLATFORM: posts.c.platform,
        Dimension.SENTIMENT: posts.c.sentiment,
    }[dimension]


def per_bucket(
    connection: Connection, conditions: Conditions, bucket: Bucket, dimension: Dimension
) -> list[BucketCount]:
    """Posts per bucket and value of `dimension` ('und' for posts without one).

    By topic a post counts once under each of its topics, and posts without a topic are left out.
    """
    start = bucket_start(connection, bucket).label("bucket")
    n = sa.func.count(sa.distinct(posts.c.id)).label("n")
    if dimension is Dimension.TOPIC:
        key: sa.ColumnElement[Any] = post_facets.c.value.label("key")
        query = (
            sa.select(start, key, n)
            .select_from(posts.join(post_facets, post_facets.c.post_id == posts.c.id))
            .where(post_facets.c.facet == "topic", *conditions)
        )
    else:
        key = sa.func.coalesce(_dimension_column(dimension), UNKNOWN).label("key")
        query = sa.select(start, key, n).where(posts.c.created_at.is_not(None), *conditions)
    rows = connection.execute(query.group_by(start, key)).all()
    return [BucketCount(bucket_stamp(row.bucket), str(row.key), int(row.n)) for row in rows]


def facet_per_bucket(
    connection: Connection,
    conditions: Conditions,
    bucket: Bucket,
    *,
    facet: str | None = None,
    values: Sequence[str] | None = None,
) -> list[tuple[datetime, str, str, int]]:
    """(bucket, facet, value, posts) for one facet, or every stance facet when `facet` is None."""
    start = bucket_start(connection, bucket).label("bucket")
    n = sa.func.count(sa.distinct(posts.c.id)).label("n")
    query = (
        sa.select(start, post_facets.c.facet, post_facets.c.value, n)
        .select_from(posts.join(post_facets, post_facets.c.post_id == posts.c.id))
        .where(*conditions)
    )
    if facet is None:
        query = query.where(
            post_facets.c.facet.startswith(drilldown.STANCE_PREFIX, autoescape=True)
        )
    else:
        query = query.where(post_facets.c.facet == facet)
    if values is not None:
        query = query.where(post_facets.c.value.in_(list(values)))
    rows = connection.execute(query.group_by(start, post_facets.c.facet, post_facets.c.value)).all()
    return [(bucket_stamp(row.bucket), row.facet, row.value, int(row.n)) for row in rows]


def top_posts(connection: Connection, conditions: Conditions, limit: int = 10) -> list[RankedPost]:
    """The posts with the most likes + reposts + replies."""
    score = engagement.label("engagement")
    rows = connection.execute(
        sa.select(*SUMMARY_COLUMNS, score)
        .where(*conditions)
        .order_by(score.desc(), posts.c.id.desc())
        .limit(limit)
    ).all()
    return [RankedPost(_summary(row), int(row.engagement)) for row in rows]


def top_actors(connection: Connection, conditions: Conditions, limit: int = 10) -> list[ActorCount]:
    """Authors with the most posts (handles compared case-insensitively), with engagement."""
    handle = sa.func.lower(posts.c.author_handle).label("handle")
    n = sa.func.count().label("n")
    total = sa.func.sum(engagement).label("engagement")
    rows = connection.execute(
        sa.select(posts.c.platform, handle, n, total)
        .where(posts.c.author_handle.is_not(None), *conditions)
        .group_by(posts.c.platform, handle)
        .order_by(n.desc(), total.desc(), handle)
        .limit(limit)
    ).all()
    return [
        ActorCount(row.platform, row.handle, int(row.n), int(row.engagement or 0)) for row in rows
    ]


def _top_items(
    connection: Connection,
    conditions: Conditions,
    column: sa.Column[Any],
    key_of: Any,
    limit: int,
) -> list[KeyCount]:
    items = drilldown.list_items(connection, column, "item")
    key = key_of(items.c.value).label("key")
    n = sa.func.count(sa.distinct(posts.c.id)).label("n")
    rows = connection.execute(
        sa.select(key, n)
        .select_from(posts.join(items, sa.true()))
        .where(key.is_not(None), key != "", *conditions)
        .group_by(key)
        .order_by(n.desc(), key)
        .limit(limit)
    ).all()
    return [KeyCount(str(row.key), int(row.n)) for row in rows]


def top_hashtags(connection: Connection, conditions: Conditions, limit: int = 15) -> list[KeyCount]:
    """Hashtags by the number of posts that carry them (case-insensitive, without '#')."""
    return _top_items(connection, conditions, posts.c.hashtags, drilldown.hashtag_key, limit)


def top_urls(connection: Connection, conditions: Conditions, limit: int = 15) -> list[KeyCount]:
    """Canonical URLs by the number of posts that link to them."""
    return _top_items(connection, conditions, posts.c.canonical_urls, lambda value: value, limit)


def top_domains(connection: Connection, conditions: Conditions, limit: int = 15) -> list[KeyCount]:
    """Web sites (hosts, without 'www.') by the number of posts that link to them."""
    return _top_items(
        connection,
        conditions,
        posts.c.canonical_urls,
        lambda value: drilldown.domain_of(connection, value),
        limit,
    )


def by_author_country(connection: Connection, conditions: Conditions) -> list[CountryFigures]:
    """Posts and average sentiment per author country (posts without a country left out)."""
    n = sa.func.count().label("n")
    scored = sa.func.count(posts.c.sentiment_score).label("scored")
    mean = sa.func.avg(posts.c.sentiment_score).label("mean")
    rows = connection.execute(
        sa.select(posts.c.author_country, n, scored, mean)
        .where(posts.c.author_country.is_not(None), *conditions)
        .group_by(posts.c.author_country)
        .order_by(n.desc(), posts.c.author_country)
    ).all()
    return [
        CountryFigures(
            row.author_country,
            int(row.n),
            int(row.scored),
            None if row.mean is None else round(float(row.mean), 4),
        )
        for row in rows
    ]


def coverage(connection: Connection, conditions: Conditions) -> Coverage:
    """How many filtered posts have a sentiment, an author country, a topic, a stance..."""

    row = connection.execute(
        sa.select(
            sa.func.count().label("posts"),
            sa.func.count(posts.c.sentiment).label("sentiment"),
            sa.func.count(posts.c.author_country).label("country"),
        ).where(*conditions)
    ).one()

    def posts_with(facet: sa.ColumnElement[bool]) -> Any:
        return sa.func.count(sa.distinct(sa.case((facet, posts.c.id))))

    stance = post_facets.c.facet.startswith(drilldown.STANCE_PREFIX, autoescape=True)
    facets = connection.execute(
        sa.select(
            posts_with(post_facets.c.facet == "topic"),
            posts_with(stance),
            posts_with(post_facets.c.facet == "country_mentioned"),
        )
        .select_from(posts.join(post_facets, post_facets.c.post_id == posts.c.id))
        .where(*conditions)
    ).one()
    return Coverage(
        posts=int(row.posts),
        sentiment=int(row.sentiment),
        author_country=int(row.country),
        topic=int(facets[0] or 0),
        stance=int(facets[1] or 0),
        mentioned=int(facets[2] or 0),
    )


def data_span(connection: Connection) -> tuple[datetime | None, datetime | None]:
    """The oldest and newest post times of the whole database."""
    row = connection.execute(
        sa.select(sa.func.min(posts.c.created_at), sa.func.max(posts.c.created_at))
    ).one()
    return as_utc(row[0]), as_utc(row[1])


def post_count(connection: Connection) -> int:
    return int(connection.execute(sa.select(sa.func.count()).select_from(posts)).scalar_one())
