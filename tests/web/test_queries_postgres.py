"""The read-side queries on PostgreSQL: the same answers as on SQLite."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine

from ediplomacy.store import queries
from ediplomacy.store.queries import PostFilters, Sort
from tests.web.conftest import NOW, Rows

pytestmark = pytest.mark.postgres


@pytest.fixture(params=["sqlite", "postgresql"])
def any_engine(request: pytest.FixtureRequest) -> Engine:
    name = "sqlite_engine" if request.param == "sqlite" else "postgres_engine"
    engine: Engine = request.getfixturevalue(name)
    return engine


def test_queries_agree_on_both_databases(any_engine: Engine) -> None:
    rows = Rows(any_engine)
    collection = rows.collection(rejected_count=2)
    first = rows.post(
        collection,
        external_id="1",
        text="Kapal nelayan di Natuna",
        detected_language="id",
        like_count=9,
        created_at=NOW - timedelta(days=2, hours=-11),  # 23:00 UTC two days before
    )
    second = rows.post(
        collection,
        external_id="2",
        text="Natuna fishing boats",
        reply_to_external_id="1",
        author_handle="JakartaPost",
        like_count=None,
        created_at=NOW,
    )
    rows.enrichment(second, "sentiment", {"label": "neutral"})

    overview = queries.overview(any_engine)
    assert (overview.posts, overview.collections) == (2, 1)
    assert [(d.day, d.count) for d in overview.per_day] == [
        (NOW.date() - timedelta(days=2), 1),
        (NOW.date() - timedelta(days=1), 0),
        (NOW.date(), 1),
    ]
    assert {c.label: c.count for c in overview.languages} == {"id": 1, "en": 1}
    assert overview.latest_collections[0].rejected_count == 2

    def ids(filters: PostFilters, sort: Sort = Sort.NEWEST) -> list[int]:
        return [post.id for post in queries.search_posts(any_engine, filters, sort=sort).items]

    assert ids(PostFilters(q="natuna")) == [second, first]
    assert ids(PostFilters(q="nelayan natuna")) == [first]
    assert ids(PostFilters(q='"natuna OR')) == []
    assert ids(PostFilters(), Sort.MOST_LIKED) == [first, second]
    assert ids(PostFilters(author="@jakartapost", replies="only")) == [second]
    assert ids(PostFilters(since=NOW.date(), language="en")) == [second]

    detail = queries.get_post(any_engine, second)
    assert detail.relations[0].post_id == first
    assert detail.enrichments[0].result == {"label": "neutral"}
    assert detail.retrieved_at == NOW
