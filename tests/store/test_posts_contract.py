"""Contract: the post and actor upserts behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.domain.posts import Actor, Post, Provenance
from ediplomacy.store import collections as collection_store
from ediplomacy.store.posts import upsert_actors, upsert_posts
from ediplomacy.store.schema import actors, posts
from ediplomacy.store.serialize import actor_row, loads, post_row

T0 = datetime(2026, 11, 17, 3, 0, tzinfo=UTC)


def canonical(url: str) -> str:
    return url.lower()


def make_post(external_id: str, likes: int, *, text: str = "Kedutaan buka hari ini") -> Post:
    return Post(
        platform="x",
        external_id=external_id,
        text=text,
        author_external_id="u1",
        created_at=T0,
        language="id",
        urls=["https://Example.org/a"],
        hashtags=["Kemlu"],
        metrics={"like_count": likes, "repost_count": 1},
        raw={"id": external_id, "likes": likes},
    )


def new_collection(engine: Engine) -> int:
    with engine.begin() as conn:
        return collection_store.start_collection(
            conn, name="t", kind="file", source="t.jsonl", fmt="x-v2", tool_version="0", now=T0
        )


def store(engine: Engine, items: list[Post], retrieved: datetime) -> tuple[int, int, int]:
    collection_id = new_collection(engine)
    provenance = Provenance(collection_id, "t.jsonl:1", retrieved, "0")
    rows = [post_row(post, provenance, canonical, retrieved) for post in items]
    with engine.begin() as conn:
        counts = upsert_posts(conn, rows)
    return counts.new, counts.updated, counts.unchanged


def test_same_posts_twice_changes_nothing(engine: Engine) -> None:
    batch = [make_post(str(i), i) for i in range(50)]
    assert store(engine, batch, T0) == (50, 0, 0)
    with engine.connect() as conn:
        before = conn.execute(sa.select(posts).order_by(posts.c.id)).all()
    assert store(engine, batch, T0) == (0, 0, 50)
    with engine.connect() as conn:
        after = conn.execute(sa.select(posts).order_by(posts.c.id)).all()
    assert [row.content_hash for row in after] == [row.content_hash for row in before]
    assert [row.collection_id for row in after] == [row.collection_id for row in before]


def test_newer_copy_updates_metrics_and_older_copy_does_not(engine: Engine) -> None:
    store(engine, [make_post("7", 3)], T0)
    assert store(engine, [make_post("7", 40)], T0 + timedelta(hours=1)) == (0, 1, 0)
    assert store(engine, [make_post("7", 1)], T0 - timedelta(hours=1)) == (0, 0, 1)
    with engine.connect() as conn:
        row = conn.execute(sa.select(posts).where(posts.c.external_id == "7")).one()
    assert row.like_count == 40
    assert loads(row.metrics) == {"like_count": 40, "repost_count": 1}
    assert loads(row.canonical_urls) == ["https://example.org/a"]


def test_duplicates_inside_one_batch_keep_the_newest(engine: Engine) -> None:
    collection_id = new_collection(engine)
    old = post_row(make_post("9", 1), Provenance(collection_id, "a:1", T0, "0"), canonical, T0)
    later = T0 + timedelta(minutes=5)
    new = post_row(make_post("9", 5), Provenance(collection_id, "a:2", later, "0"), canonical, T0)
    with engine.begin() as conn:
        counts = upsert_posts(conn, [old, new])
    assert (counts.new, counts.unchanged) == (1, 1)
    with engine.connect() as conn:
        assert conn.execute(sa.select(posts.c.like_count)).scalar_one() == 5


def test_actor_profile_is_filled_in_not_erased(engine: Engine) -> None:
    full = Actor("x", "u1", handle="kemlu_demo", name="Kemlu", followers_count=10, verified=True)
    with engine.begin() as conn:
        assert upsert_actors(conn, [actor_row(full, T0)]).new == 1
    thin = Actor("x", "u1", handle="kemlu_demo", followers_count=12)
    with engine.begin() as conn:
        counts = upsert_actors(conn, [actor_row(thin, T0), actor_row(thin, T0)])
    assert (counts.new, counts.updated) == (0, 1)
    with engine.connect() as conn:
        row = conn.execute(sa.select(actors)).one()
    assert (row.name, row.followers_count, row.verified) == ("Kemlu", 12, True)


def test_full_text_search_finds_words(engine: Engine) -> None:
    store(engine, [make_post("1", 1, text="Evakuasi warga dari Selaria"), make_post("2", 1)], T0)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            query = sa.text("SELECT rowid FROM posts_fts WHERE posts_fts MATCH 'evakuasi'")
        else:
            query = sa.text(
                "SELECT id FROM posts WHERE search_vector @@ plainto_tsquery('simple', 'evakuasi')"
            )
        found = conn.execute(query).scalars().all()
        ids = conn.execute(sa.select(posts.c.id).where(posts.c.external_id == "1")).scalars().all()
    assert found == ids
