"""Bot-likeness: a score per account from its behaviour, the reasons, and the analysts' labels.

`score_accounts` measures every account with posts in bulk (bot_features), scores it
(bot_score) and writes the score with its reasons and measures, replacing the previous one.
Analysts label accounts automated, human or unsure; every label is kept and audited, the latest
is shown beside the score, and all can be exported to fit a better model. The score says which
accounts to look at first: evidence for review, never a verdict on its own.
"""

from __future__ import annotations

import csv
import json
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from pathlib import Path
from typing import Any, TextIO

import numpy as np
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.domain.errors import MalformedRecord, NotFound, UnreadableInput
from ediplomacy.domain.posts import PLATFORMS
from ediplomacy.integrity import bot_score
from ediplomacy.integrity.bot_features import (
    TEXTS_PER_ACCOUNT,
    Activity,
    PlatformTraits,
    Profile,
    measure,
    payload_hints,
    platform_traits,
)
from ediplomacy.integrity.bot_reasons import described
from ediplomacy.security import audit
from ediplomacy.security.audit import Action
from ediplomacy.store import accounts_review as store
from ediplomacy.store.accounts_review import AccountKey, AccountLabel, AccountScore, ActivityRow
from ediplomacy.store.timeutil import utcnow

MODEL_VERSION = bot_score.MODEL_VERSION
LABELS = ("automated", "human", "unsure")
LABELED = Action.ACCOUNT_LABELED
NOTICE = (
    "Bot-likeness is evidence for review, not a verdict: it says how much an account's "
    "behaviour looks automated, with the reasons; a person decides."
)
REVIEW_SCORE = 0.7  # "high" in summaries: where a reviewer would start
NOTE_MAX = 2_000
ACCOUNTS_PER_CHUNK = 500  # accounts scored and written in one transaction...
POSTS_PER_CHUNK_FACTOR = 4  # ...or fewer, to keep under this many times the batch size in posts
LABEL_COLUMNS = (
    "label_id", "platform", "external_id", "handle", "label", "note", "labeled_by", "labeled_at",
    "score", "model_version", "features",
)  # fmt: skip

Progress = Callable[[int, int], None]


class InvalidLabel(MalformedRecord):
    """A label that cannot be stored; the message says what to give instead."""


@dataclass(frozen=True, slots=True)
class ScoringSummary:
    accounts: int  # accounts with posts looked at
    scored: int  # scores written
    high: int  # of them at or above REVIEW_SCORE
    model_version: str
    seconds: float


@dataclass(frozen=True, slots=True)
class AccountReview:
    """One account with everything a reviewer looks at."""

    platform: str
    external_id: str
    score: AccountScore | None
    actor: dict[str, Any] | None
    labels: list[AccountLabel]
    posts: list[dict[str, Any]]
    times: list[float]


@dataclass(frozen=True, slots=True)
class Evaluation:
    """How well the score ranks known automated accounts above the others."""

    scored: int
    positives: int  # known automated accounts given
    positives_scored: int
    k: int
    precision_at_k: float
    recall_at_k: float
    roc_auc: float | None
    threshold: float
    precision_at_threshold: float | None
    recall_at_threshold: float
    top: list[tuple[str, str, float, bool]] = field(default_factory=list)


# -- scoring --------------------------------------------------------------------------------


def _chunks(keys: list[AccountKey]) -> Iterator[tuple[str, list[str]]]:
    """Accounts of one platform at a time, in groups of at most ACCOUNTS_PER_CHUNK."""
    for platform, group in groupby(keys, key=lambda key: key.platform):
        ids = [key.external_id for key in group]
        for start in range(0, len(ids), ACCOUNTS_PER_CHUNK):
            yield platform, ids[start : start + ACCOUNTS_PER_CHUNK]


def _profile(row: Any, payload: Any, platform: str) -> Profile | None:
    flag, default_avatar = payload_hints(platform, payload)
    if row is None:
        if flag is None and default_avatar is None:
            return None
        return Profile(bot_flag=flag, default_avatar=default_avatar)
    return Profile(
        handle=row.handle,
        name=row.name,
        description=row.description,
        created_at=None if row.created_at is None else float(row.created_at),
        followers=row.followers_count,
        following=row.following_count,
        posts_count=row.posts_count,
        verified=row.verified,
        bot_flag=flag,
        default_avatar=default_avatar,
    )


def _activity(rows: Iterable[ActivityRow]) -> tuple[Activity, int]:
    """An account's activity from its rows, and the id of its latest post."""
    times: list[float] = []
    texts: deque[str] = deque(maxlen=TEXTS_PER_ACCOUNT)
    count = reposts = latest = 0
    for row in rows:
        count += 1
        latest = max(latest, row.post_id)
        if row.at is not None:
            times.append(row.at)
        if row.repost:
            reposts += 1
        elif row.text:
            texts.append(row.text)
    activity = Activity(np.sort(np.asarray(times, dtype=np.float64)), list(texts), count, reposts)
    return activity, latest


@dataclass(slots=True)
class _Pending:
    """Accounts read and measured, waiting for their profiles and to be written."""

    platform: str = ""
    accounts: list[tuple[str, Activity, int]] = field(default_factory=list)
    posts: int = 0


def score_one(
    activity: Activity, profile: Profile | None, traits: PlatformTraits
) -> tuple[bot_score.Scored, dict[str, Any]]:
    """The score of one account and the measures it came from."""
    features = measure(activity, profile, traits)
    return bot_score.score(features, profile.handle if profile else None), features


def score_accounts(
    engine: Engine,
    settings: Settings,
    *,
    since: datetime | None = None,
    progress: Progress | None = None,
) -> ScoringSummary:
    """Score every account with posts (with `since`: those with a post imported since then).

    Idempotent: each account's score row is replaced. Posts are read in one ordered stream (or,
    with `since`, for chunks of the accounts concerned); profiles are read and scores written
    for at most ACCOUNTS_PER_CHUNK accounts at a time, so memory stays bounded.
    """
    started = time.perf_counter()
    with engine.connect() as connection:
        keys = store.accounts_with_posts(connection, since=since)
        traits = {
            platform: platform_traits(times, share)
            for platform, (times, share) in store.platform_samples(connection).items()
        }
    max_posts = max(1_000, settings.batch_size * POSTS_PER_CHUNK_FACTOR)
    counts = [0, 0]  # scored, high
    if progress:
        progress(0, len(keys))
    pending = _Pending()

    def flush() -> None:
        if pending.accounts:
            scored, high = _write(engine, pending, traits.get(pending.platform, PlatformTraits()))
            counts[0] += scored
            counts[1] += high
            if progress:
                progress(counts[0], len(keys))
        pending.accounts.clear()
        pending.posts = 0

    with engine.connect() as reader:
        if since is None:
            streams: Iterable[Iterator[ActivityRow]] = [store.activity(reader)]
        else:
            streams = (
                store.activity(reader, platform=platform, external_ids=ids)
                for platform, ids in _chunks(keys)
            )
        for rows in streams:
            for (platform, author), group in groupby(rows, key=lambda row: row[:2]):
                activity, latest = _activity(group)
                if pending.accounts and (
                    platform != pending.platform
                    or len(pending.accounts) >= ACCOUNTS_PER_CHUNK
                    or pending.posts + activity.posts > max_posts
                ):
                    flush()
                pending.platform = platform
                pending.accounts.append((author, activity, latest))
                pending.posts += activity.posts
        flush()
    scored, high = counts
    return ScoringSummary(len(keys), scored, high, MODEL_VERSION, time.perf_counter() - started)


def _write(engine: Engine, pending: _Pending, traits: PlatformTraits) -> tuple[int, int]:
    """Score the pending accounts with their profiles and write them; (scored, high)."""
    platform = pending.platform
    now = utcnow()
    rows: list[dict[str, Any]] = []
    high = 0
    with engine.begin() as connection:
        found = store.profiles(connection, platform, [author for author, _, _ in pending.accounts])
        payloads = store.payloads(connection, [latest for _, _, latest in pending.accounts])
        for author, activity, latest in pending.accounts:
            profile = _profile(found.get(author), payloads.get(latest), platform)
            result, features = score_one(activity, profile, traits)
            features["logit"] = round(result.logit, 4)
            rows.append({"platform": platform, "external_id": author,
                         "score": round(result.score, 6), "reasons": result.reasons,
                         "features": _rounded(features), "model_version": MODEL_VERSION,
                         "computed_at": now})  # fmt: skip
            high += result.score >= REVIEW_SCORE
        store.upsert_scores(connection, rows)
    return len(rows), high


def _rounded(features: dict[str, Any]) -> dict[str, Any]:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in features.items()}


# -- reading --------------------------------------------------------------------------------


def list_scores(
    engine: Engine,
    *,
    min_score: float = 0.0,
    labelled: bool | None = None,
    label: str | None = None,
    platform: str | None = None,
    search: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[AccountScore], int]:
    """Scored accounts, highest first, with their latest label."""
    with engine.connect() as connection:
        return store.list_scores(
            connection,
            min_score=min_score,
            labelled=labelled,
            label=label if label in LABELS else None,
            platform=platform or None,
            search=search or None,
            limit=limit,
            offset=offset,
        )


def review(engine: Engine, platform: str, external_id: str, *, posts: int = 20) -> AccountReview:
    """Everything about one account a reviewer needs; NotFound when nothing is known of it."""
    with engine.connect() as connection:
        scored = store.get_score(connection, platform, external_id)
        actor = store.actor(connection, platform, external_id)
        if scored is None and actor is None and not store.has_posts(connection, platform,
                                                                     external_id):  # fmt: skip
            raise NotFound(f"No account {platform}:{external_id} in the database.")
        return AccountReview(
            platform,
            external_id,
            scored,
            actor,
            store.labels_of(connection, platform, external_id),
            store.recent_posts(connection, platform, external_id, posts),
            store.post_times(connection, platform, external_id),
        )


def parse_account(text: str) -> tuple[str, str]:
    """'x:12345' or 'mastodon:https://host/@name' as (platform, external id)."""
    platform, _, external_id = text.partition(":")
    if platform not in PLATFORMS or not external_id:
        raise InvalidLabel(
            f"{text!r} is not an account: write PLATFORM:ID, e.g. x:1234567890 or "
            f"mastodon:https://mastodon.social/@name (platforms: {', '.join(PLATFORMS)})"
        )
    return platform, external_id


# -- labels ---------------------------------------------------------------------------------


def add_label(
    engine: Engine,
    platform: str,
    external_id: str,
    label: str,
    *,
    note: str | None = None,
    actor: str,
    ip: str | None = None,
) -> AccountLabel:
    """Record an analyst's label (kept beside every earlier one), audited."""
    if label not in LABELS:
        raise InvalidLabel(f"{label!r} is not a label: choose {', '.join(LABELS)}.")
    note = (note or "").strip() or None
    if note and len(note) > NOTE_MAX:
        raise InvalidLabel(f"The note is {len(note)} characters; keep it under {NOTE_MAX}.")
    with engine.begin() as connection:
        known = (
            store.get_score(connection, platform, external_id) is not None
            or store.actor(connection, platform, external_id) is not None
            or store.has_posts(connection, platform, external_id)
        )
        if not known:
            raise NotFound(
                f"No account {platform}:{external_id} in the database; check the platform and "
                "the id (ediplomacy bots list shows them)."
            )
        store.insert_label(connection, platform, external_id, label, note, labeled_by=actor,
                           labeled_at=utcnow())  # fmt: skip
        audit.append(connection, LABELED, actor=actor, target=f"{platform}:{external_id}", ip=ip,
                     detail={"label": label, "note": (note or "")[:200]})  # fmt: skip
        return store.labels_of(connection, platform, external_id)[0]


def write_labels(engine: Engine, handle: TextIO, *, latest_only: bool = False) -> int:
    """Write the labels as CSV with each account's current score and measures; the count."""
    written = 0
    writer = csv.writer(handle)
    writer.writerow(LABEL_COLUMNS)
    with engine.connect() as connection:
        for item in store.iterate_labels(connection, latest_only=latest_only):
            label = item.label
            writer.writerow([
                label.id, label.platform, label.external_id, item.handle or "", label.label,
                label.note or "", label.labeled_by, label.labeled_at.isoformat(),
                "" if item.score is None else f"{item.score:.6f}", item.model_version or "",
                json.dumps(item.features, sort_keys=True) if item.features else "",
            ])  # fmt: skip
            written += 1
    return written


def export_labels(engine: Engine, out: Path, *, latest_only: bool = False) -> int:
    """The labels CSV (see write_labels) written to `out`; the count."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        return write_labels(engine, handle, latest_only=latest_only)


def all_labels(engine: Engine, *, latest_only: bool = False) -> list[AccountLabel]:
    """Every label (or each account's latest), oldest first."""
    with engine.connect() as connection:
        return [item.label for item in store.iterate_labels(connection, latest_only=latest_only)]


# -- evaluation -----------------------------------------------------------------------------


def demo_truth(path: Path) -> set[tuple[str, str]]:
    """The bot-like accounts planted in a demo scenario (its ground_truth.json)."""
    try:
        truth = json.loads(path.read_text(encoding="utf-8"))
        planted = truth["accounts"]["bot_like"]
        return {(item["platform"], item["external_id"]) for item in planted}
    except OSError as error:
        raise UnreadableInput(f"{path}: cannot read it ({error.strerror or error}).") from None
    except (ValueError, KeyError, TypeError):
        raise UnreadableInput(
            f"{path}: not a demo ground truth (no accounts.bot_like); give the "
            "ground_truth.json that `ediplomacy demo` writes beside the scenario."
        ) from None


def label_truth(engine: Engine) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(automated, human) accounts by their latest label; 'unsure' counts as neither."""
    positives: set[tuple[str, str]] = set()
    negatives: set[tuple[str, str]] = set()
    with engine.connect() as connection:
        for item in store.iterate_labels(connection, latest_only=True):
            key = (item.label.platform, item.label.external_id)
            if item.label.label == "automated":
                positives.add(key)
            elif item.label.label == "human":
                negatives.add(key)
    return positives, negatives


def roc_auc(positive_scores: list[float], negative_scores: list[float]) -> float | None:
    """Probability that a positive scores above a negative (ties count half)."""
    if not positive_scores or not negative_scores:
        return None
    values = np.asarray(positive_scores + negative_scores)
    order = values.argsort(kind="mergesort")
    ranks = np.empty(len(values))
    sorted_values = values[order]
    i = 0
    while i < len(values):  # average ranks over ties
        j = i
        while j + 1 < len(values) and sorted_values[j + 1] == sorted_values[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    n_pos, n_neg = len(positive_scores), len(negative_scores)
    u = ranks[:n_pos].sum() - n_pos * (n_pos + 1) / 2
    return float(u / (n_pos * n_neg))


def evaluate(
    engine: Engine,
    positives: set[tuple[str, str]],
    negatives: set[tuple[str, str]] | None = None,
    *,
    k: int | None = None,
    threshold: float = 0.5,
    top: int = 0,
) -> Evaluation:
    """Precision and recall among the top k and above `threshold`, and ROC-AUC.

    Without `negatives`, every other scored account counts as not automated. k defaults to the
    number of known automated accounts that have a score.
    """
    with engine.connect() as connection:
        scores = store.all_scores(connection)
    if negatives is not None:
        scores = [s for s in scores if (s[0], s[1]) in positives or (s[0], s[1]) in negatives]
    ranked = sorted(scores, key=lambda s: (-s[2], s[0], s[1]))
    is_positive = [(s[0], s[1]) in positives for s in ranked]
    positives_scored = sum(is_positive)
    k = k or positives_scored or 1
    hits = sum(is_positive[:k])
    above = [flag for flag, s in zip(is_positive, ranked, strict=True) if s[2] >= threshold]
    return Evaluation(
        scored=len(ranked),
        positives=len(positives),
        positives_scored=positives_scored,
        k=k,
        precision_at_k=hits / min(k, len(ranked)) if ranked else 0.0,
        recall_at_k=hits / len(positives) if positives else 0.0,
        roc_auc=roc_auc([s[2] for s, p in zip(ranked, is_positive, strict=True) if p],
                        [s[2] for s, p in zip(ranked, is_positive, strict=True) if not p]),
        threshold=threshold,
        precision_at_threshold=sum(above) / len(above) if above else None,
        recall_at_threshold=sum(above) / len(positives) if positives else 0.0,
        top=[(s[0], s[1], s[2], p) for s, p in zip(ranked[:top], is_positive[:top], strict=True)],
    )  # fmt: skip


# -- shapes for the JSON API and the CLI ----------------------------------------------------


def score_json(item: AccountScore) -> dict[str, Any]:
    """One scored account as the JSON API and `bots list --json` give it."""
    return {
        "platform": item.platform,
        "external_id": item.external_id,
        "handle": item.handle,
        "name": item.name,
        "score": round(item.score, 4),
        "model_version": item.model_version,
        "computed_at": item.computed_at.isoformat(),
        "reasons": described(item.reasons),
        "features": item.features,
        "label": None
        if item.label is None
        else {
            "label": item.label,
            "note": item.label_note,
            "labeled_by": item.labeled_by,
            "labeled_at": item.labeled_at.isoformat() if item.labeled_at else None,
        },
        "notice": NOTICE,
    }


def label_json(label: AccountLabel) -> dict[str, Any]:
    return {
        "id": label.id,
        "platform": label.platform,
        "external_id": label.external_id,
        "label": label.label,
        "note": label.note,
        "labeled_by": label.labeled_by,
        "labeled_at": label.labeled_at.isoformat(),
    }
