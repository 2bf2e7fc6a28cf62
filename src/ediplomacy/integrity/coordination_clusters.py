"""Coordinated clusters: communities of the combined coordination graph, scored, with evidence.

The graph: for each network, a pair of accounts weighs the smaller of its two directed weights
(what both sides share); the networks' weights are added; pairs under `min_weight` are left
out. Communities are found with Leiden (modularity, igraph, a fixed seed so the same data gives
the same clusters); communities of at least MIN_MEMBERS accounts are clusters.

The coordination score of a cluster, 0-100, is the mean of four parts, each 0-1:

- density: the share of member pairs joined by an edge;
- weight: 1 - exp(-mean edge weight / 5) (an edge of weight 5 gives 0.63, of 15 gives 0.95);
- speed: 1 - median seconds between the members' co-actions / window;
- share: the share of the members' posts that are co-actions with another member.

score = 100 * (density + weight + speed + share) / 4
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ediplomacy.integrity.coordination_engine import sum_by_code
from ediplomacy.integrity.coordination_evidence import Evidence, gather_evidence
from ediplomacy.integrity.coordination_model import Edges, Events, IntArray, Network

MIN_MEMBERS = 3
SEED = 20_240_401
WEIGHT_SCALE = 5.0


@dataclass
class Graph:
    """The thresholded undirected graph over all accounts of the networks."""

    names: list[str]  # every account of every network, sorted
    handles: list[str]
    first: IntArray  # codes into names, first < second
    second: IntArray
    weight: IntArray
    per_network: dict[str, IntArray] = field(default_factory=dict)  # weight of each network

    def __len__(self) -> int:
        return len(self.weight)


@dataclass
class Cluster:
    members: list[str]  # account keys, sorted
    signature: str
    score: float
    density: float
    mean_weight: float
    edges: int
    evidence: Evidence

    @property
    def parts(self) -> dict[str, float]:
        return score_parts(
            self.density, self.mean_weight, self.evidence.median_gap, self.evidence.window,
            self.evidence.share,
        )  # fmt: skip


@dataclass
class Detection:
    graph: Graph
    clusters: list[Cluster]
    membership: dict[str, int]  # account key -> cluster index, for the accounts in clusters
    modularity: float | None
    window: float
    min_weight: int
    networks: list[str]


def signature_of(members: Sequence[str]) -> str:
    """sha256 of the sorted member keys, one per line: the same accounts, the same signature."""
    return hashlib.sha256("\n".join(sorted(members)).encode("utf-8")).hexdigest()


def score_parts(
    density: float, mean_weight: float, median_gap: float, window: float, share: float
) -> dict[str, float]:
    speed = 1.0 if window <= 0 else max(0.0, 1.0 - median_gap / window)
    return {
        "density": density,
        "weight": 1.0 - math.exp(-mean_weight / WEIGHT_SCALE),
        "speed": speed,
        "share": share,
    }


def coordination_score(parts: Mapping[str, float]) -> float:
    return round(100.0 * sum(parts.values()) / 4.0, 1)


def _mutual(edges: Edges, to_global: IntArray, shift: int) -> tuple[IntArray, IntArray]:
    """Undirected (code, weight): the smaller of the two directions; pairs seen one way only
    are left out."""
    a = to_global[edges.first]
    b = to_global[edges.second]
    low, high = np.minimum(a, b), np.maximum(a, b)
    keep = low != high
    codes = (low[keep] << shift) | high[keep]
    weights = edges.weight[keep].astype(np.int64)
    bits = max(int(weights.max()).bit_length(), 1) if weights.size else 1
    packed = np.sort((codes << bits) | weights)
    codes, weights = packed >> bits, packed & ((1 << bits) - 1)
    both = np.flatnonzero(codes[1:] == codes[:-1])  # sorted by weight: the first is the smaller
    return codes[both], weights[both]


def combined_graph(networks: Mapping[str, tuple[Events, Edges]], min_weight: int) -> Graph:
    """The networks' mutual weights added up, thresholded at `min_weight`."""
    handle_of: dict[str, str] = {}
    for events, _ in networks.values():
        for index, name in enumerate(events.names):
            if events.handles and events.handles[index]:
                handle_of.setdefault(name, events.handles[index])
            else:
                handle_of.setdefault(name, "")
    names = sorted(handle_of)
    position = {name: index for index, name in enumerate(names)}
    shift = max(1, (len(names) - 1).bit_length())
    parts: dict[str, tuple[IntArray, IntArray]] = {}
    for network, (events, edges) in networks.items():
        to_global = np.asarray([position[name] for name in events.names], dtype=np.int64)
        parts[network] = _mutual(edges, to_global, shift) if len(edges) else (
            np.empty(0, np.int64), np.empty(0, np.int64))  # fmt: skip
    all_codes = [codes for codes, _ in parts.values()]
    all_weights = [weights for _, weights in parts.values()]
    if not any(codes.size for codes in all_codes):
        nothing = np.empty(0, np.int64)
        return Graph(names, [handle_of[n] for n in names], nothing, nothing, nothing)
    codes, weights = sum_by_code(np.concatenate(all_codes), np.concatenate(all_weights))
    keep = weights >= min_weight
    codes, weights = codes[keep], weights[keep]
    per_network = {}
    for network, (network_codes, network_weights) in parts.items():
        found = np.zeros(codes.size, dtype=np.int64)
        at = np.searchsorted(codes, network_codes)
        inside = at < codes.size
        inside[inside] = codes[at[inside]] == network_codes[inside]
        found[at[inside]] = network_weights[inside]
        per_network[network] = found
    mask = (1 << shift) - 1
    return Graph(names, [handle_of[n] for n in names], codes >> shift, codes & mask, weights,
                 per_network)  # fmt: skip


def communities(graph: Graph) -> tuple[IntArray, IntArray, float | None]:
    """(node codes, community per node, modularity) of the graph's non-isolated accounts."""
    import igraph

    if len(graph) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64), None
    nodes, inverse = np.unique(np.concatenate([graph.first, graph.second]), return_inverse=True)
    ends = inverse.reshape(2, -1).T
    g = igraph.Graph(n=len(nodes), edges=ends.tolist())
    g.es["weight"] = graph.weight.tolist()
    previous = igraph.set_random_number_generator(random.Random(SEED))
    try:
        found = g.community_leiden(
            objective_function="modularity", weights="weight", n_iterations=-1
        )
    finally:
        igraph.set_random_number_generator(previous or random)
    membership = np.asarray(found.membership, dtype=np.int64)
    return nodes, membership, float(g.modularity(found.membership, weights="weight"))


def find_clusters(
    networks: Mapping[str, tuple[Events, Edges]],
    *,
    window: float,
    min_weight: int,
    posts_per_account: Mapping[str, int] | None = None,
    min_members: int = MIN_MEMBERS,
) -> Detection:
    """Clusters of the combined graph of these networks, best score first."""
    graph = combined_graph(networks, min_weight)
    nodes, membership, modularity = communities(graph)
    clusters: list[Cluster] = []
    for community in np.unique(membership).tolist():
        member_codes = nodes[membership == community]
        if member_codes.size < min_members:
            continue
        inside = np.isin(graph.first, member_codes) & np.isin(graph.second, member_codes)
        m = int(member_codes.size)
        members = [graph.names[code] for code in member_codes.tolist()]
        evidence = gather_evidence(
            networks, members, window=window, posts_per_account=posts_per_account or {},
            handles={name: graph.handles[code] for name, code in
                     zip(members, member_codes.tolist(), strict=True)},
            degrees=_degrees(graph, member_codes, inside),
        )  # fmt: skip
        density = float(inside.sum()) / (m * (m - 1) / 2)
        mean_weight = float(graph.weight[inside].mean()) if inside.any() else 0.0
        parts = score_parts(density, mean_weight, evidence.median_gap, window, evidence.share)
        clusters.append(
            Cluster(sorted(members), signature_of(members), coordination_score(parts),
                    round(density, 4), round(mean_weight, 2), int(inside.sum()), evidence)
        )  # fmt: skip
    clusters.sort(key=lambda cluster: (-cluster.score, cluster.signature))
    where = {name: index for index, cluster in enumerate(clusters) for name in cluster.members}
    return Detection(graph, clusters, where, modularity, window, min_weight, list(networks))


def _degrees(graph: Graph, member_codes: IntArray, inside: np.ndarray) -> dict[str, int]:
    ends = np.concatenate([graph.first[inside], graph.second[inside]])
    codes, counts = np.unique(ends, return_counts=True)
    found = dict(zip(codes.tolist(), counts.tolist(), strict=True))
    return {graph.names[code]: int(found.get(code, 0)) for code in member_codes.tolist()}


def networks_of(names: Sequence[str | Network]) -> list[Network]:
    return [Network(name) for name in names]
