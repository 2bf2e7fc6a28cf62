"""Clusters of the combined coordination graph: found, scored, stored, alerted once."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.integrity.coordination import (
    Network,
    edges_of,
    events_of,
    messages_from_database,
)
from ediplomacy.integrity.coordination_clusters import (
    combined_graph,
    coordination_score,
    find_clusters,
    score_parts,
    signature_of,
)
from ediplomacy.integrity.coordination_detect import detect, detect_clusters
from ediplomacy.listen import watch
from ediplomacy.store import coordination as store
from tests.integrity.coordination_rows import planted
from tests.integrity.coordination_rows import store as store_posts

NETWORKS = [Network.CO_REPOST, Network.CO_LINK, Network.CO_HASHTAG, Network.CO_SIMILAR]


def _group_of(key: str) -> str:
    return key.split(":")[1][:2] if key.split(":")[1].startswith("g") else "-"


def test_planted_groups_are_the_clusters(sqlite_engine: Engine) -> None:
    store_posts(sqlite_engine, planted())
    messages = list(messages_from_database(sqlite_engine))
    detection, space = detect(messages, NETWORKS, window=60, min_weight=3)
    assert space is None  # no engine given: text only
    found = [sorted({_group_of(m) for m in cluster.members}) for cluster in detection.clusters]
    assert found[:2] in ([["g1"], ["g2"]], [["g2"], ["g1"]])
    for cluster in detection.clusters[:2]:
        assert len(cluster.members) == 5 and cluster.density == 1.0
        assert cluster.score >= 80
        evidence = cluster.evidence
        assert 0 < evidence.median_gap <= 12  # copies come 2-3 s apart per member
        assert {"co-repost", "co-link", "co-hashtag", "co-similar"} <= set(evidence.networks)
        assert evidence.items[0].actions >= 2 and evidence.items[0].members >= 2
        assert sum(evidence.histogram["counts"]) == evidence.gap_count
        assert evidence.first_action is not None and evidence.last_action is not None
        assert evidence.share > 0.8  # their posts are nearly all co-actions
        assert cluster.score == coordination_score(cluster.parts)
    assert all(cluster.score < 60 for cluster in detection.clusters[2:])


def test_score_formula() -> None:
    parts = score_parts(density=1.0, mean_weight=5.0, median_gap=15.0, window=60.0, share=0.5)
    assert parts == {"density": 1.0, "weight": 1 - math.exp(-1), "speed": 0.75, "share": 0.5}
    assert coordination_score(parts) == round(100 * (1 + 1 - math.exp(-1) + 0.75 + 0.5) / 4, 1)
    assert score_parts(0, 0, 5, 0, 0)["speed"] == 1.0  # window 0: every co-action is at once


def test_signature_is_the_sorted_member_set() -> None:
    assert signature_of(["x:b", "x:a"]) == signature_of(["x:a", "x:b"])
    assert signature_of(["x:a", "x:b"]) != signature_of(["x:a", "x:c"])
    assert len(signature_of(["x:a"])) == 64


def test_combined_graph_takes_the_smaller_direction_and_adds_networks(
    sqlite_engine: Engine,
) -> None:
    store_posts(sqlite_engine, planted(groups=1, bursts=2))
    messages = list(messages_from_database(sqlite_engine))
    networks = {}
    for network in (Network.CO_REPOST, Network.CO_LINK):
        events = events_of(messages, network)
        networks[network.value] = (events, edges_of(events, window=60))
    graph = combined_graph(networks, min_weight=1)
    assert (graph.first < graph.second).all()
    total = sum(graph.per_network.values())
    assert isinstance(total, np.ndarray) and (total == graph.weight).all()
    strict = combined_graph(networks, min_weight=int(graph.weight.max()) + 1)
    assert len(strict) == 0
    assert find_clusters(networks, window=60, min_weight=10**6).clusters == []


def test_detect_clusters_stores_runs_and_alerts_new_clusters_once(
    engine: Engine, tmp_path: Path
) -> None:
    store_posts(engine, planted())
    settings = Settings(
        data_dir=tmp_path, coordination_networks=["co-repost", "co-link", "co-similar"],
        alert_webhook_url="https://hooks.example/desk",
    )  # fmt: skip
    first = detect_clusters(engine, settings)
    assert first.clusters >= 2 and first.new_clusters == first.clusters
    assert len(first.alerts) == 2  # the two planted groups; the rest score under 60
    runs = store.list_runs(engine)
    assert [(run.id, run.cluster_count, run.new_count) for run in runs] == [
        (first.run_id, first.clusters, first.clusters)
    ]
    clusters = store.list_clusters(engine, first.run_id)
    assert [c.score for c in clusters] == sorted((c.score for c in clusters), reverse=True)
    top = clusters[0]
    assert top.is_new and top.member_count == 5
    assert {m["handle"] for m in top.members} <= {f"h_g{g}m{k}" for g in (1, 2) for k in range(5)}
    assert top.evidence["items"] and top.evidence["graph_edges"]
    assert top.evidence["networks_used"] == ["co-repost", "co-link", "co-similar"]
    alerts, _ = watch.list_alerts(engine, limit=20)
    links = {alert.details["link"] for alert in alerts if alert.kind == "coordinated_cluster"}
    assert f"/verify/coordination/clusters/{top.id}" in links

    again = detect_clusters(engine, settings)  # the same data: the same clusters, not new
    assert (again.new_clusters, again.alerts) == (0, [])
    for old, new in zip(clusters, store.list_clusters(engine, again.run_id), strict=True):
        assert (new.signature, new.first_found_at) == (old.signature, old.first_found_at)
        assert not new.is_new
    assert store.get_cluster(engine, top.id) == top
    assert store.get_cluster(engine, 10**9) is None


@pytest.mark.parametrize("networks", [["co-repost"], ["co-similar"]])
def test_detect_with_one_network_names_the_run_after_it(
    sqlite_engine: Engine, tmp_path: Path, networks: list[str]
) -> None:
    store_posts(sqlite_engine, planted())
    settings = Settings(data_dir=tmp_path, coordination_networks=networks)
    summary = detect_clusters(sqlite_engine, settings)
    run = store.get_run(sqlite_engine, summary.run_id)
    assert run is not None and run.network == networks[0]
    assert summary.clusters >= 2
