"""Polarization figures on graphs of known shape: communities, modularity, E-I, exposure, reach."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import igraph as ig
import pytest

from ediplomacy.integrity import network_graph as ng
from ediplomacy.integrity.network_view import MAX_EDGES, network_view, write_graphml
from ediplomacy.integrity.polarization import (
    MATRIX_COMMUNITIES,
    Analysis,
    Officials,
    analyze_interactions,
)
from ediplomacy.store.interactions import Interaction

AT = datetime(2026, 3, 1, tzinfo=UTC)


def clique(prefix: str, size: int, platform: str = "x") -> list[tuple[str, str, str]]:
    return [
        (platform, f"{prefix}{i}", f"{prefix}{j}") for i in range(size) for j in range(i + 1, size)
    ]


def two_groups() -> list[tuple[str, str, str]]:
    """Two dense groups of ten joined by a single tie."""
    return [*clique("a", 10), *clique("b", 10), ("x", "a0", "b0")]


def erdos_renyi(n: int, p: float, seed: int, platform: str = "x") -> list[tuple[str, str, str]]:
    """A G(n, p) random graph: every pair tied with probability p, no structure planted."""
    rng = random.Random(seed)
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n) if rng.random() < p]
    return [(platform, f"u{a}", f"u{b}") for a, b in pairs]


def interactions(rows: list[tuple[str, str, str]], kind: str = "repost") -> list[Interaction]:
    return [
        Interaction(kind, platform, source, target, AT, index, None)
        for index, (platform, source, target) in enumerate(rows, start=1)
    ]


def analysis_of(rows: list[tuple[str, str, str]], officials: tuple[str, ...] = ()) -> Analysis:
    handles = {(p, account): account for p, s, t in rows for account in (s, t)}
    return analyze_interactions(
        interactions(rows),
        traits={},
        facets={},
        handles=handles,
        officials=Officials.parse(officials),
        kinds=("repost",),
    )


def test_two_dense_groups_joined_by_one_tie_are_two_closed_communities() -> None:
    graph = ng.build_graph(two_groups())
    membership = ng.detect_communities(graph)
    index = graph.index()
    a = {membership[index[("x", f"a{i}")]] for i in range(10)}
    b = {membership[index[("x", f"b{i}")]] for i in range(10)}
    assert len(a) == len(b) == 1 and a != b
    # 91 ties, 1 across: Q = sum over both of (45/91 - (91/182)^2) = 0.4890...
    assert ng.stratified_modularity(graph, membership) == pytest.approx(0.489011, abs=1e-5)
    ei = ng.ei_figures(graph, membership)
    assert (ei.overall.internal, ei.overall.external) == (90, 1)
    assert ei.overall.ei_index == pytest.approx((1 - 90) / 91)
    assert ei.overall.ei_index < -0.97
    for ties in ei.by_community.values():
        assert (ties.internal, ties.external) == (45, 1)


def test_a_random_graph_has_low_modularity_and_mostly_crossing_ties() -> None:
    rows = erdos_renyi(200, 0.1, seed=7)
    graph = ng.build_graph(rows)
    membership = ng.detect_communities(graph)
    modularity = ng.stratified_modularity(graph, membership)
    assert modularity is not None and modularity < 0.3
    planted = ng.build_graph(two_groups())
    assert modularity < ng.stratified_modularity(planted, ng.detect_communities(planted)) - 0.15
    ei = ng.ei_figures(graph, membership).overall.ei_index
    assert ei is not None and ei > 0  # several communities, ties fall across them


def test_communities_are_reproducible_whatever_the_global_random_state() -> None:
    rows = erdos_renyi(150, 0.08, seed=3)
    random.seed(1)
    first = ng.detect_communities(ng.build_graph(rows))
    random.seed(99)
    second = ng.detect_communities(ng.build_graph(rows))
    assert first == second
    sizes = [first.count(c) for c in range(max(first) + 1)]
    assert sizes == sorted(sizes, reverse=True)  # numbered largest first


def test_platforms_are_kept_apart_in_the_headline_modularity() -> None:
    """Two platforms can never interact: the split alone must not read as polarization."""
    x = erdos_renyi(80, 0.15, seed=5, platform="x")
    bluesky = erdos_renyi(80, 0.15, seed=5, platform="bluesky")
    alone = ng.build_graph(x)
    q_alone = ng.stratified_modularity(alone, ng.detect_communities(alone))
    both = ng.build_graph([*x, *bluesky])
    membership = ng.detect_communities(both)
    assert {both.accounts[v][0] for v in range(len(membership)) if membership[v] == 0} in (
        {"x"},
        {"bluesky"},
    )  # no community spans platforms
    stratified = ng.stratified_modularity(both, membership)
    whole = ng.whole_modularity(both, membership)
    assert q_alone is not None and stratified is not None and whole is not None
    assert stratified == pytest.approx(q_alone, abs=1e-9)  # two copies: the same figure
    assert whole > stratified + 0.05  # the plain figure counts the platform split


def test_self_interactions_are_left_out_and_weights_add_up_both_ways() -> None:
    graph = ng.build_graph([("x", "a", "a"), ("x", "a", "b"), ("x", "b", "a"), ("x", "a", "b")])
    assert graph.graph.vcount() == 2 and graph.graph.ecount() == 1
    assert graph.graph.es[0]["weight"] == 3
    index = graph.index()
    assert graph.directed[(index[("x", "a")], index[("x", "b")])] == 2


def test_exposure_matrix_and_received_from_outside() -> None:
    analysis = analysis_of([*two_groups(), ("x", "b1", "a0"), ("x", "b2", "a0")])
    report = analysis.report
    assert report.community_count == 2
    counts = report.exposure.counts
    assert sum(map(sum, counts)) == report.interactions == 45 * 2 + 3
    community_a = analysis.membership[analysis.graph.index()[("x", "a0")]]
    community_b = 1 - community_a
    assert counts[community_b][community_a] == 2  # b1 and b2 reposted a0
    assert counts[community_a][community_b] == 1  # a0 reposted b0
    by_id = {c.id: c for c in report.communities}
    assert by_id[community_a].received == 45 + 2
    assert by_id[community_a].outside_share == pytest.approx(2 / 47)
    shares = report.exposure.shares()
    assert shares[community_b][community_a] == pytest.approx(2 / 47)


def test_exposure_pools_small_communities_as_other() -> None:
    rows = []
    for group in range(MATRIX_COMMUNITIES + 3):
        rows += clique(f"g{group}-", 5)
        rows.append(("x", f"g{group}-0", f"g{(group + 1) % (MATRIX_COMMUNITIES + 3)}-1"))
    report = analysis_of(rows).report
    assert report.community_count == MATRIX_COMMUNITIES + 3
    assert report.exposure.communities[-1] is None
    assert len(report.exposure.counts) == MATRIX_COMMUNITIES + 1
    assert sum(map(sum, report.exposure.counts)) == report.interactions


def test_reach_counts_interactions_from_outside_the_official_community() -> None:
    reposts = [("x", f"a{i}", "a0") for i in range(2, 10)]  # a0's own community
    reposts += [("x", "b1", "a0"), ("x", "b2", "a0")]  # the other one
    reposts += [("x", "a1", "a0")]  # another official account: left out
    analysis = analysis_of([*two_groups(), *reposts], officials=("x:A0", "@a1"))
    reach = analysis.report.reach
    assert (reach.named, reach.found) == (2, 2)
    by_handle = {item.handle: item for item in reach.accounts}
    a0 = by_handle["@a0"]
    assert (a0.received, a0.from_outside) == (8 + 2, 2)
    assert a0.share == pytest.approx(0.2)
    a1 = by_handle["@a1"]  # only a0 (an official) acted on it in the clique's direction
    assert (a1.received, a1.from_outside, a1.share) == (0, 0, None)
    assert (reach.received, reach.from_outside) == (10, 2)
    assert reach.share == pytest.approx(0.2)
    assert reach.beyond_official == 2  # community b holds no official account


def test_reach_without_officials_says_so() -> None:
    reach = analysis_of(two_groups()).report.reach
    assert (reach.named, reach.found, reach.share) == (0, 0, None)


@pytest.mark.parametrize(
    ("entries", "platform", "handle", "expected"),
    [
        (["KemluSJ_demo"], "x", "kemlusj_demo", True),
        (["@KemluSJ_demo"], "bluesky", "KemluSJ_demo", True),
        (["x:KemluSJ_demo"], "bluesky", "KemluSJ_demo", False),
        (["mastodon:kemlu@diplomasi.example"], "mastodon", "Kemlu@diplomasi.example", True),
        (["mastodon:kemlu@diplomasi.example"], "mastodon", "kemlu", False),
        (["https://kemlu.example"], "x", "https://kemlu.example", True),  # not a platform prefix
        ([""], "x", "", False),
    ],
)
def test_official_names_match_handles(
    entries: list[str], platform: str, handle: str, expected: bool
) -> None:
    assert Officials.parse(entries).matches(platform, handle) is expected


def test_the_view_keeps_the_busiest_accounts_and_every_official_inside_the_canvas() -> None:
    rows = [*erdos_renyi(120, 0.06, seed=11), ("x", "quiet_official", "u0")]
    analysis = analysis_of(rows, officials=("quiet_official",))
    view = network_view(analysis, top=20)
    handles = {node.handle for node in view.nodes}
    assert "@quiet_official" in handles  # an official is always drawn
    assert view.shown == 21 and view.total == 121
    assert [node for node in view.nodes if node.official] == [
        node for node in view.nodes if node.handle == "@quiet_official"
    ]
    for node in view.nodes:
        assert 0 <= node.x <= view.width and 0 <= node.y <= view.height
    assert len(view.edges) <= MAX_EDGES and view.edges_total >= len(view.edges)
    again = network_view(analysis_of(rows, officials=("quiet_official",)), top=20)
    assert again.nodes == view.nodes  # seeded: the same data, the same picture


def test_the_view_gives_each_platform_its_own_column() -> None:
    rows = [*clique("a", 12, "x"), *clique("b", 5, "mastodon")]
    view = network_view(analysis_of(rows), top=100)
    boxes = {box.platform: box for box in view.platforms}
    assert set(boxes) == {"x", "mastodon"} and boxes["x"].width > boxes["mastodon"].width
    for node in view.nodes:
        box = boxes[node.platform]
        assert box.x <= node.x <= box.x + box.width
    assert not any(edge.across for edge in view.edges)  # two cliques, two communities
    # Platforms never meet, so each starts the palette again: both communities get colour 0.
    assert view.colours == {0: 0, 1: 0} and {node.colour for node in view.nodes} == {0}


def test_graphml_export_has_communities_and_officials(tmp_path: Path) -> None:
    analysis = analysis_of(two_groups(), officials=("a0",))
    path = tmp_path / "graph.graphml"
    write_graphml(analysis, path)
    graph = ig.Graph.Read_GraphML(str(path))
    assert graph.vcount() == 20 and graph.ecount() == 91
    labels = dict(zip(graph.vs["label"], graph.vs["community"], strict=True))
    assert labels["@a0"] != labels["@b0"]
    assert [label for label, flag in zip(graph.vs["label"], graph.vs["official"], strict=True)
            if flag] == ["@a0"]  # fmt: skip
