"""What the coordination pages and API show: runs, their clusters, one cluster's evidence, and
the clusters' network as a file (GEXF, GraphML, CSV) for Gephi."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ediplomacy.domain.errors import NotFound
from ediplomacy.integrity.coordination_export import Format, GraphFile, Node, write_graph
from ediplomacy.store import coordination as store
from ediplomacy.store.coordination import ClusterRow, RunRow

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def runs(engine: Engine, *, limit: int = 20) -> list[RunRow]:
    return store.list_runs(engine, limit=limit)


def run_with_clusters(engine: Engine, run_id: int | None) -> tuple[RunRow | None, list[ClusterRow]]:
    """A run (the latest when None) and its clusters, highest score first; NotFound if none."""
    if run_id is None:
        run_id = store.latest_run_id(engine)
        if run_id is None:
            return None, []
    run = store.get_run(engine, run_id)
    if run is None:
        raise NotFound(f"no coordination run {run_id}")
    return run, store.list_clusters(engine, run_id)


def cluster(engine: Engine, cluster_id: int) -> ClusterRow:
    found = store.get_cluster(engine, cluster_id)
    if found is None:
        raise NotFound(f"no coordinated cluster {cluster_id}")
    return found


def _stamp(value: float | None) -> str | None:
    return None if value is None else datetime.fromtimestamp(value, UTC).isoformat()


def cluster_json(row: ClusterRow) -> dict[str, Any]:
    """A cluster for the API: members, score and its parts, the evidence."""
    evidence = dict(row.evidence)
    evidence["first_action"] = _stamp(evidence.get("first_action"))
    evidence["last_action"] = _stamp(evidence.get("last_action"))
    return {
        "id": row.id,
        "run_id": row.run_id,
        "signature": row.signature,
        "score": row.score,
        "member_count": row.member_count,
        "new": row.is_new,
        "first_found_at": row.first_found_at.isoformat(),
        "members": row.members,
        "evidence": evidence,
    }


def run_json(run: RunRow) -> dict[str, Any]:
    data = run._asdict()
    return {key: value.isoformat() if isinstance(value, datetime) else value
            for key, value in data.items()}  # fmt: skip


def clusters_graph(clusters: list[ClusterRow], description: str) -> GraphFile:
    """The clusters' members and the links between them, each member with its cluster (the
    cluster id) and score."""
    nodes: dict[str, Node] = {}
    edges = []
    networks: list[str] = []
    for row in clusters:
        networks += [n for n in row.evidence.get("networks_used", []) if n not in networks]
        for member in row.members:
            node = Node(member["key"], member.get("handle", ""), member.get("platform", ""),
                        row.id, row.score)  # fmt: skip
            nodes.setdefault(member["key"], node)
        for source, target, weight, per in row.evidence.get("graph_edges", []):
            edges.append((source, target, int(weight), per))
            networks += [name for name in per if name not in networks]
    return GraphFile(list(nodes.values()), edges, directed=False, networks=networks,
                     description=description)  # fmt: skip


def network_file(clusters: list[ClusterRow], fmt: Format, description: str) -> str:
    out = io.StringIO()
    write_graph(clusters_graph(clusters, description), fmt, out)
    return out.getvalue()


def histogram_rows(row: ClusterRow) -> list[tuple[str, int]]:
    """(bin label in seconds, co-actions) for the seconds-between-actions chart and table."""
    histogram = row.evidence.get("histogram") or {}
    edges, counts = histogram.get("edges", []), histogram.get("counts", [])
    return [(f"{edges[i]:g}-{edges[i + 1]:g}", int(counts[i])) for i in range(len(counts))]


def cluster_items(row: ClusterRow) -> list[dict[str, Any]]:
    """The shared items with their first action as a moment (for display)."""
    return [
        {**item, "first_at": datetime.fromtimestamp(item["first"], UTC)}
        for item in row.evidence.get("items", [])
    ]
