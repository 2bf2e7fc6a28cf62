"""/verify/coordination: runs, clusters by score, a cluster's evidence, Gephi files, the API."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.domain.people import Role
from ediplomacy.integrity.coordination_detect import detect_clusters
from ediplomacy.store import coordination as store
from tests.integrity.coordination_rows import planted
from tests.integrity.coordination_rows import store as store_posts


@pytest.fixture
def detected(engine: Engine, tmp_path: Path) -> int:
    """Two runs over posts with two planted groups; the second run's id."""
    store_posts(engine, planted())
    settings = Settings(data_dir=tmp_path, coordination_networks=["co-repost", "co-link"])
    detect_clusters(engine, settings)
    return detect_clusters(engine, settings).run_id


def test_empty_state_says_how_to_run(client: TestClient, signed_in: Callable[[Role], str]) -> None:
    signed_in(Role.ANALYST)
    page = client.get("/verify/coordination")
    assert page.status_code == 200
    assert 'data-testid="coordination-empty"' in page.text
    assert "ediplomacy coordination detect" in page.text


def test_runs_and_clusters_ranked_by_score(
    client: TestClient, engine: Engine, signed_in: Callable[[Role], str], detected: int
) -> None:
    signed_in(Role.EDITOR)
    page = client.get("/verify/coordination")
    assert page.status_code == 200
    assert page.text.count('data-testid="run-row"') == 2
    scores = [float(s) for s in re.findall(r'data-testid="cluster-row" data-score="([\d.]+)"',
                                           page.text)]  # fmt: skip
    assert len(scores) >= 2 and scores == sorted(scores, reverse=True)
    assert 'data-testid="cluster-new"' not in page.text  # the latest run found nothing new
    first_run = min(run.id for run in store.list_runs(engine))
    earlier = client.get("/verify/coordination", params={"run": first_run})
    assert earlier.text.count('data-testid="cluster-new"') == len(scores)
    assert client.get("/verify/coordination", params={"run": 999}).status_code == 404


def test_cluster_page_shows_members_items_and_timing(
    client: TestClient, engine: Engine, signed_in: Callable[[Role], str], detected: int
) -> None:
    signed_in(Role.ANALYST)
    top = store.list_clusters(engine, detected)[0]
    page = client.get(f"/verify/coordination/clusters/{top.id}")
    assert page.status_code == 200
    text = page.text
    assert text.count('data-testid="member-row"') == top.member_count == 5
    handles = re.findall(r'href="/listen\?author=(h_g\dm\d)&(?:amp;)?platform=x"', text)
    assert len(handles) == 5 and len({h[:3] for h in handles}) == 1  # one planted group
    assert 'data-testid="item-row" data-network="co-repost"' in text
    assert 'href="/listen/posts/' in text  # the shared post and the members' posts
    chart = json.loads(re.search(r'id="coordination-data">(.*?)</script>', text, re.S)[1])  # type: ignore[index]
    assert sum(chart["counts"]) == top.evidence["gap_count"] > 0
    assert len(chart["labels"]) == len(chart["counts"])
    assert client.get("/verify/coordination/clusters/999999").status_code == 404


def test_downloads_for_gephi(
    client: TestClient, engine: Engine, signed_in: Callable[[Role], str], detected: int
) -> None:
    signed_in(Role.ANALYST)
    top = store.list_clusters(engine, detected)[0]
    gexf = client.get(f"/verify/coordination/clusters/{top.id}/network")
    assert gexf.status_code == 200
    assert gexf.headers["content-type"].startswith("application/gexf+xml")
    assert f'coordination-cluster-{top.id}.gexf"' in gexf.headers["content-disposition"]
    root = ET.fromstring(gexf.text)
    assert len(root.findall(".//{http://gexf.net/1.3}node")) == 5
    graphml = client.get(f"/verify/coordination/runs/{detected}/network",
                         params={"format": "graphml"})  # fmt: skip
    assert graphml.status_code == 200 and "<graphml" in graphml.text
    every = sum(c.member_count for c in store.list_clusters(engine, detected))
    assert graphml.text.count("<node ") == every
    edges = client.get(f"/verify/coordination/runs/{detected}/network", params={"format": "csv"})
    assert edges.text.startswith("user_1,user_2,weight,co-repost,co-link")
    assert client.get(f"/verify/coordination/runs/{detected}/network",
                      params={"format": "pdf"}).status_code == 400  # fmt: skip


def test_api(
    client: TestClient, engine: Engine, signed_in: Callable[[Role], str], detected: int
) -> None:
    signed_in(Role.ANALYST)
    runs = client.get("/api/v1/coordination/runs").json()["items"]
    assert runs[0]["id"] == detected and runs[0]["cluster_count"] >= 2
    body = client.get(f"/api/v1/coordination/runs/{detected}").json()
    assert body["run"]["network"] == "combined"
    top = body["clusters"][0]
    assert top["score"] >= body["clusters"][-1]["score"]
    cluster = client.get(f"/api/v1/coordination/clusters/{top['id']}").json()
    assert cluster["signature"] == top["signature"] and cluster["new"] is False
    assert set(cluster["evidence"]["parts"]) == {"density", "weight", "speed", "share"}
    assert cluster["evidence"]["first_action"].startswith("2026-11-20T")
    missing = client.get("/api/v1/coordination/clusters/999999")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


def test_viewers_may_not_enter(client: TestClient, signed_in: Callable[[Role], str]) -> None:
    signed_in(Role.VIEWER)
    assert client.get("/verify/coordination").status_code == 403
    assert client.get("/api/v1/coordination/runs").status_code == 403
