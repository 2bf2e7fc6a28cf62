"""The evidence behind a cluster: which items its members shared, and how many seconds apart.

Every pair of actions by two different members on the same item within the window is a
co-action. From them: the shared items (most acted on first), the seconds between actions
(median, 90th percentile, a histogram for the chart), each member's co-actions, and the share
of the members' posts that are co-actions.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from ediplomacy.integrity.coordination_engine import window_pairs, windows
from ediplomacy.integrity.coordination_model import ITEM_KINDS, Edges, Events, Network

MAX_PAIRS = 2_000_000  # co-actions looked at per network and cluster
MAX_ITEMS = 30
MAX_POSTS_PER_ITEM = 20
HISTOGRAM_BINS = 12


@dataclass
class Item:
    network: str
    kind: str  # post | text | url | hashtag
    item: str  # the reposted/replied-to id, the text, the URL, the hashtag
    actions: int  # members' actions on it that are co-actions
    members: int
    first: float
    last: float
    message_ids: list[str] = field(default_factory=list)
    post_ids: list[int] = field(default_factory=list)
    label: str = ""  # a readable form (the original post's text), when known


@dataclass
class MemberEvidence:
    key: str
    handle: str
    co_actions: int  # the member's posts that are co-actions with another member
    posts: int
    degree: int  # members it is joined to in the thresholded graph


@dataclass
class Evidence:
    window: float
    members: list[MemberEvidence]
    items: list[Item]
    gap_count: int
    median_gap: float
    p90_gap: float
    histogram: dict[str, list[float]]  # {"edges": bin edges in seconds, "counts": per bin}
    share: float
    first_action: float | None
    last_action: float | None
    networks: dict[str, dict[str, int]]  # network -> {"co_actions", "items"}

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Evidence:
        values = dict(data)
        values["members"] = [MemberEvidence(**member) for member in values.get("members", [])]
        values["items"] = [Item(**item) for item in values.get("items", [])]
        return cls(**values)


def _code(names: Sequence[str], name: str) -> int:
    """The code of a name in a sorted list, -1 when absent."""
    at = bisect_left(names, name)
    return at if at < len(names) and names[at] == name else -1


def _histogram(gaps: np.ndarray, window: float) -> dict[str, list[float]]:
    top = window if window > 0 else 1.0
    counts, edges = np.histogram(np.minimum(gaps, top), bins=HISTOGRAM_BINS, range=(0.0, top))
    return {"edges": [round(float(e), 2) for e in edges], "counts": [float(c) for c in counts]}


def gather_evidence(
    networks: Mapping[str, tuple[Events, Edges]],
    members: Sequence[str],
    *,
    window: float,
    posts_per_account: Mapping[str, int],
    handles: Mapping[str, str],
    degrees: Mapping[str, int],
) -> Evidence:
    """The co-actions of these members in these networks."""
    gaps: list[np.ndarray] = []
    items: list[Item] = []
    acted: dict[str, set[str]] = {name: set() for name in members}
    times: list[float] = []
    summary: dict[str, dict[str, int]] = {}
    for network, (events, _) in networks.items():
        codes = np.asarray([code for code in (_code(events.names, name) for name in members)
                            if code >= 0], dtype=np.int64)  # fmt: skip
        chosen = np.flatnonzero(np.isin(events.user, codes))
        if chosen.size < 2:
            continue
        found = windows(events.user[chosen], events.key[chosen], events.time[chosen],
                        events.owner[chosen], window)  # fmt: skip
        firsts, seconds = [], []
        looked = 0
        for first, second in window_pairs(found):
            a, b = chosen[found.order[first]], chosen[found.order[second]]
            keep = events.user[a] != events.user[b]
            firsts.append(a[keep])
            seconds.append(b[keep])
            looked += len(first)
            if looked >= MAX_PAIRS:
                break
        if not firsts:
            continue
        a, b = np.concatenate(firsts), np.concatenate(seconds)
        if a.size == 0:
            continue
        gaps.append(np.abs(events.time[a] - events.time[b]))
        involved = np.unique(np.concatenate([a, b]))
        times += [float(events.time[involved].min()), float(events.time[involved].max())]
        for event in involved.tolist():
            name = events.names[int(events.user[event])]
            acted[name].add(str(events.message_ids[int(events.message[event])]))
        network_items = _items(Network(network), events, involved)
        summary[network] = {"co_actions": int(a.size), "items": len(network_items)}
        items += network_items
    all_gaps = np.concatenate(gaps) if gaps else np.empty(0)
    items.sort(key=lambda item: (-item.actions, item.first))
    evidence_members = [
        MemberEvidence(name, handles.get(name, ""), len(acted[name]),
                       max(posts_per_account.get(name, 0), len(acted[name])),
                       degrees.get(name, 0))
        for name in members
    ]  # fmt: skip
    evidence_members.sort(key=lambda m: (-m.co_actions, m.key))
    posts = sum(m.posts for m in evidence_members)
    return Evidence(
        window=window,
        members=evidence_members,
        items=items[:MAX_ITEMS],
        gap_count=int(all_gaps.size),
        median_gap=round(float(np.median(all_gaps)), 2) if all_gaps.size else window,
        p90_gap=round(float(np.percentile(all_gaps, 90)), 2) if all_gaps.size else window,
        histogram=_histogram(all_gaps, window),
        share=round(sum(m.co_actions for m in evidence_members) / posts, 4) if posts else 0.0,
        first_action=min(times) if times else None,
        last_action=max(times) if times else None,
        networks=summary,
    )


def _items(network: Network, events: Events, involved: np.ndarray) -> list[Item]:
    keys = events.key[involved]
    order = np.argsort(keys, kind="stable")
    involved, keys = involved[order], keys[order]
    bounds = np.flatnonzero(np.diff(keys)) + 1
    found = []
    for group in np.split(involved, bounds):
        messages = events.message[group]
        post_ids: list[int] = []
        if events.post_ids is not None:
            post_ids = [events.post_ids[int(m)] for m in messages.tolist()[:MAX_POSTS_PER_ITEM]]
            post_ids = [post_id for post_id in post_ids if post_id >= 0]
        item = str(events.key_names[int(events.key[group[0]])])
        found.append(
            Item(
                network=network.value,
                kind=ITEM_KINDS[network],
                item=item,
                actions=int(group.size),
                members=int(np.unique(events.user[group]).size),
                first=float(events.time[group].min()),
                last=float(events.time[group].max()),
                message_ids=[str(events.message_ids[int(m)])
                             for m in messages.tolist()[:MAX_POSTS_PER_ITEM]],
                post_ids=post_ids,
                label=f"#{item}" if network is Network.CO_HASHTAG else item,
            )
        )  # fmt: skip
    return found
