"""The account graph and its polarization figures: communities, modularity, E-I index, exposure.

Pure functions on an igraph graph; the definitions and formulas are in docs/polarization.md.

- The graph is undirected and weighted: the weight of a tie is the number of interactions
  between the two accounts, both ways. Self-interactions (a thread replying to itself) are
  left out. The directed counts are kept beside it for exposure and reach.
- Accounts on different platforms can never interact, so communities are found on each
  platform's graph on its own, and the headline modularity is each platform's modularity
  weighted by its share of the interactions, which is the modularity against a null model
  that keeps every interaction within its platform. Without that, the mere split between
  platforms would read as polarization.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import igraph as ig

SEED = 20_240_607
Account = tuple[str, str]  # (platform, external id)

# igraph draws from one process-wide generator; the lock keeps a seeded run seeded.
_RNG_LOCK = threading.Lock()


@contextmanager
def seeded(seed: int = SEED) -> Iterator[None]:
    """Run igraph's randomised algorithms with their own seeded generator."""
    with _RNG_LOCK:
        ig.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            ig.set_random_number_generator(random)


@dataclass
class AccountGraph:
    """Accounts as vertices (index = position in `accounts`), ties weighted by interactions."""

    accounts: list[Account]
    graph: ig.Graph
    directed: Counter[tuple[int, int]] = field(default_factory=Counter)  # (source, target) -> n

    @property
    def platforms(self) -> list[str]:
        return [platform for platform, _ in self.accounts]

    def index(self) -> dict[Account, int]:
        return {account: i for i, account in enumerate(self.accounts)}


def build_graph(interactions: Iterable[tuple[str, str, str]]) -> AccountGraph:
    """The graph of (platform, source account, target account) interactions."""
    index: dict[Account, int] = {}
    directed: Counter[tuple[int, int]] = Counter()
    for platform, source, target in interactions:
        if source == target:
            continue
        a = index.setdefault((platform, source), len(index))
        b = index.setdefault((platform, target), len(index))
        directed[(a, b)] += 1
    undirected: Counter[tuple[int, int]] = Counter()
    for (a, b), count in directed.items():
        undirected[(min(a, b), max(a, b))] += count
    pairs = sorted(undirected)
    graph = ig.Graph(n=len(index), edges=pairs)
    graph.es["weight"] = [undirected[pair] for pair in pairs]
    return AccountGraph(list(index), graph, directed)


def detect_communities(account_graph: AccountGraph, *, seed: int = SEED) -> list[int]:
    """Leiden communities (modularity objective, weighted) on each platform's graph, seeded.

    Communities are numbered by size, largest first (ties by their smallest vertex), so the
    same graph always gets the same numbers.
    """
    graph = account_graph.graph
    membership = [-1] * graph.vcount()
    by_platform: dict[str, list[int]] = {}
    for vertex, platform in enumerate(account_graph.platforms):
        by_platform.setdefault(platform, []).append(vertex)
    offset = 0
    for platform in sorted(by_platform):
        vertices = by_platform[platform]
        sub = graph.induced_subgraph(vertices, implementation="create_from_scratch")
        with seeded(seed):  # each platform on its own: one's partition never moves another's
            found = sub.community_leiden(
                objective_function="modularity", weights="weight", n_iterations=-1
            )
        for local, community in enumerate(found.membership):
            membership[vertices[local]] = offset + community
        offset += max(found.membership, default=-1) + 1
    return renumber_by_size(membership)


def renumber_by_size(membership: list[int]) -> list[int]:
    sizes = Counter(membership)
    first: dict[int, int] = {}
    for vertex, community in enumerate(membership):
        first.setdefault(community, vertex)
    order = sorted(sizes, key=lambda c: (-sizes[c], first[c]))
    rank = {community: position for position, community in enumerate(order)}
    return [rank[community] for community in membership]


def platform_modularity(account_graph: AccountGraph, membership: list[int]) -> dict[str, float]:
    """Each platform's weighted modularity of the partition; platforms with no tie left out."""
    graph = account_graph.graph
    found: dict[str, float] = {}
    for platform in sorted(set(account_graph.platforms)):
        vertices = [v for v, p in enumerate(account_graph.platforms) if p == platform]
        sub = graph.induced_subgraph(vertices, implementation="create_from_scratch")
        if sub.ecount() == 0:
            continue
        local = renumber_by_size([membership[v] for v in vertices])
        found[platform] = sub.modularity(local, weights="weight")
    return found


def stratified_modularity(account_graph: AccountGraph, membership: list[int]) -> float | None:
    """Sum over platforms of (platform's interactions / all interactions) x its modularity."""
    graph = account_graph.graph
    if graph.ecount() == 0:
        return None
    weight_of: Counter[str] = Counter()
    for edge in graph.es:
        weight_of[account_graph.accounts[edge.source][0]] += edge["weight"]
    total = sum(weight_of.values())
    per_platform = platform_modularity(account_graph, membership)
    return sum(weight_of[p] / total * q for p, q in per_platform.items())


def whole_modularity(account_graph: AccountGraph, membership: list[int]) -> float | None:
    """Plain weighted modularity of the whole graph (counts the platform split as structure)."""
    if account_graph.graph.ecount() == 0:
        return None
    return float(account_graph.graph.modularity(membership, weights="weight"))


@dataclass(frozen=True, slots=True)
class Ties:
    """Ties inside a group and across its border; E-I = (external - internal) / (both)."""

    internal: int = 0
    external: int = 0

    @property
    def ei_index(self) -> float | None:
        total = self.internal + self.external
        return (self.external - self.internal) / total if total else None


@dataclass(frozen=True, slots=True)
class EIFigures:
    overall: Ties  # each tie counted once
    weighted: Ties  # each interaction counted
    by_community: dict[int, Ties]  # a community's own ties, and those with one end outside


def ei_figures(account_graph: AccountGraph, membership: list[int]) -> EIFigures:
    """Krackhardt's E-I index, overall (ties and interactions) and per community."""
    internal = external = w_internal = w_external = 0
    inside: Counter[int] = Counter()
    across: Counter[int] = Counter()
    for edge in account_graph.graph.es:
        a, b = membership[edge.source], membership[edge.target]
        if a == b:
            internal += 1
            w_internal += edge["weight"]
            inside[a] += 1
        else:
            external += 1
            w_external += edge["weight"]
            across[a] += 1
            across[b] += 1
    communities = set(membership)
    return EIFigures(
        Ties(internal, external),
        Ties(w_internal, w_external),
        {c: Ties(inside[c], across[c]) for c in sorted(communities)},
    )


def exposure_counts(account_graph: AccountGraph, membership: list[int]) -> Counter[tuple[int, int]]:
    """(acting community, community acted on) -> interactions."""
    counts: Counter[tuple[int, int]] = Counter()
    for (source, target), count in account_graph.directed.items():
        counts[(membership[source], membership[target])] += count
    return counts


@dataclass(frozen=True, slots=True)
class Received:
    """Interactions an account or community received, and how many came from outside it."""

    total: int = 0
    from_outside: int = 0

    @property
    def outside_share(self) -> float | None:
        return self.from_outside / self.total if self.total else None


def received_by_community(counts: Counter[tuple[int, int]]) -> dict[int, Received]:
    """Cross-community exposure: each community's received interactions, and the outside part."""
    totals: Counter[int] = Counter()
    outside: Counter[int] = Counter()
    for (source, target), count in counts.items():
        totals[target] += count
        if source != target:
            outside[target] += count
    return {c: Received(totals[c], outside[c]) for c in sorted(totals)}


def received_by_account(
    account_graph: AccountGraph,
    membership: list[int],
    accounts: Iterable[int],
    *,
    ignore_sources: frozenset[int] = frozenset(),
) -> dict[int, Received]:
    """For each of `accounts`: interactions received, and those from outside its community.

    Interactions from `ignore_sources` (the other official accounts: the missions reposting
    the ministry) are not counted at all: they say nothing about reaching the public.
    """
    wanted = set(accounts)
    totals: Counter[int] = Counter()
    outside: Counter[int] = Counter()
    for (source, target), count in account_graph.directed.items():
        if target not in wanted or source in ignore_sources:
            continue
        totals[target] += count
        if membership[source] != membership[target]:
            outside[target] += count
    return {v: Received(totals[v], outside[v]) for v in sorted(wanted)}
