"""Polarization and echo chambers: communities of the repost/reply network and how closed they are.

`analyze()` reads the interactions of a time window (optionally one narrative's) and reports
modularity, the E-I index, each community with a label, the community-by-community exposure
matrix and whether the ministry's own accounts reach beyond their community.
`compute_polarization()` stores those figures per time window and per narrative in
`polarization_snapshots`, to follow them over time. Definitions: docs/polarization.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.domain.errors import EdiplomacyError, NotFound
from ediplomacy.domain.posts import PLATFORMS
from ediplomacy.integrity import network_graph as ng
from ediplomacy.nlp.profile import load_profile
from ediplomacy.store import interactions as store
from ediplomacy.store.aggregates import data_span
from ediplomacy.store.interactions import Interaction, PostTraits, Reading

TOP_COMMUNITIES = 12  # described one by one; the rest are counted
MATRIX_COMMUNITIES = 8  # rows and columns of the exposure matrix, the rest pooled as "other"
TOP_ACCOUNTS = 3
PAGE_DAYS = 7  # the web page without dates: the last week of data


class PolarizationError(EdiplomacyError):
    """A window, option or output a user gave cannot be used; the message says what to do."""


@dataclass(frozen=True, slots=True)
class Officials:
    """The ministry's accounts as the listening profile names them: handle, or platform:handle."""

    names: tuple[tuple[str | None, str], ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> Officials:
        names: list[tuple[str | None, str]] = []
        for entry in entries:
            platform, _, handle = entry.strip().partition(":")
            if not handle or platform.lower() not in PLATFORMS:
                platform, handle = "", entry.strip()
            handle = handle.strip().lstrip("@").lower()
            if handle:
                names.append((platform.lower() or None, handle))
        return cls(tuple(dict.fromkeys(names)))

    def matches(self, platform: str, handle: str | None) -> bool:
        if not handle:
            return False
        wanted = handle.lstrip("@").lower()
        return any(h == wanted and p in (None, platform) for p, h in self.names)


@dataclass(frozen=True, slots=True)
class CommunitySummary:
    id: int
    platform: str
    size: int
    label: str
    top_accounts: tuple[str, ...]
    hashtags: tuple[str, ...]
    languages: tuple[tuple[str, float], ...]  # code, share of the community's posts
    topics: tuple[str, ...]
    stance: dict[str, dict[str, int]]  # target -> favour/against/neutral -> posts
    sentiment: dict[str, int]
    internal_ties: int
    external_ties: int
    ei_index: float | None
    received: int  # reposts/replies/... its members received
    received_from_outside: int
    outside_share: float | None  # cross-community exposure
    officials: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AccountReach:
    platform: str
    handle: str
    community: int
    received: int
    from_outside: int
    share: float | None


@dataclass(frozen=True, slots=True)
class Reach:
    """Whether the official accounts' posts reach beyond their own community."""

    named: int  # accounts the profile names
    found: int  # of those, in the network
    received: int = 0  # interactions with official posts, other officials' left out
    from_outside: int = 0  # by accounts outside the official account's community
    beyond_official: int = 0  # by accounts of communities holding no official account
    accounts: tuple[AccountReach, ...] = ()

    @property
    def share(self) -> float | None:
        return self.from_outside / self.received if self.received else None

    @property
    def beyond_official_share(self) -> float | None:
        return self.beyond_official / self.received if self.received else None


@dataclass(frozen=True, slots=True)
class Exposure:
    """Interactions from the row's community to the column's; None stands for all others."""

    communities: tuple[int | None, ...] = ()
    counts: tuple[tuple[int, ...], ...] = ()

    def shares(self) -> list[list[float | None]]:
        """Each row as shares: where the row community's interactions go."""
        return [[n / sum(row) if sum(row) else None for n in row] for row in self.counts]


@dataclass(frozen=True, slots=True)
class PolarizationReport:
    since: datetime | None
    until: datetime | None
    narrative_id: int | None
    kinds: tuple[str, ...]
    first_at: datetime | None  # the first and last interaction seen
    last_at: datetime | None
    accounts: int
    ties: int
    interactions: int
    by_kind: dict[str, int]
    community_count: int
    largest_share: float | None  # the largest community's share of the accounts
    modularity: float | None  # platforms kept apart (see network_graph)
    modularity_whole: float | None
    platform_modularity: dict[str, float]
    ei_index: float | None  # over ties
    ei_index_weighted: float | None  # over interactions
    communities: tuple[CommunitySummary, ...]
    exposure: Exposure
    reach: Reach

    def figures(self) -> dict[str, Any]:
        """The JSON stored in a snapshot and served by the API."""
        body = asdict(self)
        for name in ("since", "until", "first_at", "last_at"):
            moment = body[name]
            body[name] = moment.isoformat() if moment else None
        body["exposure"]["shares"] = self.exposure.shares()
        body["reach"]["share"] = self.reach.share
        body["reach"]["beyond_official_share"] = self.reach.beyond_official_share
        return body


@dataclass
class Analysis:
    """A report and the graph it came from (the network view lays the graph out)."""

    report: PolarizationReport
    graph: ng.AccountGraph
    membership: list[int]
    handles: dict[ng.Account, str]
    officials: set[int] = field(default_factory=set)
    narratives: list[tuple[store.NarrativeName, PolarizationReport]] = field(default_factory=list)


def display_handle(account: ng.Account, handles: Mapping[ng.Account, str]) -> str:
    handle = handles.get(account)
    return f"@{handle.lstrip('@')}" if handle else account[1][:24]


def _summaries(
    analysis_graph: ng.AccountGraph,
    membership: list[int],
    handles: Mapping[ng.Account, str],
    officials: set[int],
    traits: Mapping[int, PostTraits],
    facets: Mapping[int, list[tuple[str, str]]],
    ei: ng.EIFigures,
    received: Mapping[int, ng.Received],
) -> list[CommunitySummary]:
    accounts = analysis_graph.accounts
    index = analysis_graph.index()
    in_weight: Counter[int] = Counter()
    for (_, target), count in analysis_graph.directed.items():
        in_weight[target] += count
    strength = analysis_graph.graph.strength(weights="weight")
    members: dict[int, list[int]] = {}
    for vertex, community in enumerate(membership):
        members.setdefault(community, []).append(vertex)
    posts_of: dict[int, list[int]] = {}
    for post_id, trait in traits.items():
        author = index.get((trait.platform, trait.author))
        if author is not None:
            posts_of.setdefault(membership[author], []).append(post_id)
    summaries = []
    for community in sorted(members)[:TOP_COMMUNITIES]:
        vertices = members[community]
        top = sorted(vertices, key=lambda v: (-in_weight[v], -strength[v], accounts[v]))
        top_accounts = tuple(display_handle(accounts[v], handles) for v in top[:TOP_ACCOUNTS])
        post_ids = posts_of.get(community, [])
        languages = Counter(str(traits[p].language) for p in post_ids if traits[p].language)
        hashtags = Counter(tag.lower() for p in post_ids for tag in set(traits[p].hashtags))
        sentiment = Counter(str(traits[p].sentiment) for p in post_ids if traits[p].sentiment)
        topics: Counter[str] = Counter()
        stance: dict[str, Counter[str]] = {}
        for post_id in post_ids:
            for facet, value in facets.get(post_id, ()):
                if facet == "topic":
                    topics[value] += 1
                elif facet.startswith("stance:"):
                    stance.setdefault(facet.removeprefix("stance:"), Counter())[value] += 1
        total_languages = sum(languages.values())
        top_languages = tuple(
            (code, round(count / total_languages, 3)) for code, count in languages.most_common(3)
        )
        top_tags = tuple(f"#{tag}" for tag, _ in hashtags.most_common(3))
        label = " · ".join(
            part
            for part in (
                ", ".join(top_accounts[:2]),
                " ".join(top_tags[:2]),
                "/".join(code for code, _ in top_languages[:2]),
            )
            if part
        )
        ties = ei.by_community.get(community, ng.Ties())
        got = received.get(community, ng.Received())
        summaries.append(
            CommunitySummary(
                id=community,
                platform=accounts[vertices[0]][0],
                size=len(vertices),
                label=label,
                top_accounts=top_accounts,
                hashtags=top_tags,
                languages=top_languages,
                topics=tuple(topic for topic, _ in topics.most_common(3)),
                stance={target: dict(counts) for target, counts in sorted(stance.items())},
                sentiment=dict(sentiment),
                internal_ties=ties.internal,
                external_ties=ties.external,
                ei_index=ties.ei_index,
                received=got.total,
                received_from_outside=got.from_outside,
                outside_share=got.outside_share,
                officials=tuple(
                    display_handle(accounts[v], handles) for v in vertices if v in officials
                ),
            )
        )
    return summaries


def _exposure(counts: Counter[tuple[int, int]], communities: int) -> Exposure:
    shown = list(range(min(communities, MATRIX_COMMUNITIES)))
    pooled = communities > len(shown)
    keys: list[int | None] = [*shown, None] if pooled else list(shown)

    def slot(community: int) -> int:
        return community if community < len(shown) else len(shown)

    matrix = [[0] * len(keys) for _ in keys]
    for (source, target), count in counts.items():
        matrix[slot(source)][slot(target)] += count
    return Exposure(tuple(keys), tuple(tuple(row) for row in matrix))


def _reach(
    graph: ng.AccountGraph,
    membership: list[int],
    handles: Mapping[ng.Account, str],
    officials: set[int],
    named: int,
) -> Reach:
    if not officials:
        return Reach(named=named, found=0)
    ignored = frozenset(officials)
    received = ng.received_by_account(graph, membership, officials, ignore_sources=ignored)
    official_communities = {membership[v] for v in officials}
    beyond = sum(
        count
        for (source, target), count in graph.directed.items()
        if target in officials
        and source not in ignored
        and membership[source] not in official_communities
    )
    accounts = tuple(
        sorted(
            (
                AccountReach(
                    platform=graph.accounts[v][0],
                    handle=display_handle(graph.accounts[v], handles),
                    community=membership[v],
                    received=got.total,
                    from_outside=got.from_outside,
                    share=got.outside_share,
                )
                for v, got in received.items()
            ),
            key=lambda item: (-item.received, item.platform, item.handle),
        )
    )
    return Reach(
        named=named,
        found=len(officials),
        received=sum(item.received for item in accounts),
        from_outside=sum(item.from_outside for item in accounts),
        beyond_official=beyond,
        accounts=accounts,
    )


def analyze_interactions(
    interactions: Sequence[Interaction],
    *,
    traits: Mapping[int, PostTraits],
    facets: Mapping[int, list[tuple[str, str]]],
    handles: Mapping[ng.Account, str],
    officials: Officials,
    kinds: Sequence[str],
    since: datetime | None = None,
    until: datetime | None = None,
    narrative_id: int | None = None,
) -> Analysis:
    """The report of a set of interactions (the database is read by the caller)."""
    graph = ng.build_graph((row.platform, row.source, row.target) for row in interactions)
    membership = ng.detect_communities(graph) if graph.accounts else []
    official_vertices = {
        v
        for v, account in enumerate(graph.accounts)
        if officials.matches(account[0], handles.get(account))
    }
    ei = ng.ei_figures(graph, membership)
    exposure_counts = ng.exposure_counts(graph, membership)
    received = ng.received_by_community(exposure_counts)
    communities = len(set(membership))
    report = PolarizationReport(
        since=since,
        until=until,
        narrative_id=narrative_id,
        kinds=tuple(kinds),
        first_at=min((row.at for row in interactions), default=None),
        last_at=max((row.at for row in interactions), default=None),
        accounts=len(graph.accounts),
        ties=graph.graph.ecount(),
        interactions=sum(graph.directed.values()),
        by_kind=dict(Counter(row.kind for row in interactions if row.source != row.target)),
        community_count=communities,
        largest_share=(
            Counter(membership).most_common(1)[0][1] / len(membership) if membership else None
        ),
        modularity=ng.stratified_modularity(graph, membership),
        modularity_whole=ng.whole_modularity(graph, membership),
        platform_modularity=ng.platform_modularity(graph, membership),
        ei_index=ei.overall.ei_index,
        ei_index_weighted=ei.weighted.ei_index,
        communities=tuple(
            _summaries(graph, membership, handles, official_vertices, traits, facets, ei, received)
        ),
        exposure=_exposure(exposure_counts, communities),
        reach=_reach(graph, membership, handles, official_vertices, len(officials.names)),
    )
    return Analysis(report, graph, membership, dict(handles), official_vertices)


@dataclass
class WindowData:
    """One window's interactions with what the labels and narratives need."""

    reading: Reading
    facets: dict[int, list[tuple[str, str]]]
    handles: dict[ng.Account, str]
    narratives: dict[int, set[int]]  # post id -> narratives


def interaction_kinds(settings: Settings, kinds: Sequence[str] | None = None) -> tuple[str, ...]:
    chosen = tuple(
        dict.fromkeys(kinds if kinds is not None else settings.polarization_interactions)
    )
    unknown = [kind for kind in chosen if kind not in store.KINDS]
    if unknown or not chosen:
        raise PolarizationError(
            f"interactions {', '.join(unknown) or '(none)'}: choose from {', '.join(store.KINDS)}"
        )
    return chosen


def officials_of(settings: Settings, extra: Sequence[str] = ()) -> Officials:
    """The profile's official accounts, plus any named on the command line or in the request."""
    profile = load_profile(settings.resolved_listen_profile())
    return Officials.parse([*profile.officials, *extra])


def read_window(
    engine: Engine,
    kinds: Sequence[str],
    since: datetime | None,
    until: datetime | None,
    *,
    platform: str | None = None,
    with_narratives: bool = False,
) -> WindowData:
    if since is not None and until is not None and since >= until:
        raise PolarizationError("the window is empty: --since must be before --until")
    with engine.connect() as conn:
        reading = store.read_interactions(
            conn, kinds=kinds, since=since, until=until, platform=platform
        )
        accounts = {(r.platform, r.source) for r in reading.interactions}
        accounts |= {(r.platform, r.target) for r in reading.interactions}
        # The account's handle now (actors) wins over the one a post carried when it was read.
        handles = dict(reading.handles)
        handles.update(store.actor_handles(conn, accounts))
        facets = store.facets_of(conn, reading.traits, names=("topic",))
        narratives = store.narrative_memberships(conn, reading.traits) if with_narratives else {}
    return WindowData(reading, facets, handles, narratives)


def narrative_interactions(data: WindowData, narrative_id: int) -> list[Interaction]:
    """The interactions whose acting post or post acted on belongs to the narrative."""

    def member(post_id: int | None) -> bool:
        return post_id is not None and narrative_id in data.narratives.get(post_id, ())

    return [
        row
        for row in data.reading.interactions
        if member(row.post_id) or member(row.target_post_id)
    ]


def page_window(
    engine: Engine, first_day: date | None, last_day: date | None, *, days: int = PAGE_DAYS
) -> tuple[datetime, datetime]:
    """[start, end) of whole UTC days; without dates, the last `days` days of data."""
    with engine.connect() as conn:
        oldest, newest = data_span(conn)
    last = last_day or (newest.date() if newest else datetime.now(UTC).date())
    first = first_day or last - timedelta(days=days - 1)
    if first_day is None and oldest is not None and oldest.date() > first:
        first = oldest.date()
    first, last = min(first, last), max(first, last)
    return (
        datetime.combine(first, time(), UTC),
        datetime.combine(last + timedelta(days=1), time(), UTC),
    )


def narrative_choices(engine: Engine, limit: int = 500) -> list[store.NarrativeName]:
    """The narratives a user may pick, newest first."""
    with engine.connect() as conn:
        return list(reversed(store.narrative_names(conn)))[:limit]


def require_narrative(engine: Engine, narrative_id: int) -> store.NarrativeName:
    """The narrative with this id, or NotFound saying where the narratives are listed."""
    with engine.connect() as conn:
        found = store.narrative_names(conn, [narrative_id])
    if not found:
        raise NotFound(
            f"No narrative with id {narrative_id}; the narratives are listed at /verify/narratives."
        )
    return found[0]


def analyze(
    engine: Engine,
    settings: Settings,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    narrative_id: int | None = None,
    platform: str | None = None,
    kinds: Sequence[str] | None = None,
    officials: Sequence[str] = (),
    with_narratives: bool = False,
) -> Analysis:
    """Polarization figures of [since, until) on the database (one narrative's, if given).

    `with_narratives` also fills `Analysis.narratives` with each narrative's figures over the
    same window, from the same reading.
    """
    chosen = interaction_kinds(settings, kinds)
    data = read_window(
        engine,
        chosen,
        since,
        until,
        platform=platform,
        with_narratives=with_narratives or narrative_id is not None,
    )
    names = officials_of(settings, officials)
    rows = (
        data.reading.interactions
        if narrative_id is None
        else narrative_interactions(data, narrative_id)
    )
    analysis = analyze_interactions(
        rows,
        traits=data.reading.traits,
        facets=data.facets,
        handles=data.handles,
        officials=names,
        kinds=chosen,
        since=since,
        until=until,
        narrative_id=narrative_id,
    )
    if with_narratives and narrative_id is None:
        analysis.narratives = _narrative_reports(engine, data, names, chosen, since, until)
    return analysis


def _narrative_reports(
    engine: Engine,
    data: WindowData,
    officials: Officials,
    kinds: Sequence[str],
    since: datetime | None,
    until: datetime | None,
) -> list[tuple[store.NarrativeName, PolarizationReport]]:
    found = {n for ids in data.narratives.values() for n in ids}
    if not found:
        return []
    with engine.connect() as conn:
        names = store.narrative_names(conn, found)
    results = []
    for name in names:
        report = analyze_interactions(
            narrative_interactions(data, name.id),
            traits=data.reading.traits,
            facets=data.facets,
            handles=data.handles,
            officials=officials,
            kinds=kinds,
            since=since,
            until=until,
            narrative_id=name.id,
        ).report
        if report.ties:
            results.append((name, report))
    return results
