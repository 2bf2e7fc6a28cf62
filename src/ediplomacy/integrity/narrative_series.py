"""A narrative's variants and figures, computed from its posts (pure functions, no SQL).

Variants are the sub-groups of a narrative: one language and one way of telling it. Posts of one
language whose vectors are at least the space's `variant` cosine from a variant's mean belong to
it; the others start a new variant. A post keeps its variant once given (numbers are stable
across runs); a repost takes its original's. Each variant shows a representative text: the
original post closest to the variant's mean.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from ediplomacy.nlp.vectors import Matrix, from_bytes
from ediplomacy.store.narratives import PostRow

HOUR = timedelta(hours=1)
SERIES_HOURS = 192  # eight days of hourly counts kept: the growth figure reads them
SNIPPET = 280
UNDETERMINED = "und"


@dataclass(slots=True)
class _Variant:
    number: int
    language: str
    total: Matrix
    count: int = 0
    posts: list[PostRow] = field(default_factory=list)

    def mean(self) -> Matrix:
        norm = float(np.linalg.norm(self.total))
        return self.total / norm if norm else self.total


def _time(post: PostRow) -> float:
    return post.created_at.timestamp() if post.created_at else float("inf")


def assign_variants(
    posts: Sequence[PostRow], current: Mapping[int, int | None], threshold: float
) -> tuple[dict[int, int], list[dict[str, Any]]]:
    """(post id -> variant for posts whose variant is new or changed, the variants' summaries)."""
    dims = Counter(len(post.vector) for post in posts if post.vector is not None)
    size = dims.most_common(1)[0][0] if dims else 0
    vectors = {
        post.post_id: from_bytes(post.vector)
        for post in posts
        if post.vector is not None and len(post.vector) == size
    }
    variants: dict[int, _Variant] = {}

    def add(variant: _Variant, post: PostRow) -> None:
        variant.posts.append(post)
        vector = vectors.get(post.post_id)
        if vector is not None:
            variant.total = variant.total + vector
            variant.count += 1

    ordered = sorted(posts, key=lambda post: (_time(post), post.post_id))
    waiting: list[PostRow] = []
    for post in ordered:
        number = current.get(post.post_id)
        if number is None:
            waiting.append(post)
            continue
        variant = variants.get(number)
        if variant is None:
            variant = variants[number] = _Variant(
                number, post.language or UNDETERMINED, np.zeros(size // 2, dtype=np.float32)
            )
        add(variant, post)
    changed: dict[int, int] = {}
    by_key = {(post.platform, post.external_id): post.post_id for post in posts}
    variant_of: dict[int, int] = {pid: n for pid, n in current.items() if n is not None}
    next_number = max(variants, default=0) + 1
    later: list[PostRow] = []
    for post in waiting:
        vector = vectors.get(post.post_id)
        if vector is None:
            later.append(post)  # reposts and posts without a vector: after the others
            continue
        language = post.language or UNDETERMINED
        best, best_score = None, threshold
        for variant in variants.values():
            if variant.language != language or not variant.count:
                continue
            score = float(variant.mean() @ vector)
            if score >= best_score:
                best, best_score = variant, score
        if best is None:
            best = variants[next_number] = _Variant(
                next_number, language, np.zeros(size // 2, dtype=np.float32)
            )
            next_number += 1
        add(best, post)
        changed[post.post_id] = variant_of[post.post_id] = best.number
    for post in later:
        original = by_key.get((post.platform, post.repost_of)) if post.repost_of else None
        number = variant_of.get(original) if original is not None else None
        if number is not None:
            add(variants[number], post)
            changed[post.post_id] = variant_of[post.post_id] = number
    return changed, [_summary(variant, vectors) for variant in variants.values()]


def _summary(variant: _Variant, vectors: Mapping[int, Matrix]) -> dict[str, Any]:
    mean = variant.mean()
    originals = [post for post in variant.posts if not post.repost_of] or variant.posts
    scored = [
        (float(mean @ vectors[post.post_id]) if post.post_id in vectors else -1.0, post)
        for post in originals
    ]
    _, chosen = max(scored, key=lambda item: (item[0], -item[1].post_id))
    stamps = [post.created_at for post in variant.posts if post.created_at is not None]
    text = chosen.text
    return {
        "id": variant.number,
        "language": variant.language,
        "count": len(variant.posts),
        "accounts": len({(post.platform, post.author or post.handle) for post in variant.posts}),
        "post_id": chosen.post_id,
        "text": text[:SNIPPET] + ("…" if len(text) > SNIPPET else ""),
        "first_seen": min(stamps).isoformat() if stamps else None,
        "last_seen": max(stamps).isoformat() if stamps else None,
    }


def floor_hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def figures(posts: Sequence[PostRow], mentioned: Mapping[str, int]) -> dict[str, Any]:
    """Languages, platforms, countries, accounts, and daily and hourly counts of the posts."""
    stamps = sorted(post.created_at for post in posts if post.created_at is not None)
    daily = Counter(stamp.date().isoformat() for stamp in stamps)
    hourly: dict[str, Any] = {"start": None, "counts": []}
    if stamps:
        last = floor_hour(stamps[-1])
        first = last - (SERIES_HOURS - 1) * HOUR
        counts = [0] * SERIES_HOURS
        for stamp in stamps:
            if stamp >= first:
                counts[int((floor_hour(stamp) - first) / HOUR)] += 1
        hourly = {"start": first.isoformat(), "counts": counts}
    accounts = Counter((post.platform, post.handle or post.author or "?") for post in posts)
    return {
        "languages": dict(Counter(post.language or UNDETERMINED for post in posts).most_common()),
        "platforms": dict(Counter(post.platform for post in posts).most_common()),
        "countries": dict(
            Counter(post.author_country for post in posts if post.author_country).most_common()
        ),
        "countries_mentioned": dict(mentioned),
        "accounts": len(accounts),
        "reposts": sum(1 for post in posts if post.repost_of),
        "daily": dict(sorted(daily.items())),
        "hourly": hourly,
    }


def growth(details: Mapping[str, Any], data_end: datetime | None) -> dict[str, Any] | None:
    """Posts in the 24 hours up to the newest post of the database, against the 7 days before.

    `ratio` is the latest day over the average day before (at least one post a day), so a
    narrative born in the latest day shows its size; None when nothing is known.
    """
    hourly = details.get("hourly") or {}
    if data_end is None or not hourly.get("start"):
        return None
    start = datetime.fromisoformat(hourly["start"])
    end = floor_hour(data_end) + HOUR
    latest = before = 0
    for index, count in enumerate(hourly["counts"]):
        hour = start + index * HOUR
        if end - 24 * HOUR <= hour < end:
            latest += count
        elif end - 8 * 24 * HOUR <= hour < end - 24 * HOUR:
            before += count
    baseline = max(before / 7.0, 1.0)
    return {"latest_24h": latest, "per_day_before": round(before / 7.0, 2),
            "ratio": round(latest / baseline, 2)}  # fmt: skip
