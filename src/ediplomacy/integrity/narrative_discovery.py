"""Unlinked narratives: messages copied by several accounts within seconds, more than once.

Posts about the same subject are everywhere (prayers after an earthquake, football, prices), and
most of them repeat each other without being a narrative anyone pushes; a popular post is
reposted by many accounts within minutes. What a pushed message has, and ordinary talk does not,
is *copy-paste in bursts*: the same text (a near-duplicate, cosine >= the space's `duplicate`
threshold) posted by `burst_min_accounts` different accounts of one platform, each writing it
themselves rather than reposting it, within `burst_window_s` seconds, and that again later. So a
group of posts becomes an unlinked narrative only when:

- it is made of at least `message_min_bursts` such bursts whose texts are near-duplicates of each
  other, and
- at least `message_min_accounts` different accounts took part (reposts of its posts included),
- the same accounts come back: at least `message_min_repeaters` of them took part in two of its
  bursts or more (people who post a popular prayer or slogan at the same moment are new faces
  each time; a network copying its message is not),
- none of its posts questions or refutes a claim (those were left out before), and its texts
  have words (an empty boost or a bare link is like every other).

Reposts never make a burst (a repost wave of one popular post is not copying), and one
organisation mirroring a statement on three platforms is one account per platform.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ediplomacy.nlp.vectors import Matrix, normalise
from ediplomacy.pipeline.textnorm import text_for_models
from ediplomacy.store.narratives import PostRow

MIN_LETTERS = 3
_LETTERS = re.compile(r"[^\W\d_](?:.*?[^\W\d_]){2}", re.DOTALL)  # MIN_LETTERS letters
DAY_S = 24 * 3600


@dataclass(frozen=True, slots=True)
class CopiedMessage:
    """A message found copied in bursts: its posts, bursts and accounts, and its usual text."""

    post_ids: list[int]
    bursts: int
    accounts: int
    text: str


class _Groups:
    """Union-find over row numbers."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, a: int, b: int) -> None:
        first, second = self.find(a), self.find(b)
        if first != second:
            self.parent[max(first, second)] = min(first, second)

    def members(self) -> list[list[int]]:
        groups: dict[int, list[int]] = {}
        for item in range(len(self.parent)):
            groups.setdefault(self.find(item), []).append(item)
        return list(groups.values())


def _account(post: PostRow) -> str:
    return f"{post.platform}:{post.author or post.handle or post.external_id}"


def has_words(text: str) -> bool:
    """At least a few letters once links and the repost prefix are gone."""
    return _LETTERS.search(text_for_models(text)) is not None


def _most_on_one_platform(rows: Sequence[PostRow], members: Sequence[int]) -> int:
    """The most accounts of one platform among these rows (a mirror on three platforms is 1)."""
    pairs = {(rows[i].platform, _account(rows[i])) for i in members}
    return max(Counter(platform for platform, _ in pairs).values(), default=0)


def _bursts(
    rows: Sequence[PostRow], times: Sequence[float], vectors: Matrix, window_s: float,
    duplicate: float,
) -> list[list[int]]:  # fmt: skip
    """Groups of original posts copied within `window_s` of each other."""
    order = sorted(range(len(rows)), key=lambda i: (times[i], rows[i].post_id))
    ordered_times = np.array([times[i] for i in order])
    ordered = vectors[order]
    groups = _Groups(len(rows))
    end = 0
    for position in range(len(order)):
        end = max(end, position + 1)
        while end < len(order) and ordered_times[end] - ordered_times[position] <= window_s:
            end += 1
        if end - position < 2:
            continue
        close = ordered[position + 1 : end] @ ordered[position]
        for offset in np.flatnonzero(close >= duplicate):
            groups.join(order[position], order[position + 1 + int(offset)])
    found = []
    for members in groups.members():
        stamps = [times[i] for i in members]
        # A chain of copies spread over more than a day is a habit, not a burst.
        if len(members) >= 2 and max(stamps) - min(stamps) <= DAY_S:
            found.append(members)
    return found


def find_copied_messages(
    rows: Sequence[PostRow],
    *,
    window_s: float,
    duplicate: float,
    same_message: float,
    min_burst_accounts: int,
    min_bursts: int,
    min_accounts: int,
    min_repeaters: int,
) -> list[CopiedMessage]:
    """The messages copied in bursts among `rows` (posts with a vector and a time)."""
    timed = [
        (row, row.created_at.timestamp(), row.vector)
        for row in rows
        if row.vector is not None and row.created_at is not None
        and not row.repost_of and has_words(row.text)
    ]  # fmt: skip
    if len(timed) < min_burst_accounts:
        return []
    size = Counter(len(blob) for _, _, blob in timed).most_common(1)[0][0]
    timed = [item for item in timed if len(item[2]) == size]
    originals = [row for row, _, _ in timed]
    vectors = normalise(
        np.frombuffer(b"".join(blob for _, _, blob in timed), dtype=np.float16)
        .reshape(len(timed), size // 2)
        .astype(np.float32)
    )
    times = [at for _, at, _ in timed]
    bursts = [
        members
        for members in _bursts(originals, times, vectors, window_s, duplicate)
        if _most_on_one_platform(originals, members) >= min_burst_accounts
    ]
    if len(bursts) < min_bursts:
        return []
    reposts: dict[tuple[str, str], list[PostRow]] = defaultdict(list)
    for row in rows:
        if row.repost_of:
            reposts[(row.platform, row.repost_of)].append(row)
    centres = normalise(np.stack([vectors[members].mean(axis=0) for members in bursts]))
    same = centres @ centres.T
    messages = _Groups(len(bursts))
    for a, b in zip(*np.nonzero(np.triu(same >= same_message, k=1)), strict=True):
        messages.join(int(a), int(b))
    found = []
    for group in messages.members():
        if len(group) < min_bursts:
            continue
        taking_part: Counter[str] = Counter()  # account -> bursts it posted or reposted in
        posted: list[PostRow] = []
        shared: list[PostRow] = []
        for burst in group:
            here = [originals[i] for i in bursts[burst]]
            again = [r for post in here for r in reposts.get((post.platform, post.external_id), [])]
            taking_part.update({_account(post) for post in [*here, *again]})
            posted += here
            shared += again
        repeaters = sum(1 for times in taking_part.values() if times >= 2)
        if len(taking_part) < min_accounts or repeaters < min_repeaters:
            continue
        texts = Counter(text_for_models(post.text) for post in posted)
        found.append(
            CopiedMessage(
                post_ids=sorted({post.post_id for post in [*posted, *shared]}),
                bursts=len(group),
                accounts=len(taking_part),
                text=texts.most_common(1)[0][0],
            )
        )
    found.sort(key=lambda message: (-message.accounts, message.post_ids[0]))
    return found
