"""Topics and geography stages: contract on SQLite and PostgreSQL, and what they find."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.domain.posts import Actor, Post, Provenance
from ediplomacy.nlp.embedders import Embedder, shared_embedder
from ediplomacy.nlp.profile import Place, Topic
from ediplomacy.pipeline.runner import InProcessRunner
from ediplomacy.pipeline.stage import PostInput
from ediplomacy.pipeline.stages.embed import EmbedStage
from ediplomacy.pipeline.stages.geography import GeographyStage
from ediplomacy.pipeline.stages.topics import TopicStage, taxonomy_digest
from ediplomacy.store import collections as collection_store
from ediplomacy.store.posts import upsert_actors, upsert_posts
from ediplomacy.store.schema import post_enrichments, post_facets, posts
from ediplomacy.store.serialize import actor_row, loads, post_row

T0 = datetime(2026, 11, 18, 12, tzinfo=UTC)
QADIRA = Place("QM", ("Almaraya", "Qadira", "قديرة"))
SAGARA = Place("XJ", ("Sagara Jaya", "Kota Bahari"))

TOPICS = (
    Topic("earthquake", {"en": "Earthquake"}, (
        "A strong earthquake struck the city and buildings collapsed",
        "Gempa bumi kuat mengguncang kota, banyak bangunan runtuh",
    )),
    Topic("trade", {"en": "Trade"}, (
        "The two countries signed a trade agreement to cut tariffs on exports",
        "Ekspor dan impor kedua negara naik setelah perjanjian dagang",
    )),
    Topic("football", {"en": "Football"}, (
        "The national football team won the match two goals to nil",
        "Tim nasional sepak bola menang dua gol tanpa balas",
    )),
)  # fmt: skip


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return shared_embedder("use-multilingual")


def add_posts(engine: Engine, items: list[tuple[str, str | None]]) -> None:
    """Posts (text, author location), one author each."""
    with engine.begin() as conn:
        cid = collection_store.start_collection(
            conn, name="t", kind="file", source="t", fmt="csv", tool_version="0", now=T0
        )
        upsert_actors(
            conn,
            [actor_row(Actor("x", f"a{i}", f"user{i}", location=loc), T0)
             for i, (_, loc) in enumerate(items)],
        )  # fmt: skip
        rows = [
            post_row(
                Post("x", str(i), text, author_external_id=f"a{i}", created_at=T0),
                Provenance(cid, "t:1", T0, "0"),
                str,
                T0,
            )
            for i, (text, _) in enumerate(items)
        ]
        upsert_posts(conn, rows)


def facets_of(engine: Engine, facet: str) -> dict[str, set[str]]:
    query = (
        sa.select(posts.c.external_id, post_facets.c.value)
        .join(posts, posts.c.id == post_facets.c.post_id)
        .where(post_facets.c.facet == facet)
    )
    found: dict[str, set[str]] = {}
    with engine.connect() as conn:
        for row in conn.execute(query):
            found.setdefault(row.external_id, set()).add(row.value)
    return found


def test_geography_sets_author_country_and_mentions(engine: Engine) -> None:
    add_posts(
        engine,
        [
            ("Gempa di Qadira, semoga warga Malaysia selamat", "Kuala Lumpur"),
            ("Thinking of everyone in Almaraya tonight", "London, UK"),
            ("Hello world", "somewhere on Earth"),
            ("Liburan ke Sagara Jaya", "Kota Bahari"),
        ],
    )
    runner = InProcessRunner(engine)
    assert runner.run([GeographyStage((QADIRA, SAGARA))]).processed == {"geography": 4}
    with engine.connect() as conn:
        countries = dict(conn.execute(sa.select(posts.c.external_id, posts.c.author_country)).all())
        result = loads(
            conn.execute(
                sa.select(post_enrichments.c.result)
                .join(posts, posts.c.id == post_enrichments.c.post_id)
                .where(post_enrichments.c.stage == "geography", posts.c.external_id == "0")
            ).scalar_one()
        )
    assert countries == {"0": "MY", "1": "GB", "2": None, "3": "XJ"}
    assert result["author_country"] == "MY" and result["countries_mentioned"] == ["QM", "MY"]
    assert facets_of(engine, "country_mentioned") == {"0": {"QM", "MY"}, "1": {"QM"}, "3": {"XJ"}}

    # The same version again does nothing; new profile places re-run it and replace the facets.
    assert runner.run([GeographyStage((QADIRA, SAGARA))]).processed == {"geography": 0}
    assert runner.run([GeographyStage((SAGARA,))]).processed == {"geography": 4}
    assert facets_of(engine, "country_mentioned") == {"0": {"MY"}, "3": {"XJ"}}


def test_topics_stage_writes_facets_and_follows_the_taxonomy(
    engine: Engine, embedder: Embedder
) -> None:
    add_posts(
        engine,
        [
            ("Terremoto de magnitud 7 en la ciudad, muchos edificios derrumbados", None),
            ("La selección nacional ganó el partido de fútbol", None),
            ("ok", None),
        ],
    )
    runner = InProcessRunner(engine)
    runner.run([EmbedStage("fast", embedder), TopicStage(embedder, TOPICS)])
    assert facets_of(engine, "topic") == {"0": {"earthquake"}, "1": {"football"}}
    with engine.connect() as conn:
        scores = (
            conn.execute(sa.select(post_facets.c.score).where(post_facets.c.facet == "topic"))
            .scalars()
            .all()
        )
    assert all(0.35 <= score <= 1 for score in scores)
    # Another taxonomy is another version: every post is re-run and old facets go.
    fewer = TopicStage(embedder, TOPICS[1:])
    assert fewer.version != TopicStage(embedder, TOPICS).version
    assert runner.run([fewer]).processed == {"topics": 3}
    assert facets_of(engine, "topic") == {"1": {"football"}}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("زلزال قوي يضرب المدينة ويهدم المباني", "earthquake"),
        ("强烈地震袭击城市，很多房屋倒塌", "earthquake"),  # noqa: RUF001
        ("Un séisme violent a frappé la ville cette nuit", "earthquake"),
        ("Perjanjian perdagangan baru menurunkan tarif ekspor", "trade"),
        ("Les deux pays ont signé un accord commercial sur les exportations", "trade"),
        ("Timnas sepak bola menang besar tadi malam", "football"),
    ],
)
def test_topic_assigned_across_languages(embedder: Embedder, text: str, expected: str) -> None:
    stage = TopicStage(embedder, TOPICS)
    (result,) = stage.process([PostInput(1, "x", text, None)])
    assert result.facets and result.facets[0][:2] == ("topic", expected)


def test_unrelated_post_gets_no_topic(embedder: Embedder) -> None:
    stage = TopicStage(embedder, TOPICS)
    (result,) = stage.process([PostInput(1, "x", "Thank you, have a nice day!", None)])
    assert result.facets == [] and result.result == {"topics": []}


def test_taxonomy_digest_changes_with_examples() -> None:
    changed = (Topic("trade", {"en": "Trade"}, ("Tariffs on imports",)),)
    assert taxonomy_digest(TOPICS) != taxonomy_digest(TOPICS[:2])
    assert taxonomy_digest(TOPICS[1:2]) != taxonomy_digest(changed)
