"""The network view: the busiest accounts laid out on the server, ready to draw as SVG.

A browser draws a few hundred circles and a few thousand lines at once; a whole network of tens
of thousands of accounts is neither readable nor fast. So the view keeps the `top` accounts by
weighted degree (and every official account found), lays them out with igraph's
Fruchterman-Reingold (seeded: the same data gives the same picture), and scales the layout to a
fixed canvas. Colours are the communities' numbers (largest first); the template maps them to
CSS classes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from ediplomacy.integrity import network_graph as ng
from ediplomacy.integrity.polarization import Analysis, PolarizationError, display_handle

WIDTH, HEIGHT, MARGIN, TITLE = 1000, 700, 24, 16
COLOURS = 12  # on each platform, its 12 largest communities get a colour; the rest grey
MAX_EDGES = 4_000
LABELS = 15  # the busiest accounts are named on the picture; every one has a tooltip
DEFAULT_TOP, MAX_TOP = 300, 2_000
INSIDE_PULL = 8.0


@dataclass(frozen=True, slots=True)
class ViewNode:
    x: float
    y: float
    r: float
    community: int
    colour: int  # -1: a community without its own colour
    handle: str
    platform: str
    degree: int  # interactions, both ways
    official: bool
    labelled: bool


@dataclass(frozen=True, slots=True)
class ViewEdge:
    x1: float
    y1: float
    x2: float
    y2: float
    weight: int
    width: float
    across: bool  # between two communities


@dataclass(frozen=True, slots=True)
class NetworkView:
    width: int
    height: int
    nodes: tuple[ViewNode, ...]
    edges: tuple[ViewEdge, ...]
    shown: int  # accounts drawn
    total: int  # accounts in the network
    edges_total: int  # ties among the drawn accounts, before MAX_EDGES
    platforms: tuple[PlatformBox, ...]
    colours: dict[int, int]  # community -> colour; platforms never meet, so they share colours


def _chosen(analysis: Analysis, top: int) -> list[int]:
    strength = analysis.graph.graph.strength(weights="weight")
    accounts = analysis.graph.accounts
    order = sorted(range(len(accounts)), key=lambda v: (-strength[v], accounts[v]))
    chosen = set(order[:top]) | analysis.officials
    return sorted(chosen, key=lambda v: (-strength[v], accounts[v]))


def _layout(
    graph: ng.AccountGraph, membership: list[int], vertices: list[int]
) -> list[tuple[float, float]]:
    """Unit-square positions of `vertices`, in the order given."""
    ordered = sorted(vertices)  # igraph numbers a subgraph's vertices in id order
    sub = graph.graph.induced_subgraph(ordered, implementation="create_from_scratch")
    # Ties inside a community pull harder than ties across: communities read as groups.
    weights = [
        (1.0 + math.log(edge["weight"]))
        * (
            INSIDE_PULL
            if membership[ordered[edge.source]] == membership[ordered[edge.target]]
            else 1.0
        )
        for edge in sub.es
    ]
    with ng.seeded():
        layout = sub.layout_fruchterman_reingold(weights=weights or None, niter=1000)
    xs, ys = [p[0] for p in layout.coords], [p[1] for p in layout.coords]

    def unit(value: float, values: list[float]) -> float:
        low, high = min(values), max(values)
        return (value - low) / (high - low) if high > low else 0.5

    at = {vertex: (unit(x, xs), unit(y, ys)) for vertex, x, y in zip(ordered, xs, ys, strict=True)}
    return [at[vertex] for vertex in vertices]


@dataclass(frozen=True, slots=True)
class PlatformBox:
    """The part of the canvas one platform's accounts are drawn in (they never interact)."""

    platform: str
    x: float
    width: float
    accounts: int


def _boxes(graph: ng.AccountGraph, vertices: list[int]) -> dict[str, list[int]]:
    by_platform: dict[str, list[int]] = {}
    for vertex in vertices:
        by_platform.setdefault(graph.accounts[vertex][0], []).append(vertex)
    return dict(sorted(by_platform.items(), key=lambda item: (-len(item[1]), item[0])))


def community_colours(analysis: Analysis) -> dict[int, int]:
    """Each platform's communities, largest first, take the colours 0..11; the rest get -1."""
    platform_of = {
        community: analysis.graph.accounts[vertex][0]
        for vertex, community in enumerate(analysis.membership)
    }
    rank: dict[str, int] = {}
    colours = {}
    for community in sorted(platform_of):  # numbered by size, largest first
        platform = platform_of[community]
        position = rank.get(platform, 0)
        rank[platform] = position + 1
        colours[community] = position if position < COLOURS else -1
    return colours


def network_view(analysis: Analysis, *, top: int = DEFAULT_TOP) -> NetworkView:
    """The `top` busiest accounts and the official ones, laid out for an SVG canvas."""
    top = max(1, min(top, MAX_TOP))
    graph = analysis.graph
    chosen = _chosen(analysis, top)
    busiest = set(chosen[:LABELS])
    # Each platform gets a column as wide as the square root of its share of the accounts.
    platforms = _boxes(graph, chosen)
    total_root = sum(math.sqrt(len(members)) for members in platforms.values()) or 1.0
    boxes, vertices, points, left = [], [], [], 0.0
    for platform, members in platforms.items():
        width = WIDTH * math.sqrt(len(members)) / total_root
        boxes.append(PlatformBox(platform, round(left, 1), round(width, 1), len(members)))
        for vertex, (x, y) in zip(
            members, _layout(graph, analysis.membership, members), strict=True
        ):
            vertices.append(vertex)
            points.append(
                (
                    left + MARGIN + x * max(width - 2 * MARGIN, 1.0),
                    MARGIN + TITLE + y * (HEIGHT - 2 * MARGIN - TITLE),
                )
            )
        left += width
    strength = graph.graph.strength(weights="weight")
    biggest = max((strength[v] for v in vertices), default=1) or 1
    labelled = busiest | analysis.officials
    colours = community_colours(analysis)
    nodes = []
    position = {}
    for (x, y), vertex in zip(points, vertices, strict=True):
        community = analysis.membership[vertex]
        position[vertex] = (x, y)
        nodes.append(
            ViewNode(
                x=round(x, 1),
                y=round(y, 1),
                r=round(2.5 + 11 * math.sqrt(strength[vertex] / biggest), 1),
                community=community,
                colour=colours[community],
                handle=display_handle(graph.accounts[vertex], analysis.handles),
                platform=graph.accounts[vertex][0],
                degree=int(strength[vertex]),
                official=vertex in analysis.officials,
                labelled=vertex in labelled,
            )
        )
    edges = [
        (edge["weight"], edge.source, edge.target)
        for edge in graph.graph.es.select(_within=vertices)
    ]
    edges.sort(key=lambda item: (-item[0], item[1], item[2]))
    heaviest = max((w for w, _, _ in edges), default=1)
    drawn = tuple(
        ViewEdge(
            x1=round(position[a][0], 1),
            y1=round(position[a][1], 1),
            x2=round(position[b][0], 1),
            y2=round(position[b][1], 1),
            weight=weight,
            width=round(0.4 + 2.6 * math.sqrt(weight / heaviest), 2),
            across=analysis.membership[a] != analysis.membership[b],
        )
        for weight, a, b in edges[:MAX_EDGES]
    )
    # Draw the small circles last, so that a hub never hides the accounts around it.
    nodes.sort(key=lambda node: -node.r)
    return NetworkView(
        WIDTH,
        HEIGHT,
        tuple(nodes),
        drawn,
        len(nodes),
        len(graph.accounts),
        len(edges),
        tuple(boxes),
        colours,
    )


def write_graphml(analysis: Analysis, path: Path) -> None:
    """The whole network for Gephi and friends: accounts with community and official flag."""
    graph = analysis.graph.graph.copy()
    accounts = analysis.graph.accounts
    graph.vs["platform"] = [platform for platform, _ in accounts]
    graph.vs["external_id"] = [external_id for _, external_id in accounts]
    graph.vs["label"] = [display_handle(account, analysis.handles) for account in accounts]
    graph.vs["community"] = analysis.membership
    graph.vs["official"] = [vertex in analysis.officials for vertex in range(len(accounts))]
    try:
        graph.write_graphml(str(path))
    except OSError as error:
        raise PolarizationError(f"cannot write {path}: {error.strerror or error}") from None
