"""Contract: the dashboard's aggregates count the same on SQLite and PostgreSQL, and each
drill-down filter finds exactly the posts its aggregate counted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.store import aggregates, queries
from ediplomacy.store.aggregates import Bucket, Dimension
from ediplomacy.store.queries import PostFilters
from ediplomacy.store.schema import post_facets
from tests.web.conftest import Rows

MON = datetime(2026, 3, 9, 0, 0, tzinfo=UTC)  # a Monday


def facet(engine: Engine, post_id: int, name: str, value: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            post_facets.insert().values(
                post_id=post_id, facet=name, value=value, stage="test", score=0.9
            )
        )


@pytest.fixture
def seeded(engine: Engine) -> dict[str, int]:
    """Seven posts over two weeks, with sentiment, countries, facets, hashtags and links."""
    rows = Rows(engine)
    c = rows.collection()
    ids = {
        "a": rows.post(
            c,
            created_at=MON + timedelta(hours=9, minutes=5),
            sentiment="negative",
            sentiment_score=-0.8,
            author_country="MY",
            author_handle="Alice",
            hashtags=["Natuna", "laut"],
            canonical_urls=["https://news.example.org/a", "https://kemlu.go.id"],
            like_count=10,
            repost_count=5,
            reply_count=1,
        ),
        "b": rows.post(
            c,
            created_at=MON + timedelta(hours=9, minutes=50),
            sentiment="negative",
            sentiment_score=-0.4,
            author_country="MY",
            author_handle="alice",
            hashtags=["natuna"],
            canonical_urls=["https://news.example.org/b?id=1"],
            like_count=1,
        ),
        "c": rows.post(
            c,
            created_at=MON + timedelta(hours=10),
            sentiment="positive",
            sentiment_score=0.6,
            author_country="ID",
            platform="bluesky",
            detected_language="id",
            hashtags=["#Natuna"],
            like_count=100,
        ),
        "d": rows.post(
            c,
            created_at=MON + timedelta(days=1, hours=3),
            sentiment="neutral",
            sentiment_score=0.0,
            author_country=None,
            canonical_urls=["https://news.example.org/a"],
        ),
        "e": rows.post(c, created_at=MON + timedelta(days=6, hours=23, minutes=59)),  # Sunday
        "f": rows.post(
            c,
            created_at=MON + timedelta(days=7),
            sentiment="positive",
            sentiment_score=0.9,
            author_country="ID",
        ),  # a Monday a week later
        "undated": rows.post(c, created_at=None, sentiment="negative"),
    }
    facet(engine, ids["a"], "topic", "disaster")
    facet(engine, ids["a"], "topic", "citizen-protection")
    facet(engine, ids["b"], "topic", "disaster")
    facet(engine, ids["a"], "country_mentioned", "ID")
    facet(engine, ids["a"], "country_mentioned", "MY")
    facet(engine, ids["c"], "country_mentioned", "ID")
    facet(engine, ids["f"], "country_mentioned", "SG")
    facet(engine, ids["a"], "stance:indonesia", "against")
    facet(engine, ids["c"], "stance:indonesia", "favour")
    facet(engine, ids["c"], "stance:foreign-policy", "favour")
    return ids


def conditions(engine: Engine, filters: PostFilters) -> list[sa.ColumnElement[bool]]:
    with engine.connect() as conn:
        return queries.post_conditions(conn, filters)


def matching(engine: Engine, filters: PostFilters) -> set[int]:
    page = queries.search_posts(engine, filters, per_page=100)
    assert page.total == len(page.items)
    return {item.id for item in page.items}


def test_hourly_daily_and_weekly_buckets(engine: Engine, seeded: dict[str, int]) -> None:
    with engine.connect() as conn:
        hourly = aggregates.per_bucket(conn, [], Bucket.HOUR, Dimension.PLATFORM)
        daily = aggregates.per_bucket(conn, [], Bucket.DAY, Dimension.PLATFORM)
        weekly = aggregates.per_bucket(conn, [], Bucket.WEEK, Dimension.PLATFORM)
    as_set = {(c.bucket, c.key, c.count) for c in hourly}
    assert (MON + timedelta(hours=9), "x", 2) in as_set
    assert (MON + timedelta(hours=10), "bluesky", 1) in as_set
    assert sum(c.count for c in hourly) == 6  # the undated post has no bucket
    assert {(c.bucket, c.key, c.count) for c in daily} == {
        (MON, "x", 2),
        (MON, "bluesky", 1),
        (MON + timedelta(days=1), "x", 1),
        (MON + timedelta(days=6), "x", 1),
        (MON + timedelta(days=7), "x", 1),
    }
    # Weeks start on Monday: Sunday 23:59 belongs to the first week.
    assert {(c.bucket, c.key, c.count) for c in weekly} == {
        (MON, "x", 4),
        (MON, "bluesky", 1),
        (MON + timedelta(days=7), "x", 1),
    }
    assert all(c.bucket.tzinfo is not None for c in weekly)


def test_dimensions_count_unknown_as_und(engine: Engine, seeded: dict[str, int]) -> None:
    with engine.connect() as conn:
        countries = aggregates.per_bucket(conn, [], Bucket.WEEK, Dimension.COUNTRY)
        sentiment = aggregates.per_bucket(conn, [], Bucket.WEEK, Dimension.SENTIMENT)
        topics = aggregates.per_bucket(conn, [], Bucket.DAY, Dimension.TOPIC)
        languages = aggregates.per_bucket(conn, [], Bucket.WEEK, Dimension.LANGUAGE)
    assert {(c.key, c.count) for c in countries if c.bucket == MON} == {
        ("MY", 2),
        ("ID", 1),
        ("und", 2),
    }
    assert {(c.key, c.count) for c in sentiment if c.bucket == MON} == {
        ("negative", 2),
        ("positive", 1),
        ("neutral", 1),
        ("und", 1),
    }
    assert {(c.bucket, c.key, c.count) for c in topics} == {
        (MON, "disaster", 2),
        (MON, "citizen-protection", 1),
    }
    assert {(c.key, c.count) for c in languages if c.bucket == MON} == {("en", 4), ("id", 1)}


def test_facets_per_bucket(engine: Engine, seeded: dict[str, int]) -> None:
    with engine.connect() as conn:
        stance = aggregates.facet_per_bucket(conn, [], Bucket.DAY)
        voice = aggregates.facet_per_bucket(
            conn, [], Bucket.WEEK, facet="country_mentioned", values=["ID", "SG"]
        )
    assert sorted(stance) == sorted(
        [
            (MON, "stance:indonesia", "against", 1),
            (MON, "stance:indonesia", "favour", 1),
            (MON, "stance:foreign-policy", "favour", 1),
        ]
    )
    assert sorted(voice) == sorted(
        [
            (MON, "country_mentioned", "ID", 2),
            (MON + timedelta(days=7), "country_mentioned", "SG", 1),
        ]
    )


def test_top_lists(engine: Engine, seeded: dict[str, int]) -> None:
    with engine.connect() as conn:
        posts = aggregates.top_posts(conn, [], limit=2)
        actors = aggregates.top_actors(conn, [], limit=3)
        tags = aggregates.top_hashtags(conn, [])
        urls = aggregates.top_urls(conn, [])
        domains = aggregates.top_domains(conn, [])
    assert [(p.post.id, p.engagement) for p in posts] == [(seeded["c"], 100), (seeded["a"], 16)]
    assert actors == [  # most posts first; "Alice" and "alice" are one author
        aggregates.ActorCount("x", "someone", 4, 0),
        aggregates.ActorCount("x", "alice", 2, 17),
        aggregates.ActorCount("bluesky", "someone", 1, 100),
    ]
    assert tags == [aggregates.KeyCount("natuna", 3), aggregates.KeyCount("laut", 1)]
    assert urls[0] == aggregates.KeyCount("https://news.example.org/a", 2)
    assert len(urls) == 3
    assert domains == [
        aggregates.KeyCount("news.example.org", 3),
        aggregates.KeyCount("kemlu.go.id", 1),
    ]


def test_map_figures_and_coverage(engine: Engine, seeded: dict[str, int]) -> None:
    with engine.connect() as conn:
        countries = aggregates.by_author_country(conn, [])
        covered = aggregates.coverage(conn, [])
    assert countries == [
        aggregates.CountryFigures("ID", 2, 2, 0.75),
        aggregates.CountryFigures("MY", 2, 2, -0.6),
    ]
    assert covered == aggregates.Coverage(
        posts=7, sentiment=6, author_country=4, topic=2, stance=2, mentioned=3
    )


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (PostFilters(hashtag="#NATUNA"), {"a", "b", "c"}),
        (PostFilters(domain="news.example.org"), {"a", "b", "d"}),
        (PostFilters(domain="kemlu.go.id"), {"a"}),
        (PostFilters(url="https://news.example.org/a"), {"a", "d"}),
        (PostFilters(topic="disaster"), {"a", "b"}),
        (PostFilters(mentioned="id"), {"a", "c"}),
        (PostFilters(stance_target="indonesia", stance="favour"), {"c"}),
        (PostFilters(stance="favour"), {"c"}),
        (PostFilters(stance_target="indonesia"), {"a", "c"}),
        (PostFilters(sentiment="negative", author_country="my"), {"a", "b"}),
        (PostFilters(author_country="und"), {"d", "e", "undated"}),
        (PostFilters(sentiment="und"), {"e"}),
        (PostFilters(start=MON + timedelta(hours=9), end=MON + timedelta(hours=10)), {"a", "b"}),
    ],
)
def test_drilldown_filters(
    engine: Engine, seeded: dict[str, int], filters: PostFilters, expected: set[str]
) -> None:
    assert matching(engine, filters) == {seeded[name] for name in expected}


def test_every_bucket_drills_down_to_its_posts(engine: Engine, seeded: dict[str, int]) -> None:
    """Each (bucket, country) count equals the explorer's total for the same filters."""
    base = PostFilters(sentiment="negative")
    with engine.connect() as conn:
        counts = aggregates.per_bucket(
            conn, queries.post_conditions(conn, base), Bucket.HOUR, Dimension.COUNTRY
        )
    assert counts
    for count in counts:
        drill = PostFilters(
            sentiment="negative",
            author_country=count.key,
            start=count.bucket,
            end=count.bucket + timedelta(hours=1),
        )
        assert len(matching(engine, drill)) == count.count, count


def test_facet_filters_combine_with_facet_aggregates(
    engine: Engine, seeded: dict[str, int]
) -> None:
    """A topic or stance filter inside an aggregate that joins post_facets itself."""
    with engine.connect() as conn:
        where = queries.post_conditions(conn, PostFilters(topic="disaster"))
        topics = aggregates.per_bucket(conn, where, Bucket.DAY, Dimension.TOPIC)
        stance = aggregates.facet_per_bucket(conn, where, Bucket.DAY)
        covered = aggregates.coverage(conn, where)
    assert {(c.key, c.count) for c in topics} == {("disaster", 2), ("citizen-protection", 1)}
    assert stance == [(MON, "stance:indonesia", "against", 1)]
    assert (covered.posts, covered.topic, covered.stance) == (2, 2, 1)


def test_hashtags_fold_case_in_every_script(engine: Engine) -> None:
    """SQLite's own lower() folds only A-Z: the top list and its drill-down must still agree."""
    rows = Rows(engine)
    c = rows.collection()
    for tag in ("ÇANAKKALE", "çanakkale", "ИНДОНЕЗИЯ", "Индонезия"):
        rows.post(c, created_at=MON, hashtags=[tag])
    with engine.connect() as conn:
        tags = aggregates.top_hashtags(conn, [])
    assert sorted(tags, key=lambda t: t.key) == [
        aggregates.KeyCount("çanakkale", 2),
        aggregates.KeyCount("индонезия", 2),
    ]
    for tag in tags:
        assert len(matching(engine, PostFilters(hashtag=tag.key))) == 2
