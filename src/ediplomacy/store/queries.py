"""Read-only queries over posts, actors and collections: the overview, the explorer, a post.

SQLAlchemy Core only, so the same code runs on SQLite and PostgreSQL; the one difference,
full-text search, is chosen by dialect (FTS5 on SQLite, the tsvector column on PostgreSQL).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, Literal

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, Row

from ediplomacy.domain.errors import NotFound
from ediplomacy.store import drilldown
from ediplomacy.store.schema import actors, collections, post_enrichments, posts
from ediplomacy.store.timeutil import as_utc as utc

Presence = Literal["any", "only", "none"]
UNKNOWN_LANGUAGE = "und"
OVERVIEW_DAYS = 90
TOP_LANGUAGES = 15
MAX_PER_PAGE = 100

language = sa.func.coalesce(posts.c.detected_language, posts.c.language)


class Sort(StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"
    MOST_LIKED = "most_liked"
    MOST_REPOSTED = "most_reposted"


@dataclass(frozen=True, slots=True)
class LabelCount:
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date
    count: int


@dataclass(frozen=True, slots=True)
class CollectionSummary:
    id: int
    name: str
    kind: str
    source: str
    format: str | None
    status: str
    started_at: datetime
    finished_at: datetime | None
    read_count: int
    new_count: int
    updated_count: int
    unchanged_count: int
    rejected_count: int
    error: str | None
    tool_version: str


@dataclass(frozen=True, slots=True)
class Overview:
    posts: int
    actors: int
    collections: int
    per_day: list[DayCount]
    platforms: list[LabelCount]
    languages: list[LabelCount]
    latest_collections: list[CollectionSummary]


@dataclass(frozen=True, slots=True)
class PostFilters:
    """What the explorer and GET /api/v1/posts filter on; empty fields filter nothing."""

    platform: str | None = None
    language: str | None = None
    since: date | None = None
    until: date | None = None
    author: str | None = None
    replies: Presence = "any"
    reposts: Presence = "any"
    q: str | None = None
    # Drill-down from the dashboard (listen/dashboard.py); 'und' asks for "not known".
    sentiment: str | None = None
    author_country: str | None = None
    mentioned: str | None = None  # a country the post talks about (facet country_mentioned)
    topic: str | None = None
    cluster: str | None = None  # an emerging topic's id (facet "cluster", listen/emerging.py)
    stance_target: str | None = None
    stance: str | None = None  # favour | against | neutral, toward stance_target (or any)
    hashtag: str | None = None
    domain: str | None = None
    url: str | None = None  # a canonical URL the post links to
    start: datetime | None = None  # a time window: start inclusive, end exclusive (UTC)
    end: datetime | None = None
    rule_match: Any = None  # a watch rule's condition on posts (ediplomacy.listen.watch)


@dataclass(frozen=True, slots=True)
class PostSummary:
    id: int
    platform: str
    external_id: str
    author_handle: str | None
    text: str
    language: str | None
    created_at: datetime | None
    like_count: int | None
    repost_count: int | None
    reply_count: int | None
    is_reply: bool
    is_repost: bool
    is_quote: bool
    url: str | None


@dataclass(frozen=True, slots=True)
class PostPage:
    items: list[PostSummary]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True, slots=True)
class Relation:
    """A post this one replies to, reposts or quotes; `post_id` when it is in the database."""

    kind: Literal["reply_to", "repost_of", "quote_of"]
    external_id: str
    post_id: int | None


@dataclass(frozen=True, slots=True)
class Enrichment:
    stage: str
    model: str
    model_version: str
    result: Any
    created_at: datetime


@dataclass(frozen=True, slots=True)
class PostDetail:
    post: PostSummary
    author_name: str | None
    author_followers: int | None
    author_url: str | None
    declared_language: str | None
    detected_language: str | None
    language_confidence: float | None
    conversation_id: str | None
    relations: list[Relation]
    urls: list[str]
    canonical_urls: list[str]
    hashtags: list[str]
    mentions: list[str]
    media: list[Any]
    metrics: dict[str, Any]
    place: str | None
    country_code: str | None
    raw: Any
    collection: CollectionSummary
    source: str
    retrieved_at: datetime
    tool_version: str
    imported_at: datetime
    updated_at: datetime
    enrichments: list[Enrichment] = field(default_factory=list)


def _json(text: str | None, default: Any) -> Any:
    if not text:
        return default
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return text  # shown as stored rather than hidden


def _count(connection: Connection, table: sa.Table) -> int:
    return int(connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def _day(connection: Connection) -> sa.ColumnElement[Any]:
    if connection.dialect.name == "postgresql":
        return sa.cast(sa.func.timezone("UTC", posts.c.created_at), sa.Date)
    return sa.func.date(posts.c.created_at)


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def posts_per_day(connection: Connection, days: int = OVERVIEW_DAYS) -> list[DayCount]:
    """Posts per UTC day over the last `days` days of data, up to the newest post; gaps as 0."""
    newest = utc(connection.execute(sa.select(sa.func.max(posts.c.created_at))).scalar())
    if newest is None:
        return []
    last = newest.date()
    start = datetime.combine(last - timedelta(days=days - 1), time(), UTC)
    day = _day(connection).label("day")
    rows = connection.execute(
        sa.select(day, sa.func.count().label("n")).where(posts.c.created_at >= start).group_by(day)
    ).all()
    counts = {_as_date(row.day): int(row.n) for row in rows}
    first = min(counts, default=last)
    span = (last - first).days + 1
    return [DayCount(d, counts.get(d, 0)) for d in (first + timedelta(n) for n in range(span))]


def count_by_platform(connection: Connection) -> list[LabelCount]:
    n = sa.func.count().label("n")
    rows = connection.execute(
        sa.select(posts.c.platform, n).group_by(posts.c.platform).order_by(n.desc())
    ).all()
    return [LabelCount(row.platform, int(row.n)) for row in rows]


def count_by_language(connection: Connection, top: int = TOP_LANGUAGES) -> list[LabelCount]:
    """Posts per language (detected, else declared); beyond the top ones summed as 'other'."""
    lang = language.label("lang")
    n = sa.func.count().label("n")
    rows = connection.execute(sa.select(lang, n).group_by(lang).order_by(n.desc(), lang)).all()
    counts = [LabelCount(row.lang or UNKNOWN_LANGUAGE, int(row.n)) for row in rows]
    if len(counts) <= top:
        return counts
    rest = sum(item.count for item in counts[top:])
    return [*counts[:top], LabelCount("other", rest)]


def _collection(row: Row) -> CollectionSummary:
    return CollectionSummary(
        id=row.id,
        name=row.name,
        kind=row.kind,
        source=row.source,
        format=row.format,
        status=row.status,
        started_at=utc(row.started_at) or datetime.min.replace(tzinfo=UTC),
        finished_at=utc(row.finished_at),
        read_count=row.read_count,
        new_count=row.new_count,
        updated_count=row.updated_count,
        unchanged_count=row.unchanged_count,
        rejected_count=row.rejected_count,
        error=row.error,
        tool_version=row.tool_version,
    )


def list_collections(
    engine: Engine, *, limit: int = 20, offset: int = 0
) -> tuple[list[CollectionSummary], int]:
    """Collections, newest first, and how many there are."""
    query = (
        sa.select(collections)
        .order_by(collections.c.started_at.desc(), collections.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
        return [_collection(row) for row in rows], _count(connection, collections)


def overview(engine: Engine, *, latest: int = 10) -> Overview:
    """The figures of the overview page and of GET /api/v1/stats/overview."""
    with engine.connect() as connection:
        latest_rows = connection.execute(
            sa.select(collections)
            .order_by(collections.c.started_at.desc(), collections.c.id.desc())
            .limit(latest)
        ).all()
        return Overview(
            posts=_count(connection, posts),
            actors=_count(connection, actors),
            collections=_count(connection, collections),
            per_day=posts_per_day(connection),
            platforms=count_by_platform(connection),
            languages=count_by_language(connection),
            latest_collections=[_collection(row) for row in latest_rows],
        )


def searchable(text: str) -> str:
    """The user's words with control characters (NUL, tabs, line breaks) turned into spaces."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def fts_query(words: str) -> str:
    """The user's words as FTS5 phrases ("a" "b"): no operator or syntax error can get in."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in words.split())


def _search(connection: Connection, q: str) -> sa.ColumnElement[bool]:
    if connection.dialect.name == "postgresql":
        vector: sa.ColumnElement[Any] = sa.literal_column("posts.search_vector")
        return vector.op("@@")(sa.func.plainto_tsquery("simple", q))
    fts = sa.table("posts_fts", sa.column("rowid"))
    matches = sa.select(fts.c.rowid).where(sa.literal_column("posts_fts").op("MATCH")(fts_query(q)))
    return posts.c.id.in_(matches)


def _presence(column: sa.Column[Any], presence: Presence) -> sa.ColumnElement[bool] | None:
    if presence == "only":
        return column.is_not(None)
    if presence == "none":
        return column.is_(None)
    return None


def post_conditions(connection: Connection, filters: PostFilters) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool] | None] = []
    if filters.platform:
        conditions.append(posts.c.platform == filters.platform)
    if filters.language:
        wanted = filters.language.lower()
        conditions.append(language.is_(None) if wanted == UNKNOWN_LANGUAGE else language == wanted)
    if filters.since:
        conditions.append(posts.c.created_at >= datetime.combine(filters.since, time(), UTC))
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), time(), UTC)
        conditions.append(posts.c.created_at < end)
    if filters.author:
        handle = filters.author.strip().lstrip("@").lower()
        conditions.append(sa.func.lower(posts.c.author_handle) == handle)
    conditions.append(_presence(posts.c.reply_to_external_id, filters.replies))
    conditions.append(_presence(posts.c.repost_of_external_id, filters.reposts))
    words = searchable(filters.q or "")
    if words:
        conditions.append(_search(connection, words))
    conditions.extend(drilldown_conditions(connection, filters))
    return [condition for condition in conditions if condition is not None]


def drilldown_conditions(
    connection: Connection, filters: PostFilters
) -> list[sa.ColumnElement[bool]]:
    """The dashboard's filters; each uses the expression its chart was counted with."""
    found: list[sa.ColumnElement[bool]] = []
    if filters.sentiment:
        found.append(drilldown.known_or_null(posts.c.sentiment, filters.sentiment.lower()))
    if filters.author_country:
        found.append(drilldown.known_or_null(posts.c.author_country, filters.author_country))
    if filters.mentioned:
        found.append(drilldown.has_facet("country_mentioned", filters.mentioned.upper()))
    if filters.topic:
        found.append(drilldown.has_facet("topic", filters.topic))
    if filters.cluster:
        found.append(drilldown.has_facet("cluster", filters.cluster.strip()))
    if filters.stance_target or filters.stance:
        facet = drilldown.stance_facet(filters.stance_target) if filters.stance_target else None
        found.append(drilldown.has_facet(facet, filters.stance or None))
    if filters.hashtag:
        found.append(drilldown.has_hashtag(connection, filters.hashtag))
    if filters.domain:
        found.append(drilldown.has_domain(connection, filters.domain))
    if filters.url:
        found.append(drilldown.has_url(connection, filters.url))
    if filters.start:
        found.append(posts.c.created_at >= utc(filters.start))
    if filters.end:
        found.append(posts.c.created_at < utc(filters.end))
    if filters.rule_match is not None:
        found.append(filters.rule_match)
    return found


ORDER: dict[Sort, tuple[sa.ColumnElement[Any], ...]] = {
    Sort.NEWEST: (posts.c.created_at.desc().nulls_last(), posts.c.id.desc()),
    Sort.OLDEST: (posts.c.created_at.asc().nulls_last(), posts.c.id.asc()),
    Sort.MOST_LIKED: (posts.c.like_count.desc().nulls_last(), posts.c.id.desc()),
    Sort.MOST_REPOSTED: (posts.c.repost_count.desc().nulls_last(), posts.c.id.desc()),
}

SUMMARY_COLUMNS = (
    posts.c.id,
    posts.c.platform,
    posts.c.external_id,
    posts.c.author_handle,
    posts.c.text,
    language.label("effective_language"),
    posts.c.created_at,
    posts.c.like_count,
    posts.c.repost_count,
    posts.c.reply_count,
    posts.c.reply_to_external_id,
    posts.c.repost_of_external_id,
    posts.c.quote_of_external_id,
    posts.c.url,
)


def _summary(row: Row) -> PostSummary:
    return PostSummary(
        id=row.id,
        platform=row.platform,
        external_id=row.external_id,
        author_handle=row.author_handle,
        text=row.text,
        language=row.effective_language,
        created_at=utc(row.created_at),
        like_count=row.like_count,
        repost_count=row.repost_count,
        reply_count=row.reply_count,
        is_reply=row.reply_to_external_id is not None,
        is_repost=row.repost_of_external_id is not None,
        is_quote=row.quote_of_external_id is not None,
        url=row.url,
    )


def search_posts(
    engine: Engine,
    filters: PostFilters,
    *,
    sort: Sort = Sort.NEWEST,
    page: int = 1,
    per_page: int = 25,
) -> PostPage:
    """One page of the posts matching `filters`, in `sort` order, and how many match in all."""
    page = max(1, page)
    per_page = min(max(1, per_page), MAX_PER_PAGE)
    with engine.connect() as connection:
        conditions = post_conditions(connection, filters)
        total = connection.execute(
            sa.select(sa.func.count()).select_from(posts).where(*conditions)
        ).scalar_one()
        rows = connection.execute(
            sa.select(*SUMMARY_COLUMNS)
            .where(*conditions)
            .order_by(*ORDER[sort])
            .limit(per_page)
            .offset((page - 1) * per_page)
        ).all()
    return PostPage([_summary(row) for row in rows], int(total), page, per_page)


def posts_by_id(engine: Engine, ids: list[int], filters: PostFilters) -> dict[int, PostSummary]:
    """Those of the posts `ids` that pass `filters` (semantic search ranks, this filters)."""
    if not ids:
        return {}
    with engine.connect() as connection:
        conditions = post_conditions(connection, filters)
        rows = connection.execute(
            sa.select(*SUMMARY_COLUMNS).where(posts.c.id.in_(ids), *conditions)
        ).all()
    return {row.id: _summary(row) for row in rows}


def _relations(connection: Connection, row: Row) -> list[Relation]:
    wanted: list[tuple[Literal["reply_to", "repost_of", "quote_of"], str | None]] = [
        ("reply_to", row.reply_to_external_id),
        ("repost_of", row.repost_of_external_id),
        ("quote_of", row.quote_of_external_id),
    ]
    ids = {external_id for _, external_id in wanted if external_id}
    found: dict[str, int] = {}
    if ids:
        found = {
            hit.external_id: hit.id
            for hit in connection.execute(
                sa.select(posts.c.id, posts.c.external_id).where(
                    posts.c.platform == row.platform, posts.c.external_id.in_(ids)
                )
            )
        }
    return [
        Relation(kind, external_id, found.get(external_id))
        for kind, external_id in wanted
        if external_id
    ]


def get_post(engine: Engine, post_id: int) -> PostDetail:
    """Everything known about one post: text, author, relations, payload, provenance, results."""
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(posts, language.label("effective_language")).where(posts.c.id == post_id)
        ).first()
        if row is None:
            raise NotFound(f"Post {post_id} is not in the database; search for it in Listen.")
        author = None
        if row.author_external_id:
            author = connection.execute(
                sa.select(actors.c.name, actors.c.followers_count, actors.c.url).where(
                    actors.c.platform == row.platform,
                    actors.c.external_id == row.author_external_id,
                )
            ).first()
        collection = connection.execute(
            sa.select(collections).where(collections.c.id == row.collection_id)
        ).one()
        enrichments = connection.execute(
            sa.select(post_enrichments)
            .where(post_enrichments.c.post_id == post_id)
            .order_by(post_enrichments.c.stage)
        ).all()
        relations = _relations(connection, row)
    return PostDetail(
        post=_summary(row),
        author_name=author.name if author else None,
        author_followers=author.followers_count if author else None,
        author_url=author.url if author else None,
        declared_language=row.language,
        detected_language=row.detected_language,
        language_confidence=row.language_confidence,
        conversation_id=row.conversation_id,
        relations=relations,
        urls=_json(row.urls, []),
        canonical_urls=_json(row.canonical_urls, []),
        hashtags=_json(row.hashtags, []),
        mentions=_json(row.mentions, []),
        media=_json(row.media, []),
        metrics=_json(row.metrics, {}),
        place=row.place,
        country_code=row.country_code,
        raw=_json(row.raw, {}),
        collection=_collection(collection),
        source=row.source,
        retrieved_at=utc(row.retrieved_at) or datetime.min.replace(tzinfo=UTC),
        tool_version=row.tool_version,
        imported_at=utc(row.imported_at) or datetime.min.replace(tzinfo=UTC),
        updated_at=utc(row.updated_at) or datetime.min.replace(tzinfo=UTC),
        enrichments=[
            Enrichment(e.stage, e.model, e.model_version, _json(e.result, None), utc(e.created_at))
            for e in enrichments
        ],
    )
