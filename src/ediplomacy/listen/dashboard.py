"""The global-opinion dashboard: volume, sentiment, stance and share of voice over time, top
lists and a world map, each element carrying the explorer filters that list its posts.

`build_dashboard` runs the aggregates of `store.aggregates` in one read transaction. Every
series, row and country holds `params`: the explorer's query parameters that, added to the
dashboard's own filters (`Dashboard.filters`) and, for a point in time, to its bucket's
`start`/`end`, list exactly the posts counted there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pycountry
from babel import Locale
from babel.dates import format_date, format_datetime
from sqlalchemy.engine import Engine

from ediplomacy.nlp.profile import ListenProfile
from ediplomacy.store import aggregates
from ediplomacy.store.aggregates import Bucket, Coverage, Dimension, RankedPost
from ediplomacy.store.queries import PostFilters, post_conditions

DEFAULT_DAYS = 30  # without dates, the last 30 days of data (ending at the newest post)
MAX_BUCKETS = 400  # finer buckets over a longer range are coarsened (and the page says so)
TOP_SERIES = 8  # stacked series shown; the rest are summed as "other"
TOP_ROWS = 10
SENTIMENTS = ("negative", "neutral", "positive")
STANCES = ("favour", "against", "neutral")
STEP = {Bucket.HOUR: timedelta(hours=1), Bucket.DAY: timedelta(days=1), Bucket.WEEK: timedelta(7)}
COARSER = {Bucket.HOUR: Bucket.DAY, Bucket.DAY: Bucket.WEEK}
DIMENSION_PARAM = {
    Dimension.COUNTRY: "country",
    Dimension.LANGUAGE: "language",
    Dimension.PLATFORM: "platform",
    Dimension.TOPIC: "topic",
    Dimension.SENTIMENT: "sentiment",
}


@dataclass(frozen=True, slots=True)
class DashboardQuery:
    """The dashboard's filters, as the page and GET /api/v1/dashboard take them."""

    since: date | None = None
    until: date | None = None
    bucket: Bucket | None = None  # None: chosen from the length of the range
    by: Dimension = Dimension.COUNTRY
    platform: str | None = None
    language: str | None = None
    country: str | None = None  # the author's country, ISO alpha-2 or 'und'
    topic: str | None = None
    sentiment: str | None = None


@dataclass(frozen=True, slots=True)
class Series:
    key: str
    label: str
    params: dict[str, str]  # explorer filters of this series (none for "other")
    counts: list[int]
    total: int


@dataclass(frozen=True, slots=True)
class TimeChart:
    series: list[Series]
    other: list[int] = field(default_factory=list)  # beyond the top series; no drill-down


@dataclass(frozen=True, slots=True)
class StanceChart:
    target: str
    name: str
    chart: TimeChart


@dataclass(frozen=True, slots=True)
class Ranked:
    key: str
    label: str
    count: int
    params: dict[str, str]
    engagement: int | None = None


@dataclass(frozen=True, slots=True)
class MapCountry:
    code: str  # ISO 3166-1 alpha-2
    numeric: str  # ISO 3166-1 numeric, as world-atlas names its shapes
    name: str
    posts: int
    sentiment: float | None
    scored: int
    params: dict[str, str]


@dataclass(frozen=True, slots=True)
class Dashboard:
    posts_in_database: int
    start: datetime
    end: datetime
    bucket: Bucket
    bucket_coarsened: bool  # the chosen bucket gave more than MAX_BUCKETS points
    buckets: list[datetime]
    bucket_labels: list[str]
    windows: list[dict[str, str]]  # each bucket's explorer `start` and `end`
    by: Dimension
    filters: dict[str, str]  # the explorer parameters of the dashboard's filters
    coverage: Coverage
    volume: TimeChart
    sentiment: TimeChart
    stance: list[StanceChart]
    share_of_voice: TimeChart
    top_posts: list[RankedPost]
    top_actors: list[Ranked]
    hashtags: list[Ranked]
    urls: list[Ranked]
    domains: list[Ranked]
    map: list[MapCountry]

    @property
    def empty(self) -> bool:
        return self.posts_in_database == 0


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def explorer_params(filters: PostFilters) -> dict[str, str]:
    """The explorer's query parameters (web/routes/listen.py) for `filters`, empty ones left out."""
    values: dict[str, object] = {
        "q": filters.q,
        "platform": filters.platform,
        "language": filters.language,
        "since": filters.since,
        "until": filters.until,
        "author": filters.author,
        "replies": None if filters.replies == "any" else filters.replies,
        "reposts": None if filters.reposts == "any" else filters.reposts,
        "sentiment": filters.sentiment,
        "country": filters.author_country,
        "mentioned": filters.mentioned,
        "topic": filters.topic,
        "target": filters.stance_target,
        "stance": filters.stance,
        "hashtag": filters.hashtag,
        "domain": filters.domain,
        "url": filters.url,
        "start": iso(filters.start) if filters.start else None,
        "end": iso(filters.end) if filters.end else None,
    }
    return {name: str(value) for name, value in values.items() if value}


def floor(moment: datetime, bucket: Bucket) -> datetime:
    moment = moment.astimezone(UTC)
    if bucket is Bucket.HOUR:
        return moment.replace(minute=0, second=0, microsecond=0)
    day = datetime.combine(moment.date(), time(), UTC)
    return day if bucket is Bucket.DAY else day - timedelta(days=day.weekday())


def choose_bucket(start: datetime, end: datetime, wanted: Bucket | None) -> tuple[Bucket, bool]:
    """The wanted bucket (or one that suits the range), coarsened beyond MAX_BUCKETS points."""
    span = end - start
    bucket = wanted or (
        Bucket.HOUR
        if span <= timedelta(days=3)
        else Bucket.DAY
        if span <= timedelta(days=120)
        else Bucket.WEEK
    )
    coarsened = False
    while bucket in COARSER and span / STEP[bucket] > MAX_BUCKETS:
        bucket, coarsened = COARSER[bucket], True
    return bucket, coarsened and wanted is not None


def bucket_list(start: datetime, end: datetime, bucket: Bucket) -> list[datetime]:
    moment, found = floor(start, bucket), []
    while moment < end:
        found.append(moment)
        moment += STEP[bucket]
    return found


def bucket_window(
    moment: datetime, bucket: Bucket, start: datetime, end: datetime
) -> dict[str, str]:
    """The explorer's `start`/`end` of one bucket, clipped to the dashboard's range."""
    return {"start": iso(max(moment, start)), "end": iso(min(moment + STEP[bucket], end))}


def bucket_label(moment: datetime, bucket: Bucket, locale: str) -> str:
    if bucket is Bucket.HOUR:
        return format_datetime(moment, "d MMM HH:mm", tzinfo=UTC, locale=locale)
    return format_date(moment.date(), "d MMM y", locale=locale)


class Names:
    """Display names of countries, languages, topics and fixed values in one locale."""

    def __init__(
        self, locale: str, profile: ListenProfile, labels: Mapping[str, str] | None = None
    ) -> None:
        self.locale = locale
        self.babel = Locale.parse(locale)
        self.topics = {topic.id: topic.label(locale) for topic in profile.topics}
        self.targets = {target.id: target.name for target in profile.targets}
        self.labels = dict(labels or {})

    def fixed(self, key: str) -> str:
        return self.labels.get(key, key.rsplit(".", 1)[-1])

    def country(self, code: str) -> str:
        if code == aggregates.UNKNOWN:
            return self.fixed("country.und")
        return str(self.babel.territories.get(code) or code)

    def language(self, code: str) -> str:
        if code == aggregates.UNKNOWN:
            return self.fixed("language.und")
        name = self.babel.languages.get(code.split("-")[0])
        return f"{name} ({code})" if name else code

    def of(self, dimension: Dimension, key: str) -> str:
        if dimension is Dimension.COUNTRY:
            return self.country(key)
        if dimension is Dimension.LANGUAGE:
            return self.language(key)
        if dimension is Dimension.TOPIC:
            return self.topics.get(key, key)
        return self.fixed(f"{dimension.value}.{key}")


def _chart(
    counts: Iterable[tuple[datetime, str, int]],
    buckets: list[datetime],
    *,
    label: Callable[[str], str],
    params: Callable[[str], dict[str, str]],
    order: Iterable[str] | None = None,
    top: int | None = TOP_SERIES,
) -> TimeChart:
    """Counts as one row per key over `buckets`; `order` fixes the keys, else the biggest first."""
    index = {moment: i for i, moment in enumerate(buckets)}
    rows: dict[str, list[int]] = defaultdict(lambda: [0] * len(buckets))
    for moment, key, count in counts:
        if moment in index:
            rows[key][index[moment]] += count
    keys = list(order) if order is not None else sorted(rows, key=lambda k: (-sum(rows[k]), k))
    shown = keys if top is None else keys[:top]
    other = [0] * len(buckets)
    for key in keys[len(shown) :]:
        other = [a + b for a, b in zip(other, rows[key], strict=True)]
    series = [
        Series(key, label(key), params(key), list(rows[key]), sum(rows[key])) for key in shown
    ]
    return TimeChart(series, other if any(other) else [])


def _window(engine: Engine, query: DashboardQuery) -> tuple[int, date, date]:
    with engine.connect() as connection:
        total = aggregates.post_count(connection)
        oldest, newest = aggregates.data_span(connection)
    last = query.until or (newest.date() if newest else datetime.now(UTC).date())
    first = query.since or last - timedelta(days=DEFAULT_DAYS - 1)
    if query.since is None and oldest is not None and oldest.date() > first:
        first = oldest.date()
    return total, min(first, last), max(first, last)


def build_dashboard(
    engine: Engine,
    profile: ListenProfile,
    query: DashboardQuery,
    *,
    locale: str = "en",
    labels: Mapping[str, str] | None = None,
) -> Dashboard:
    """Every figure of the dashboard for `query`; `labels` translates fixed values."""
    names = Names(locale, profile, labels)
    total, since, until = _window(engine, query)
    start = datetime.combine(since, time(), UTC)
    end = datetime.combine(until + timedelta(days=1), time(), UTC)
    bucket, coarsened = choose_bucket(start, end, query.bucket)
    buckets = bucket_list(start, end, bucket)
    filters = PostFilters(
        platform=query.platform,
        language=query.language,
        since=since,
        until=until,
        author_country=query.country,
        topic=query.topic,
        sentiment=query.sentiment,
    )
    by_param = DIMENSION_PARAM[query.by]

    def triples(counts: list[aggregates.BucketCount]) -> list[tuple[datetime, str, int]]:
        return [(c.bucket, c.key, c.count) for c in counts]

    with engine.connect() as connection:
        where = post_conditions(connection, filters)
        volume = _chart(
            triples(aggregates.per_bucket(connection, where, bucket, query.by)),
            buckets,
            label=lambda key: names.of(query.by, key),
            params=lambda key: {by_param: key},
        )
        sentiment = _chart(
            triples(aggregates.per_bucket(connection, where, bucket, Dimension.SENTIMENT)),
            buckets,
            label=lambda key: names.fixed(f"sentiment.{key}"),
            params=lambda key: {"sentiment": key},
            order=SENTIMENTS,
        )
        stance = _stance_charts(
            aggregates.facet_per_bucket(connection, where, bucket), buckets, names, profile
        )
        voice = _chart(
            [
                (moment, value, count)
                for moment, _, value, count in aggregates.facet_per_bucket(
                    connection,
                    where,
                    bucket,
                    facet="country_mentioned",
                    values=profile.share_of_voice,
                )
            ],
            buckets,
            label=names.country,
            params=lambda code: {"mentioned": code},
            order=profile.share_of_voice,
            top=None,
        )
        coverage = aggregates.coverage(connection, where)
        top_posts = aggregates.top_posts(connection, where, TOP_ROWS)
        actors = aggregates.top_actors(connection, where, TOP_ROWS)
        hashtags = aggregates.top_hashtags(connection, where, TOP_ROWS)
        urls = aggregates.top_urls(connection, where, TOP_ROWS)
        domains = aggregates.top_domains(connection, where, TOP_ROWS)
        countries = aggregates.by_author_country(connection, where)
    return Dashboard(
        posts_in_database=total,
        start=start,
        end=end,
        bucket=bucket,
        bucket_coarsened=coarsened,
        buckets=buckets,
        bucket_labels=[bucket_label(moment, bucket, locale) for moment in buckets],
        windows=[bucket_window(moment, bucket, start, end) for moment in buckets],
        by=query.by,
        filters=explorer_params(filters),
        coverage=coverage,
        volume=volume,
        sentiment=sentiment,
        stance=stance,
        share_of_voice=voice,
        top_posts=top_posts,
        top_actors=[
            Ranked(
                f"{a.platform}:{a.handle}",
                f"@{a.handle}",
                a.posts,
                {"author": a.handle, "platform": a.platform},
                a.engagement,
            )
            for a in actors
        ],
        hashtags=[Ranked(h.key, f"#{h.key}", h.count, {"hashtag": h.key}) for h in hashtags],
        urls=[Ranked(u.key, u.key, u.count, {"url": u.key}) for u in urls],
        domains=[Ranked(d.key, d.key, d.count, {"domain": d.key}) for d in domains],
        map=[_map_country(c, names) for c in countries],
    )


def _stance_charts(
    rows: list[tuple[datetime, str, str, int]],
    buckets: list[datetime],
    names: Names,
    profile: ListenProfile,
) -> list[StanceChart]:
    by_target: dict[str, list[tuple[datetime, str, int]]] = defaultdict(list)
    for moment, facet, value, count in rows:
        by_target[facet.removeprefix("stance:")].append((moment, value, count))
    targets = [t.id for t in profile.targets] + sorted(set(by_target) - set(names.targets))

    def chart(target: str) -> TimeChart:
        return _chart(
            by_target.get(target, []),
            buckets,
            label=lambda key: names.fixed(f"stance.{key}"),
            params=lambda key: {"target": target, "stance": key},
            order=STANCES,
        )

    return [StanceChart(t, names.targets.get(t, t), chart(t)) for t in targets]


def _map_country(figures: aggregates.CountryFigures, names: Names) -> MapCountry:
    found = pycountry.countries.get(alpha_2=figures.code)
    return MapCountry(
        code=figures.code,
        numeric=found.numeric if found else "",
        name=names.country(figures.code),
        posts=figures.posts,
        sentiment=figures.sentiment,
        scored=figures.scored,
        params={"country": figures.code},
    )
