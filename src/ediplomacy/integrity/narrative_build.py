"""Building narratives from claim matches and post vectors, incrementally and idempotently.

One run, in order (docs/narratives.md):

1. Every fact-check with matches (`claim_matches`, status not 'rejected') has one narrative
   (found by `fact_check_id`, else created, labelled with the claim); its matched posts join it.
   A post whose match an analyst rejected leaves the fact-check's narrative.
2. Unassigned posts of the scanned window (the `lookback_days` before the newest post, or
   --since/--until) join the narrative they are closest to when their vector is within the
   space's `centroid` cosine of its centroid or its `anchor` cosine of one of its anchor posts
   (matched posts; for an unlinked narrative the posts it was found with), unless they question
   or refute the claim (`narrative_rules.is_counter_speech`). Reposts of member posts join too.
3. Among the posts still unassigned, messages copied in bursts form new unlinked narratives
   (`narrative_discovery`), which then take in their own close posts and reposts.
4. Narratives whose posts changed get their variants, figures and centroid again.
5. Growth alerts (`narrative_alerts`).

Narratives keep their id, posts stay in a narrative once added (unless a match is rejected),
and a second run over the same data changes nothing. An unlinked narrative whose posts later
match a fact-check (at least half of the matched posts) becomes that fact-check's narrative.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy.engine import Connection, Engine

from ediplomacy.config import Settings
from ediplomacy.integrity import narrative_alerts
from ediplomacy.integrity.narrative_discovery import find_copied_messages, has_words
from ediplomacy.integrity.narrative_rules import (
    NarrativeSettings,
    SpaceThresholds,
    is_counter_speech,
)
from ediplomacy.integrity.narrative_series import assign_variants, figures
from ediplomacy.listen.alerts import Targets
from ediplomacy.nlp.vectors import Matrix, normalise, to_bytes
from ediplomacy.store import factchecks as fact_store
from ediplomacy.store import narratives as store
from ediplomacy.store.aggregates import data_span
from ediplomacy.store.narratives import NarrativeRow, PostRow
from ediplomacy.store.timeutil import as_utc, utcnow

REJECTED = "rejected"
CONFIRMED = "confirmed"
CLAIM_KIND = "fact_check"
LABEL_CHARS = 300
MAX_STORED_ANCHORS = 500
MAX_VARIANTS_SHOWN = 50
SCAN_CELLS = 4_000_000  # posts x anchors compared at once: bounds memory to ~16 MB
Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class BuildSummary:
    """What one run did."""

    space: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    created: list[int] = field(default_factory=list)  # new narratives of fact-checks
    linked: list[int] = field(default_factory=list)  # unlinked narratives given a fact-check
    discovered: list[int] = field(default_factory=list)  # new unlinked narratives
    matched_added: int = 0
    matched_countering: int = 0  # matched posts left out: they question or refute the claim
    near_added: int = 0
    reposts_added: int = 0
    removed: int = 0
    refreshed: int = 0
    alerts: list[int] = field(default_factory=list)
    narratives: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class _Target:
    """A narrative posts are compared with: its centroid and anchor vectors."""

    narrative_id: int
    centroid: Matrix
    anchors: Matrix
    rejected: set[int] = field(default_factory=set)


@dataclass(slots=True)
class _Matches:
    by_fact_check: dict[int, dict[int, float]]  # fact-check -> post -> similarity
    rejected: set[tuple[int, int]]  # (post, fact-check)
    counter: set[tuple[int, int]] = field(default_factory=set)  # left out: counter-speech


def choose_space(counts: dict[str, int]) -> str | None:
    """The accurate space, unless the fast one holds clearly more posts (analysis under way)."""
    accurate, fast = counts.get("accurate", 0), counts.get("fast", 0)
    if accurate and accurate >= 0.9 * fast:
        return "accurate"
    return "fast" if fast else None


def _nothing(step: str, done: int, total: int) -> None:
    return None


def _read_matches(
    connection: Connection, since: datetime | None, until: datetime | None
) -> _Matches:
    """Matches by fact-check; a pending match of a post that questions or refutes is left out."""
    found = _Matches(defaultdict(dict), set())
    countering: dict[int, bool] = {}
    for match in store.matches(connection, since=since, until=until):
        if match.kind != CLAIM_KIND:
            continue  # a verified fact or official position is not a claim going round
        pair = (match.post_id, match.fact_check_id)
        if match.status == REJECTED:
            found.rejected.add(pair)
            continue
        if match.status != CONFIRMED:
            if match.post_id not in countering:
                countering[match.post_id] = is_counter_speech(match.text)
            if countering[match.post_id]:
                found.counter.add(pair)
                continue
        found.by_fact_check[match.fact_check_id][match.post_id] = match.similarity
    return found


def _label(text: str) -> str:
    text = " ".join(text.split())
    return text[:LABEL_CHARS] + ("…" if len(text) > LABEL_CHARS else "")


def fact_check_ids(row: NarrativeRow) -> list[int]:
    """The fact-checks a narrative stands for: its own first, then the same claim's others."""
    ids = [row.fact_check_id] if row.fact_check_id is not None else []
    return ids + [int(i) for i in row.details.get("fact_check_ids", []) if int(i) not in ids]


def _seed(
    connection: Connection, found: _Matches, now: datetime, summary: BuildSummary
) -> set[int]:
    """Step 1: a narrative per matched claim, its matched posts in, rejected ones out.

    A fact-check whose matched posts are mostly (half or more) in one narrative already is the
    same claim (the base often holds one debunk per language): it joins that narrative, which
    lists it in `details["fact_check_ids"]`, or links it when the narrative had no fact-check.
    """
    existing = {row.id: row for row in store.all_narratives(connection)}
    owner = {fact: row.id for row in existing.values() for fact in fact_check_ids(row)}
    matched_ids = {post_id for posts in found.by_fact_check.values() for post_id in posts}
    holders = {post: set(ids) for post, ids in
               store.narratives_of_posts(connection, matched_ids).items()}  # fmt: skip
    touched: set[int] = set()
    order = sorted(found.by_fact_check.items(),
                   key=lambda item: (item[0] not in owner, -len(item[1]), item[0]))  # fmt: skip
    for fact_id, matched in order:
        narrative_id = owner.get(fact_id)
        if narrative_id is None:
            narrative_id = _place(connection, fact_id, matched, existing, holders, now, summary)
            owner[fact_id] = narrative_id
            touched.add(narrative_id)
        held = store.members_of(connection, narrative_id)
        new = [(post_id, round(similarity, 4)) for post_id, similarity in matched.items()
               if post_id not in held]  # fmt: skip
        for post_id in matched:
            holders.setdefault(post_id, set()).add(narrative_id)
        if new:
            store.add_members(connection, narrative_id, new, now=now)
            summary.matched_added += len(new)
            touched.add(narrative_id)
    for narrative_id, post_ids in sorted(_rejected_members(owner, found).items()):
        removed = store.remove_members(connection, narrative_id, post_ids)
        if removed:
            summary.removed += removed
            touched.add(narrative_id)
    return touched


def _place(
    connection: Connection, fact_id: int, matched: dict[int, float],
    existing: dict[int, NarrativeRow], holders: dict[int, set[int]], now: datetime,
    summary: BuildSummary,
) -> int:  # fmt: skip
    """The narrative a newly matched fact-check belongs to: one holding its posts, or a new one."""
    fact = fact_store.get(connection, fact_id)
    votes = Counter(n for post_id in matched for n in holders.get(post_id, ()))
    winner = votes.most_common(1)[0] if votes else None
    row = existing[winner[0]] if winner is not None else None
    if row is not None and row.fact_check_id is not None:
        primary = fact_store.get(connection, row.fact_check_id)
        if primary.verdict != fact.verdict:
            row = None  # a claim rated otherwise is another claim, whatever posts it shares
    if row is not None and winner is not None and 2 * winner[1] >= len(matched):
        if row.fact_check_id is None:
            values: dict[str, Any] = {"fact_check_id": fact_id, "label": _label(fact.claim_text),
                                      "summary": fact.summary, "updated_at": now}  # fmt: skip
            summary.linked.append(row.id)
        else:
            others = [*row.details.get("fact_check_ids", []), fact_id]
            values = {"details": {**row.details, "fact_check_ids": others}, "updated_at": now}
        store.update(connection, row.id, values)
        existing[row.id] = store.get(connection, row.id)
        return row.id
    narrative_id = store.insert(
        connection,
        {"label": _label(fact.claim_text), "summary": fact.summary, "fact_check_id": fact_id,
         "status": "active", "post_count": 0, "details": {"origin": "fact_check"},
         "created_at": now, "updated_at": now},
    )  # fmt: skip
    existing[narrative_id] = store.get(connection, narrative_id)
    summary.created.append(narrative_id)
    return narrative_id


def _rejected_members(owner: dict[int, int], found: _Matches) -> dict[int, list[int]]:
    """Posts to take out: rejected for a fact-check of the narrative, matched to none of them."""
    facts_of: dict[int, set[int]] = defaultdict(set)
    for fact_id, narrative_id in owner.items():
        facts_of[narrative_id].add(fact_id)
    out: dict[int, list[int]] = defaultdict(list)
    for post_id, fact_id in found.rejected:
        holder = owner.get(fact_id)
        if holder is None:
            continue
        if not any(post_id in found.by_fact_check.get(f, {}) for f in facts_of[holder]):
            out[holder].append(post_id)
    return out


def _vectors(
    rows: Iterable[PostRow], size: int, *, check_words: bool = True
) -> tuple[list[PostRow], Matrix]:
    """The rows whose vector can be compared (right size, and a text with words), stacked."""
    kept = [
        row
        for row in rows
        if row.vector is not None
        and len(row.vector) == size
        and (not check_words or has_words(row.text))
    ]
    if not kept:
        return [], np.zeros((0, size // 2), dtype=np.float32)
    blob = b"".join(row.vector for row in kept if row.vector is not None)
    matrix = np.frombuffer(blob, dtype=np.float16).reshape(len(kept), size // 2)
    return kept, normalise(matrix.astype(np.float32))


def _targets(
    connection: Connection,
    narratives: Iterable[NarrativeRow],
    found: _Matches,
    space: str,
    size: int,
    max_anchors: int,
) -> list[_Target]:
    """The narratives to compare posts with: those with anchor posts that have vectors."""
    targets = []
    for row in narratives:
        if row.status != "active":
            continue
        facts = fact_check_ids(row)
        if facts:
            anchor_ids = sorted({p for f in facts for p in found.by_fact_check.get(f, {})})
        else:
            anchor_ids = [int(post_id) for post_id in row.details.get("anchors", [])]
        kept, matrix = _vectors(store.posts_by_ids(connection, space, anchor_ids), size)
        if not kept:
            continue
        centroid = normalise(matrix.mean(axis=0, keepdims=True))[0]
        _, first = np.unique(matrix.round(3), axis=0, return_index=True)
        distinct = matrix[np.sort(first)]
        if len(distinct) > max_anchors:
            distinct = distinct[np.linspace(0, len(distinct) - 1, max_anchors).astype(int)]
        rejected = {p for p, f in found.rejected if f in facts}
        targets.append(_Target(row.id, centroid, distinct, rejected))
    return targets


def _best_targets(
    vectors: Matrix, targets: list[_Target], owners: np.ndarray, anchors: Matrix,
    limits: SpaceThresholds,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Per post: the index of the closest qualifying target (-1 for none) and its cosine."""
    centroids = np.stack([target.centroid for target in targets])
    to_centroid = vectors @ centroids.T
    to_anchor = np.full_like(to_centroid, -1.0)
    step = max(1, SCAN_CELLS // max(1, len(anchors)))
    for start in range(0, len(vectors), step):
        block = vectors[start : start + step] @ anchors.T
        for index in range(len(targets)):
            columns = owners == index
            to_anchor[start : start + step, index] = block[:, columns].max(axis=1)
    qualifies = (to_centroid >= limits.centroid) | (to_anchor >= limits.anchor)
    score = np.where(qualifies, np.maximum(to_centroid, to_anchor), -np.inf)
    best = score.argmax(axis=1)
    best_score = score[np.arange(len(score)), best]
    return np.where(np.isfinite(best_score), best, -1), best_score


def _scan(
    engine: Engine,
    space: str,
    size: int,
    targets: list[_Target],
    window: tuple[datetime | None, datetime | None],
    options: NarrativeSettings,
    progress: Progress,
    step: str,
) -> tuple[dict[int, list[tuple[int, float]]], list[PostRow]]:
    """Unassigned posts close to a target (by narrative), and the claim-like posts left over."""
    limits = options.for_space(space)
    joined: dict[int, list[tuple[int, float]]] = defaultdict(list)
    leftovers: deque[PostRow] = deque(maxlen=options.discovery_max_posts)
    anchors = np.concatenate([target.anchors for target in targets]) if targets else None
    owners = np.concatenate(
        [np.full(len(target.anchors), index) for index, target in enumerate(targets)]
    ) if targets else None  # fmt: skip
    with engine.connect() as connection:
        total = store.count_unassigned(connection, since=window[0], until=window[1])
        done = 0
        progress(step, 0, total)
        for chunk in store.unassigned_posts(connection, space, since=window[0], until=window[1]):
            done += len(chunk)
            rows, vectors = _vectors(chunk, size, check_words=False)
            best = np.full(len(rows), -1)
            scores = np.zeros(len(rows))
            if targets and anchors is not None and owners is not None and len(rows):
                best, scores = _best_targets(vectors, targets, owners, anchors, limits)
            compared = {row.post_id for row in rows}
            for row in chunk:  # reposts without a vector of their own still count as copies
                if row.post_id not in compared and row.repost_of:
                    leftovers.append(row)
            # The words are read only where they matter: close posts here, leftovers later.
            for index in np.flatnonzero(best >= 0):
                row, chosen = rows[index], targets[int(best[index])]
                if has_words(row.text) and not is_counter_speech(row.text):
                    if row.post_id not in chosen.rejected:
                        joined[chosen.narrative_id].append(
                            (row.post_id, round(float(scores[index]), 4))
                        )
                    else:
                        leftovers.append(row)
            leftovers.extend(rows[index] for index in np.flatnonzero(best < 0))
            progress(step, done, total)
    return joined, [row for row in leftovers if row.repost_of or not is_counter_speech(row.text)]


def _add_joined(
    engine: Engine, joined: dict[int, list[tuple[int, float]]], window: tuple[Any, Any],
    found: _Matches, now: datetime, summary: BuildSummary,
) -> set[int]:  # fmt: skip
    """Write the posts found close, then the reposts of every member; the narratives touched."""
    touched = set(joined)
    with engine.begin() as connection:
        store.lock(connection)
        for narrative_id, rows in joined.items():
            store.add_members(connection, narrative_id, rows, now=now)
            summary.near_added += len(rows)
        facts = {row.id: row.fact_check_id for row in store.all_narratives(connection)}
        reposts: dict[int, list[tuple[int, float | None]]] = defaultdict(list)
        for post_id, narrative_id in store.reposts_of_members(
            connection, since=window[0], until=window[1]
        ):
            if (post_id, facts.get(narrative_id)) not in found.rejected:
                reposts[narrative_id].append((post_id, None))
        for narrative_id, repost_rows in reposts.items():
            store.add_members(connection, narrative_id, repost_rows, now=now)
            summary.reposts_added += len(repost_rows)
            touched.add(narrative_id)
    return touched


def _discover(
    engine: Engine, leftovers: list[PostRow], limits: SpaceThresholds,
    options: NarrativeSettings, now: datetime, summary: BuildSummary,
) -> list[int]:  # fmt: skip
    """Step 3: new unlinked narratives from messages copied in bursts."""
    with engine.connect() as connection:
        held = store.narratives_of_posts(connection, [row.post_id for row in leftovers])
    free = [row for row in leftovers if row.post_id not in held]
    messages = find_copied_messages(
        free,
        window_s=options.burst_window_s,
        duplicate=limits.duplicate,
        same_message=limits.same_message,
        min_burst_accounts=options.burst_min_accounts,
        min_bursts=options.message_min_bursts,
        min_accounts=options.message_min_accounts,
        min_repeaters=options.message_min_repeaters,
    )
    created = []
    with engine.begin() as connection:
        store.lock(connection)
        for message in messages:
            details = {"origin": "copied_message", "anchors": message.post_ids[:MAX_STORED_ANCHORS],
                       "bursts": message.bursts, "burst_accounts": message.accounts}  # fmt: skip
            narrative_id = store.insert(
                connection,
                {"label": _label(message.text), "summary": None, "fact_check_id": None,
                 "status": "active", "post_count": 0, "details": details,
                 "created_at": now, "updated_at": now},
            )  # fmt: skip
            store.add_members(connection, narrative_id, [(p, None) for p in message.post_ids],
                              now=now)  # fmt: skip
            created.append(narrative_id)
    summary.discovered.extend(created)
    return created


def _refresh(
    engine: Engine, narrative_ids: set[int], space: str | None, limits: SpaceThresholds | None,
    centroids: dict[int, Matrix], data_end: datetime, now: datetime, progress: Progress,
) -> int:  # fmt: skip
    """Step 4: variants, figures, dates, count and centroid of these narratives."""
    done = 0
    progress("figures", 0, len(narrative_ids))
    with engine.begin() as connection:
        for row in store.all_narratives(connection):
            stale = row.details.get("space") != space or "variants" not in row.details
            if row.id not in narrative_ids and not stale:
                continue
            held = store.members_of(connection, row.id)
            posts = store.posts_by_ids(connection, space or "accurate", held)
            changed: dict[int, int] = {}
            variants: list[dict[str, Any]] = []
            if limits is not None:
                current = {post_id: member.variant for post_id, member in held.items()}
                changed, variants = assign_variants(posts, current, limits.variant)
                store.set_variants(connection, row.id, changed)
            variants.sort(key=lambda variant: (-variant["count"], variant["id"]))
            stamps = [post.created_at for post in posts if post.created_at is not None]
            keep = {key: value for key, value in row.details.items()
                    if key in ("origin", "anchors", "bursts", "burst_accounts",
                               "fact_check_ids")}  # fmt: skip
            details = {
                **keep,
                **figures(posts, store.mentioned_countries(connection, row.id)),
                "space": space,
                "variants": variants[:MAX_VARIANTS_SHOWN],
                "variant_count": len(variants),
                "as_of": data_end.isoformat(),
            }
            values: dict[str, Any] = {
                "post_count": len(posts),
                "first_seen": min(stamps) if stamps else None,
                "last_seen": max(stamps) if stamps else None,
                "details": details,
                "updated_at": now,
            }
            if row.id in centroids:
                values["centroid"] = to_bytes(centroids[row.id])
            if row.fact_check_id is not None:
                values["label"] = _label(fact_store.get(connection, row.fact_check_id).claim_text)
            store.update(connection, row.id, values)
            done += 1
            progress("figures", done, len(narrative_ids))
    return done


def build_narratives(
    engine: Engine,
    settings: Settings,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    options: NarrativeSettings | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> BuildSummary:
    """Bring the narratives up to date with the claim matches and posts, and raise alerts."""
    started = time.perf_counter()
    options = (options or NarrativeSettings()).check()
    report = progress or _nothing
    now = as_utc(now) or utcnow()
    since, until = as_utc(since), as_utc(until)
    summary = BuildSummary(since=since, until=until)
    with engine.connect() as connection:
        data_start, data_end = data_span(connection)
        counts = store.vector_counts(connection)
    if data_start is None or data_end is None:
        return summary
    space = choose_space(counts)
    summary.space = space
    end = min(until, data_end) if until else data_end
    scan_window = (since or end - timedelta(days=options.lookback_days), until)
    with engine.begin() as connection:
        store.lock(connection)
        found = _read_matches(connection, since, until)
        summary.matched_countering = len({post for post, _ in found.counter})
        touched = _seed(connection, found, now, summary)
    centroids: dict[int, Matrix] = {}
    limits = options.for_space(space) if space else None
    with engine.connect() as connection:
        size = store.vector_bytes(connection, space) if space else None
        narratives = store.all_narratives(connection)
        targets = (
            _targets(connection, narratives, found, space, size, options.max_anchors)
            if space and size
            else []
        )
    if space and size and limits:
        centroids.update({target.narrative_id: target.centroid for target in targets})
        joined, leftovers = _scan(engine, space, size, targets, scan_window, options, report,
                                  "close posts")  # fmt: skip
        touched |= _add_joined(engine, joined, scan_window, found, now, summary)
        created = _discover(engine, leftovers, limits, options, now, summary)
        if created:
            touched |= set(created)
            with engine.connect() as connection:
                fresh = [row for row in store.all_narratives(connection) if row.id in created]
                new_targets = _targets(connection, fresh, found, space, size, options.max_anchors)
            centroids.update({target.narrative_id: target.centroid for target in new_targets})
            joined, _ = _scan(engine, space, size, new_targets, scan_window, options, report,
                              "new narratives")  # fmt: skip
            touched |= _add_joined(engine, joined, scan_window, found, now, summary)
    else:
        touched |= _add_joined(engine, {}, scan_window, found, now, summary)
    summary.refreshed = _refresh(engine, touched, space, limits, centroids, data_end, now, report)
    targets_out = Targets.from_settings(settings.alert_webhook_url, settings.alert_email_to)
    with engine.begin() as connection:
        rows = store.all_narratives(connection)
        summary.narratives = len(rows)
        recent = [row for row in rows if row.last_seen and row.last_seen >= scan_window[0]]
        summary.alerts = narrative_alerts.check_growth(
            connection, recent, options, targets_out, data_start=data_start, data_end=end, now=now
        )
    summary.seconds = round(time.perf_counter() - started, 3)
    return summary
