"""The topics page, its re-run button, GET /api/v1/topics, the explorer's cluster filter."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import numpy as np
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from ediplomacy.domain.people import Role, StaffUser
from ediplomacy.store import emerging as emerging_store
from ediplomacy.store.schema import audit_log, post_vectors
from tests.web.conftest import NOW, Rows, csrf_token, login


def seed(engine: Engine, rows: Rows) -> dict[str, Any]:
    """Two stored clusters (a small emerging one, a big steady one) and one post in neither."""
    collection = rows.collection()
    flood = [rows.post(collection, text=f"banjir jakarta warga mengungsi {i}", language="id")
             for i in range(4)]  # fmt: skip
    trade = [rows.post(collection, text=f"palm oil trade talks round {i}") for i in range(6)]
    other = rows.post(collection, text="unrelated post")
    topics = [
        {"label": "banjir · jakarta · warga", "terms": ["banjir", "jakarta", "warga"], "size": 4,
         "languages": {"id": 4}, "sample_post_ids": flood[::-1], "growth": 6.5, "emerging": True},
        {"label": "palm · oil · trade", "terms": ["palm", "oil", "trade"], "size": 6,
         "languages": {"en": 6}, "sample_post_ids": trade[:5], "growth": 1.0, "emerging": False},
    ]  # fmt: skip
    with engine.begin() as connection:
        ids = emerging_store.replace_emerging(
            connection,
            computed_at=NOW,
            window_start=NOW - timedelta(days=7),
            window_end=NOW,
            topics=topics,
            members=[[(p, 0.9) for p in flood], [(p, 0.8) for p in trade]],
        )
    return {"ids": ids, "flood": flood, "trade": trade, "other": other}


def post_ids_in(html: str) -> set[int]:
    return {int(found) for found in re.findall(r'href="/listen/posts/(\d+)"', html)}


def test_page_lists_the_run_emerging_first_with_samples_and_links(
    client: TestClient, engine: Engine, rows: Rows, make_user: Callable[..., StaffUser]
) -> None:
    data = seed(engine, rows)
    make_user("ana", Role.VIEWER)
    login(client, "ana")
    html = client.get("/listen/topics").text
    assert 'id="tab-topics" aria-current="page"' in html
    flood_at, trade_at = html.index("banjir · jakarta · warga"), html.index("palm · oil · trade")
    assert flood_at < trade_at
    assert html.count('data-testid="topic-emerging"') == 1
    assert html.count('data-testid="topic-sample"') == 3 + 3
    assert f'href="/listen?cluster={data["ids"][0]}"' in html
    assert "All 6 posts" in html and "Growth \u00d76.5" in html
    assert post_ids_in(html) == set(data["flood"][::-1][:3]) | set(data["trade"][:3])
    assert 'data-testid="topics-discover"' not in html  # viewers cannot re-run


def test_explorer_link_lists_exactly_the_cluster_posts(
    client: TestClient, engine: Engine, rows: Rows, make_user: Callable[..., StaffUser]
) -> None:
    data = seed(engine, rows)
    make_user("ana", Role.VIEWER)
    login(client, "ana")
    for topic_id, members in zip(data["ids"], (data["flood"], data["trade"]), strict=True):
        html = client.get(f"/listen?cluster={topic_id}").text
        assert post_ids_in(html) == set(members)
        assert 'data-drill="cluster"' in html and "Emerging topic: " in html
    assert post_ids_in(client.get("/listen?cluster=999999").text) == set()


def test_api_shape(
    client: TestClient, engine: Engine, rows: Rows, make_user: Callable[..., StaffUser]
) -> None:
    data = seed(engine, rows)
    make_user("ana", Role.VIEWER)
    login(client, "ana")
    body = client.get("/api/v1/topics").json()
    assert body["computed_at"].startswith("2026-03-10T12:00:00")
    assert [t["id"] for t in body["topics"]] == data["ids"]
    first = body["topics"][0]
    assert set(first) == {"id", "label", "terms", "size", "languages", "growth", "emerging",
                          "samples", "explorer_url"}  # fmt: skip
    assert first["emerging"] is True and first["growth"] == 6.5 and first["languages"] == {"id": 4}
    assert [s["id"] for s in first["samples"]] == data["flood"][::-1][:3]
    assert first["samples"][0]["language"] == "id"
    assert first["explorer_url"] == f"/listen?cluster={data['ids'][0]}"


def test_empty_state_page_api_and_dashboard(
    client: TestClient, make_user: Callable[..., StaffUser]
) -> None:
    make_user("ana", Role.VIEWER)
    login(client, "ana")
    html = client.get("/listen/topics").text
    assert 'data-testid="topics-empty"' in html and "ediplomacy topics discover" in html
    assert client.get("/api/v1/topics").json() == {
        "computed_at": None, "window_start": None, "window_end": None, "topics": []
    }  # fmt: skip
    assert 'data-testid="dashboard-topics"' not in client.get("/listen/dashboard").text


def test_page_in_bahasa_indonesia(
    client: TestClient, engine: Engine, rows: Rows, make_user: Callable[..., StaffUser]
) -> None:
    seed(engine, rows)
    make_user("ana", Role.VIEWER)
    login(client, "ana")
    client.post("/language", data={"locale": "id", "next": "/",
                                   "csrf_token": csrf_token(client.get("/").text)})  # fmt: skip
    html = client.get("/listen/topics").text
    assert "Topik yang sedang muncul" in html and "Semua 6 unggahan" in html


def test_dashboard_panel_links_to_topics(
    client: TestClient, engine: Engine, rows: Rows, make_user: Callable[..., StaffUser]
) -> None:
    data = seed(engine, rows)
    make_user("ana", Role.VIEWER)
    login(client, "ana")
    html = client.get("/listen/dashboard").text
    panel = html[html.index('data-testid="dashboard-topics"') :]
    assert panel.index("banjir · jakarta") < panel.index("palm · oil")
    assert f'href="/listen?cluster={data["ids"][1]}"' in panel and 'href="/listen/topics"' in panel


def vectors(engine: Engine, post_ids: list[int], direction: int) -> None:
    rng = np.random.default_rng(direction)
    rows = []
    for post_id in post_ids:
        vector = np.zeros(16, dtype=np.float32)
        vector[direction] = 1.0
        vector += rng.normal(0, 0.05, 16).astype(np.float32)
        vector /= np.linalg.norm(vector)
        rows.append({"post_id": post_id, "space": "fast", "model": "test", "model_version": "1",
                     "dim": 16, "vector": vector.astype(np.float16).tobytes()})  # fmt: skip
    with engine.begin() as connection:
        connection.execute(post_vectors.insert(), rows)


def test_analyst_reruns_discovery_and_it_is_audited(
    client: TestClient, engine: Engine, rows: Rows, make_user: Callable[..., StaffUser]
) -> None:
    collection = rows.collection()
    flood = [rows.post(collection, text=f"banjir besar jakarta pengungsi nomor {i}",
                       created_at=NOW - timedelta(hours=i)) for i in range(6)]  # fmt: skip
    trade = [rows.post(collection, text=f"palm oil export tariff talks item {i}",
                       created_at=NOW - timedelta(days=i)) for i in range(6)]  # fmt: skip
    vectors(engine, flood, 0)
    vectors(engine, trade, 1)
    make_user("ana", Role.ANALYST)
    login(client, "ana")
    page = client.get("/listen/topics").text
    assert 'data-testid="topics-discover"' in page
    response = client.post("/listen/topics/discover", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 303 and response.headers["location"] == "/listen/topics"
    html = client.get("/listen/topics").text
    assert "Found 2 topics" in html
    assert "banjir" in html and "palm" in html
    body = client.get("/api/v1/topics").json()
    assert sorted(t["size"] for t in body["topics"]) == [6, 6]  # 12 distinct texts: 2 clusters
    for topic in body["topics"]:
        listed = post_ids_in(client.get(topic["explorer_url"]).text)
        assert listed in (set(flood), set(trade))
    with engine.connect() as connection:
        entry = connection.execute(
            sa.select(audit_log).where(audit_log.c.action == "topics.discovered")
        ).one()
    assert entry.actor == "ana" and '"topics":2' in entry.detail
    # Without a CSRF token nothing runs.
    assert client.post("/listen/topics/discover", data={}).status_code in (400, 403)


def test_rerun_with_too_few_posts_explains(
    client: TestClient, make_user: Callable[..., StaffUser]
) -> None:
    make_user("ana", Role.ADMIN)
    login(client, "ana")
    token = csrf_token(client.get("/listen/topics").text)
    response = client.post("/listen/topics/discover", data={"csrf_token": token})
    assert response.status_code == 303
    html = client.get("/listen/topics").text
    assert "not enough analysed posts" in html and 'data-testid="topics-empty"' in html
