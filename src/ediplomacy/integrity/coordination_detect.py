"""The coordination detector on the stored posts: the configured networks, clusters kept, new
ones alerted.

`detect_clusters(engine, settings)` is what `ediplomacy coordination detect`, the demo and the
server's periodic check call. Each call stores a run and its clusters. A cluster's signature is
the sha256 of its sorted member keys; when a signature was found by an earlier run, its
`first_found_at` is kept, so a cluster is *new* only the first time its exact member set
appears. A new cluster whose score reaches EDIPLOMACY_COORDINATION_ALERT_SCORE raises one
integrity alert (keyed by the signature, so never twice).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from ediplomacy.integrity.coordination import edges_of, events_of, messages_from_database
from ediplomacy.integrity.coordination_clusters import Cluster, Detection, find_clusters
from ediplomacy.integrity.coordination_model import Events, Message, Network
from ediplomacy.integrity.coordination_similar import (
    VECTOR_SIMILARITY,
    candidates_of,
    similar_events,
)
from ediplomacy.store import coordination as store
from ediplomacy.store.timeutil import utcnow

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from ediplomacy.config import Settings

COMBINED = "combined"  # the run's network when several were combined


@dataclass(frozen=True)
class DetectionSummary:
    run_id: int
    networks: list[str]
    posts: int
    nodes: int
    edges: int
    clusters: int
    new_clusters: int
    alerts: list[int] = field(default_factory=list)
    space: str | None = None  # the vector space co-similar used, if any
    seconds: float = 0.0


def _space(engine: Engine, post_ids: Sequence[int]) -> tuple[str | None, dict[int, bytes]]:
    """The vector space most of these posts have (accurate first), and their vectors in it."""
    for space in VECTOR_SIMILARITY:
        found = store.post_vectors_of(engine, space, post_ids)
        if post_ids and len(found) * 2 >= len(post_ids):
            return space, found
    return None, {}


def similar_database_events(
    engine: Engine | None, messages: Sequence[Message], window: float
) -> tuple[Events, str | None]:
    """Co-similar events: by text, and by the stored vectors when most posts have them."""
    found = candidates_of(messages)
    post_ids = [post_id for post_id in (found.post_ids or []) if post_id >= 0]
    if engine is None or not post_ids:
        return similar_events(found, window), None
    space, blobs = _space(engine, post_ids)
    if space is None:
        return similar_events(found, window), None
    rows = [blobs.get(post_id) for post_id in found.post_ids or []]
    with_vector = np.asarray([blob is not None for blob in rows], dtype=bool)
    dim = next(len(blob) for blob in rows if blob is not None) // 2
    matrix = np.zeros((len(rows), dim), dtype=np.float32)
    for index, blob in enumerate(rows):
        if blob is not None and len(blob) == dim * 2:
            matrix[index] = np.frombuffer(blob, dtype=np.float16)
    events = similar_events(found, window, vectors=matrix, with_vector=with_vector, space=space)
    return events, space


def detect(
    messages: Sequence[Message],
    networks: Sequence[Network],
    *,
    window: float,
    min_weight: int,
    engine: Engine | None = None,
) -> tuple[Detection, str | None]:
    """Clusters over these messages: each network's edges, combined, communities, scores."""
    computed: dict[str, tuple[Events, Any]] = {}
    space = None
    for network in networks:
        if network is Network.CO_SIMILAR:
            events, space = similar_database_events(engine, messages, window)
        else:
            events = events_of(messages, network)
        computed[network.value] = (events, edges_of(events, window=window))
    posts = Counter(message.user_id for message in messages)
    detection = find_clusters(computed, window=window, min_weight=min_weight,
                              posts_per_account=posts)  # fmt: skip
    return detection, space


def _stamp(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def cluster_record(cluster: Cluster, detection: Detection, space: str | None) -> dict[str, Any]:
    """A cluster as stored: members with their evidence, and the evidence of the whole."""
    graph = detection.graph
    codes = {name: index for index, name in enumerate(graph.names)}
    member_codes = np.asarray([codes[name] for name in cluster.members], dtype=np.int64)
    inside = np.flatnonzero(
        np.isin(graph.first, member_codes) & np.isin(graph.second, member_codes)
    )
    edges = [
        [graph.names[int(graph.first[i])], graph.names[int(graph.second[i])],
         int(graph.weight[i]),
         {network: int(weights[i]) for network, weights in graph.per_network.items()
          if weights[i]}]
        for i in inside.tolist()
    ]  # fmt: skip
    members = [
        {"key": m.key, "handle": m.handle, "platform": m.key.partition(":")[0],
         "co_actions": m.co_actions, "posts": m.posts, "degree": m.degree}
        for m in cluster.evidence.members
    ]  # fmt: skip
    evidence = {
        **cluster.evidence.to_json(),
        "members": None,  # kept in the members column
        "density": cluster.density,
        "mean_weight": cluster.mean_weight,
        "edges": cluster.edges,
        "parts": {name: round(value, 4) for name, value in cluster.parts.items()},
        "networks_used": detection.networks,
        "min_weight": detection.min_weight,
        "space": space,
        "graph_edges": edges,
    }
    evidence.pop("members")
    return {"members": members, "evidence": evidence}


def _label_reposted(engine: Engine, detection: Detection) -> None:
    """Shared reposted/replied-to posts shown with their text and page, when stored."""
    wanted = {
        item.item.partition(":")[::2]
        for cluster in detection.clusters
        for item in cluster.evidence.items
        if item.kind == "post" and ":" in item.item
    }
    found = store.posts_by_key(engine, sorted(wanted))
    for cluster in detection.clusters:
        for item in cluster.evidence.items:
            platform, _, key = item.item.partition(":")
            hit = found.get((platform, key)) if item.kind == "post" else None
            if hit:
                item.label = hit[1][:200]
                item.post_ids = [hit[0], *item.post_ids]


def detect_clusters(
    engine: Engine,
    settings: Settings,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> DetectionSummary:
    """Compute the configured networks over the stored posts, store the run and its clusters,
    alert the new ones (see the module docstring)."""
    from ediplomacy.integrity.alerting import COORDINATED_CLUSTER, raise_alert
    from ediplomacy.listen.alerts import Targets

    started = time.perf_counter()
    networks = [Network(name) for name in settings.coordination_networks]
    window = float(settings.coordination_window_s)
    messages = list(messages_from_database(engine, since=since, until=until))
    detection, space = detect(
        messages, networks, window=window, min_weight=settings.coordination_min_weight,
        engine=engine,
    )  # fmt: skip
    _label_reposted(engine, detection)
    targets = Targets.from_settings(settings.alert_webhook_url, settings.alert_email_to)
    now = utcnow()
    alerts: list[int] = []
    new = 0
    with engine.begin() as conn:
        earlier = store.first_found(conn, [cluster.signature for cluster in detection.clusters])
        nodes = np.unique(np.concatenate([detection.graph.first, detection.graph.second]))
        run_id = store.insert_run(
            conn,
            {
                "network": networks[0].value if len(networks) == 1 else COMBINED,
                "window_s": int(window),
                "min_weight": settings.coordination_min_weight,
                "since": since,
                "until": until,
                "node_count": int(nodes.size),
                "edge_count": len(detection.graph),
                "modularity": detection.modularity,
                "computed_at": now,
            },
        )
        for cluster in detection.clusters:
            record = cluster_record(cluster, detection, space)
            cluster_id = store.insert_cluster(
                conn,
                {
                    "run_id": run_id,
                    "signature": cluster.signature,
                    "score": cluster.score,
                    "member_count": len(cluster.members),
                    "first_found_at": earlier.get(cluster.signature, now),
                    **record,
                },
            )
            if cluster.signature in earlier:
                continue
            new += 1
            if cluster.score < settings.coordination_alert_score:
                continue
            evidence = cluster.evidence
            first = _stamp(evidence.first_action) or now
            last = _stamp(evidence.last_action) or now
            alert_id = raise_alert(
                conn,
                kind=COORDINATED_CLUSTER,
                key=cluster.signature,
                title=f"Coordinated cluster: {len(cluster.members)} accounts, "
                f"score {cluster.score:.0f}",
                link=f"/verify/coordination/clusters/{cluster_id}",
                window=(first, last),
                observed=len(cluster.members),
                expected=0,
                score=cluster.score,
                details={
                    "cluster_id": cluster_id,
                    "run_id": run_id,
                    "handles": [m.handle or m.key for m in evidence.members[:10]],
                    "median_gap_s": evidence.median_gap,
                    "networks": sorted(evidence.networks),
                },
                targets=targets,
            )
            if alert_id is not None:
                alerts.append(alert_id)
    return DetectionSummary(
        run_id, [network.value for network in networks], len(messages), int(nodes.size),
        len(detection.graph), len(detection.clusters), new, alerts, space,
        round(time.perf_counter() - started, 2),
    )  # fmt: skip
