"""Emerging topics: clusters of recent posts' fast vectors, labelled with their top terms.

Each distinct text (after dropping retweet prefixes and links) is clustered once, weighted by how
often it was posted, with k-means in the fast embedding space; clusters smaller than `MIN_SIZE`
posts are left out. A cluster's label is its top terms by class-based TF-IDF (a term's share of
the cluster's words against its spread over all clusters), computed over distinct texts so that a
copied message does not drown the rest. A cluster is *emerging* when its volume in the latest
window (`recent`, 24 hours by default) is at least `EMERGING_GROWTH` times its average volume per
window before it. `discover` replaces the stored clusters and the posts' "cluster" facets.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy.engine import Engine

from ediplomacy.domain.errors import EdiplomacyError
from ediplomacy.nlp.vectors import normalise, stack
from ediplomacy.pipeline.textnorm import text_for_models
from ediplomacy.store import emerging as emerging_store
from ediplomacy.store.timeutil import as_utc, utcnow

MAX_POSTS = 50_000  # newest posts clustered; bounds memory (512 floats a post)
MIN_SIZE = 5
MAX_CLUSTERS = 60
EMERGING_GROWTH = 3.0
EMERGING_MIN_POSTS = 10
TERMS = 8
SAMPLES = 5

# Minimal stopword lists: what is left after them is what a cluster is about.
_STOPWORD_TEXT = """
    the a an and or but if of to in on at for from by with about as is are was were be been being
    it its this that these those i you he she we they me my your our their his her them us do does
    did have has had will would can could should may might must not no yes so just very more most
    all any some what which who whom how why when where there here than then too also only out up
    down over into after before again get got just really please thanks thank amp via rt
    yang dan di ke dari ini itu untuk dengan pada adalah akan tidak ada juga sudah belum kami kita
    saya aku kamu anda mereka dia ia nya atau tapi tetapi karena kalau jika agar supaya bisa dapat
    oleh dalam sebagai lebih sangat masih telah bagi hanya saja lagi sih deh dong kok ya yg gak
    nggak tak tidak udah aja kalian semua semoga mari para
    ini itu yang dan untuk kepada kerana boleh tidak sudah akan ialah iaitu sahaja betul lah pun
    el la los las un una unos unas y o pero de del al en con por para que es son fue ser se su sus
    lo le les ya muy más como este esta esto ese esa hay no sí
    le la les un une des et ou mais de du au aux en dans sur pour par avec que qui est sont été
    être ce cet cette ces se sa son ses leur leurs il elle ils elles nous vous je tu ne pas plus
    في من على إلى عن مع هذا هذه ذلك التي الذي هو هي أن إن كان لا ما لم قد كل بعد قبل و يا
    """
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_WORD = re.compile(r"#?[^\W\d_][\w'\u2019-]*[^\W_]|#?[^\W\d_]{2,}")
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+")
_MENTION = re.compile(r"(?<![\w@])@[\w.\-]+")


class DiscoveryError(EdiplomacyError, ValueError):
    """Nothing to cluster in the window asked for."""


@dataclass(slots=True)
class EmergingTopic:
    """One cluster: its label and top terms, size, languages, sample posts and growth."""

    label: str
    terms: list[str]
    size: int
    languages: dict[str, int]
    sample_post_ids: list[int]
    growth: float | None
    emerging: bool
    members: list[tuple[int, float]] = field(default_factory=list, repr=False)
    id: int | None = None


def terms_of(text: str) -> list[str]:
    """Words (and #hashtags) of a text in lower case, CJK as character bigrams, no stopwords."""
    text = _MENTION.sub(" ", unicodedata.normalize("NFKC", text_for_models(text)))
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        out.extend(run[index : index + 2] for index in range(max(1, len(run) - 1)))
    for word in _WORD.findall(_CJK_RUN.sub(" ", text)):
        word = word.casefold().strip("'\u2019-")
        if len(word.lstrip("#")) >= 3 and word.lstrip("#") not in STOPWORDS:
            out.append(word)
    return out


def top_terms(clusters: list[list[str]], count: int = TERMS) -> list[list[str]]:
    """Each cluster's top terms by class-based TF-IDF; `clusters` holds each one's texts."""
    per_cluster = [Counter(term for text in texts for term in set(terms_of(text)))
                   for texts in clusters]  # fmt: skip
    overall: Counter[str] = Counter()
    for counts in per_cluster:
        overall.update(counts)
    average = sum(overall.values()) / max(1, len(clusters))
    out = []
    for counts in per_cluster:
        total = sum(counts.values()) or 1
        scored = sorted(
            counts.items(),
            key=lambda item: -(item[1] / total) * math.log(1 + average / overall[item[0]]),
        )
        chosen: list[str] = []
        for term, seen in scored:
            if seen < 2 and len(counts) > count:
                continue  # a word one text uses says nothing about the cluster
            # A hashtag and its word, or a bigram inside a chosen CJK word, say the same.
            if any(term.lstrip("#") == other.lstrip("#") for other in chosen):
                continue
            chosen.append(term)
            if len(chosen) == count:
                break
        out.append(chosen)
    return out


def choose_k(distinct: int, requested: int | None) -> int:
    if requested is not None:
        if requested < 2:
            raise DiscoveryError("ask for at least 2 clusters")
        return min(requested, distinct)
    return max(2, min(MAX_CLUSTERS, distinct, round(math.sqrt(distinct / 2))))


def discover(
    engine: Engine,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    clusters: int | None = None,
    recent: timedelta = timedelta(hours=24),
    seed: int = 0,
) -> list[EmergingTopic]:
    """Cluster the window's posts, label the clusters and store them (replacing earlier ones)."""
    from sklearn.cluster import KMeans

    since, until = as_utc(since), as_utc(until)
    texts: dict[str, int] = {}  # model text -> distinct index
    blobs: list[bytes] = []
    owners: list[int] = []  # per post: its distinct text
    post_ids: list[int] = []
    languages: list[str | None] = []
    created: list[datetime | None] = []
    with engine.connect() as conn:
        for chunk in emerging_store.window_posts(conn, since=since, until=until, limit=MAX_POSTS):
            for post in chunk:
                key = text_for_models(post.text).casefold()
                if key not in texts:
                    texts[key] = len(blobs)
                    blobs.append(post.vector)
                owners.append(texts[key])
                post_ids.append(post.post_id)
                languages.append(post.language)
                created.append(post.created_at)
    if len(texts) < 2:
        raise DiscoveryError(
            "fewer than 2 distinct posts with a fast vector in that window; "
            "run `ediplomacy analyze` first or widen --since/--until"
        )
    dim = len(blobs[0]) // 2
    vectors = normalise(stack(blobs, dim))
    weights = np.bincount(np.array(owners), minlength=len(blobs)).astype(np.float64)
    k = choose_k(len(blobs), clusters)
    model = KMeans(n_clusters=k, n_init=3, random_state=seed, max_iter=100)
    labels = model.fit_predict(vectors, sample_weight=weights)
    centroids = normalise(model.cluster_centers_.astype(np.float32))
    closeness = np.einsum("ij,ij->i", vectors, centroids[labels])

    distinct_texts = list(texts)
    members: list[list[int]] = [[] for _ in range(k)]  # post rows
    for row, owner in enumerate(owners):
        members[labels[owner]].append(row)
    kept = [index for index in range(k) if len(members[index]) >= MIN_SIZE]
    cluster_texts = [
        [distinct_texts[owner] for owner in np.flatnonzero(labels == index)] for index in kept
    ]
    terms = top_terms(cluster_texts)
    # Clusters of posts without words (links, emoji only) have nothing to show.
    kept, terms = [i for i, t in zip(kept, terms, strict=True) if t], [t for t in terms if t]
    stamps = [stamp for stamp in created if stamp is not None]
    start = since or min(stamps, default=None)
    end = until or max(stamps, default=None)
    first_post = {owner: post_ids[row] for row, owner in reversed(list(enumerate(owners)))}
    topics = []
    for index, cluster_terms in zip(kept, terms, strict=True):
        rows = members[index]
        owners_here = np.flatnonzero(labels == index)
        nearest = owners_here[np.argsort(-closeness[owners_here])][:SAMPLES]
        growth = _growth([created[row] for row in rows], start, end, recent)
        topics.append(
            EmergingTopic(
                label=" · ".join(cluster_terms[:3]) or "(no words)",
                terms=cluster_terms,
                size=len(rows),
                languages=dict(Counter(languages[row] or "und" for row in rows).most_common()),
                sample_post_ids=[first_post[int(owner)] for owner in nearest],
                growth=growth,
                emerging=growth is not None
                and growth >= EMERGING_GROWTH
                and _recent_count([created[row] for row in rows], end, recent)
                >= EMERGING_MIN_POSTS,
                members=[(post_ids[row], round(float(closeness[owners[row]]), 3)) for row in rows],
            )
        )
    topics.sort(key=lambda topic: (not topic.emerging, -topic.size))
    with engine.begin() as conn:
        ids = emerging_store.replace_emerging(
            conn,
            computed_at=utcnow(),
            window_start=since,
            window_end=until,
            topics=[_as_row(topic) for topic in topics],
            members=[topic.members for topic in topics],
        )
    for topic, topic_id in zip(topics, ids, strict=True):
        topic.id = topic_id
    return topics


def _as_row(topic: EmergingTopic) -> dict[str, object]:
    return {
        "label": topic.label,
        "terms": topic.terms,
        "size": topic.size,
        "languages": topic.languages,
        "sample_post_ids": topic.sample_post_ids,
        "growth": topic.growth,
        "emerging": topic.emerging,
    }


def _recent_count(
    stamps: Iterable[datetime | None], end: datetime | None, recent: timedelta
) -> int:
    if end is None:
        return 0
    return sum(1 for stamp in stamps if stamp is not None and stamp >= end - recent)


def _growth(
    stamps: list[datetime | None],
    start: datetime | None,
    end: datetime | None,
    recent: timedelta,
) -> float | None:
    """Posts in the latest window over the average per window before it (None: no history)."""
    known = [stamp for stamp in stamps if stamp is not None]
    if start is None or end is None or not known:
        return None
    windows_before = (end - recent - start) / recent
    if windows_before <= 0:
        return None
    latest = sum(1 for stamp in known if stamp >= end - recent)
    before = sum(1 for stamp in known if stamp < end - recent)
    # One post of history at least, so that a topic born in the latest window shows its size.
    return round(latest / max(before / windows_before, 1.0 / windows_before, 1e-9), 2)


def stored_topics(engine: Engine) -> list[dict[str, Any]]:
    """The clusters stored by the last `discover`, emerging ones first, then by size."""
    with engine.connect() as conn:
        return emerging_store.list_emerging(conn)
