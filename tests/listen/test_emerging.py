"""Emerging topics: clusters stored and replaced (both databases), labels, and the demo's event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.demo.generate import generate
from ediplomacy.domain.posts import Post, Provenance
from ediplomacy.ingest.importer import Importer
from ediplomacy.listen.emerging import DiscoveryError, discover, stored_topics, terms_of, top_terms
from ediplomacy.nlp.embedders import shared_embedder
from ediplomacy.nlp.vectors import to_bytes
from ediplomacy.pipeline.runner import InProcessRunner
from ediplomacy.pipeline.stages.embed import EmbedStage
from ediplomacy.store import collections as collection_store
from ediplomacy.store import vectors as vector_store
from ediplomacy.store.posts import upsert_posts
from ediplomacy.store.schema import post_facets, posts
from ediplomacy.store.serialize import post_row

T0 = datetime(2026, 11, 10, tzinfo=UTC)


def add_clustered_posts(engine: Engine) -> None:
    """Two groups of posts with vectors far apart: old chatter, and a burst on the last day."""
    rng = np.random.default_rng(1)
    centres = np.eye(2, 16, dtype=np.float32)
    items = [(f"chatter about coffee and beaches number {i}", T0 + timedelta(hours=12 * i), 0)
             for i in range(12)]  # fmt: skip
    items += [(f"flood in the valley, roads closed, rescue boats {i}",
               T0 + timedelta(days=6, hours=i), 1) for i in range(15)]  # fmt: skip
    with engine.begin() as conn:
        cid = collection_store.start_collection(
            conn, name="t", kind="file", source="t", fmt="csv", tool_version="0", now=T0
        )
        upsert_posts(
            conn,
            [post_row(Post("x", str(i), text, created_at=at, language="en"),
                      Provenance(cid, "t:1", T0, "0"), str, T0)
             for i, (text, at, _) in enumerate(items)],
        )  # fmt: skip
        ids = dict(conn.execute(sa.select(posts.c.external_id, posts.c.id)).all())
        blobs = []
        for i, (_, _, group) in enumerate(items):
            vector = centres[group] + rng.normal(0, 0.05, 16).astype(np.float32)
            blobs.append((ids[str(i)], to_bytes(vector / np.linalg.norm(vector)), 16))
        vector_store.write_vectors(conn, space="fast", model="m", version="1", vectors=blobs)


def test_discover_stores_labels_facets_and_replaces(engine: Engine) -> None:
    add_clustered_posts(engine)
    topics = discover(engine, clusters=2, until=T0 + timedelta(days=7))
    assert sorted(topic.size for topic in topics) == [12, 15]
    flood = next(topic for topic in topics if "flood" in topic.terms)
    chatter = next(topic for topic in topics if "coffee" in topic.terms)
    assert flood.emerging and flood.growth is not None and flood.growth >= 3
    assert not chatter.emerging
    assert flood.languages == {"en": 15} and len(flood.sample_post_ids) == 5
    stored = stored_topics(engine)
    assert [topic["id"] for topic in stored] == [flood.id, chatter.id]  # emerging first
    assert stored[0]["terms"] == flood.terms and stored[0]["emerging"] is True
    with engine.connect() as conn:
        members = conn.execute(
            sa.select(sa.func.count()).where(
                post_facets.c.facet == "cluster", post_facets.c.value == str(flood.id)
            )
        ).scalar_one()
    assert members == 15
    # A second run replaces the clusters and their facets.
    again = discover(engine, clusters=2, until=T0 + timedelta(days=7))
    assert len(stored_topics(engine)) == 2
    with engine.connect() as conn:
        values = (
            conn.execute(sa.select(post_facets.c.value).where(post_facets.c.facet == "cluster"))
            .scalars()
            .all()
        )
    assert len(values) == 27 and set(values) == {str(topic.id) for topic in again}


def test_an_empty_window_is_a_clear_error(engine: Engine) -> None:
    add_clustered_posts(engine)
    with pytest.raises(DiscoveryError, match="widen"):
        discover(engine, until=T0 - timedelta(days=1))


def test_terms_split_cjk_into_bigrams_and_drop_stopwords_links_and_handles() -> None:
    assert terms_of("RT @kemlu: Gempa di Qadira dan #GempaQadira https://x.example/a") == [
        "gempa", "qadira", "#gempaqadira"
    ]  # fmt: skip
    assert terms_of("卡迪拉地震") == ["卡迪", "迪拉", "拉地", "地震"]
    assert terms_of("the and yang dan el la le les في") == []


def test_top_terms_prefer_what_sets_a_cluster_apart() -> None:
    clusters = [
        ["earthquake in qadira", "qadira earthquake rescue", "rescue teams in qadira"],
        ["culture week in qadira", "qadira culture week food", "qadira music at culture week"],
    ]
    quake, culture = top_terms(clusters, count=2)
    assert set(quake) == {"earthquake", "rescue"}
    assert set(culture) == {"culture", "week"}


@pytest.mark.slow
def test_demo_event_and_claim_come_out_as_emerging_clusters(
    tmp_path: Path, sqlite_engine: Engine
) -> None:
    manifest = generate(tmp_path / "demo", posts=1500)
    Importer(sqlite_engine, data_dir=tmp_path).run(
        [item.path for item in manifest.files if item.format != "ground-truth"], collection="demo"
    )
    InProcessRunner(sqlite_engine).run([EmbedStage("fast", shared_embedder("use-multilingual"))])
    quake = datetime(2026, 11, 18, 11, 37, tzinfo=UTC)  # the scenario's ground truth

    topics = discover(sqlite_engine, until=quake + timedelta(hours=12))
    emerging = [topic for topic in topics if topic.emerging]
    quake_words = {"qadira", "gempa", "earthquake", "#gempaqadira", "地震", "قديرة", "séisme"}
    assert any(quake_words & set(topic.terms[:5]) for topic in emerging), topics

    topics = discover(sqlite_engine, until=quake + timedelta(hours=24))
    fee_words = {"bayar", "usd", "charging", "seat", "diperas", "fee", "dollars", "cost", "biaya"}
    fee = [topic for topic in topics if fee_words & set(topic.terms)]
    assert fee and any(topic.emerging for topic in fee), topics
