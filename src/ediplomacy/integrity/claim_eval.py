"""`ediplomacy eval claims`: claim retrieval scored on CheckThat! sets, and the ranker's training.

Each set's verified claims become a ClaimSearch (the same index and features the app uses on
posts); every query is embedded as the pipeline embeds a post (`text_for_models`, passage
side), so the figures say what matching does in the app. Three orderings are scored side by
side: dense cosine alone, BM25 alone, and the calibrated ranker over their candidates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ediplomacy.integrity.checkthat import (
    RetrievalScores,
    RetrievalTask,
    VerifiedClaim,
    score_rankings,
)
from ediplomacy.integrity.claim_projection import ClaimProjection, RetrievalPairs
from ediplomacy.integrity.claim_ranker import ClaimRanker, pair_features
from ediplomacy.integrity.claim_search import ClaimSearch
from ediplomacy.nlp.embedders import Embedder
from ediplomacy.nlp.text_vectors import TextVectorCache
from ediplomacy.pipeline.textnorm import text_for_models

Progress = Callable[[str, int, int], None]  # (what, done, total)
METHODS = ("dense", "bm25", "ranker")


def claim_words(claim: VerifiedClaim) -> str:
    return f"{claim.text} {claim.title}".strip()


@dataclass(slots=True)
class PreparedTask:
    task: RetrievalTask
    ids: list[str]
    search: ClaimSearch
    query_ids: list[str]
    query_texts: list[str]
    query_vectors: np.ndarray


def prepare(
    task: RetrievalTask,
    embedder: Embedder,
    cache_dir: Path,
    progress: Progress | None = None,
    *,
    searches: dict[tuple[str, ...], tuple[list[str], ClaimSearch]] | None = None,
    projection: ClaimProjection | None = None,
) -> PreparedTask:
    """Embed (or read from the cache) the task's claims and queries and index the claims
    (mapped by `projection`, the ranker's, as the app maps them)."""
    ids = list(task.claims)
    key = (projection.digest() if projection else "", *ids)
    with TextVectorCache(cache_dir, embedder) as cache:
        if searches is not None and key in searches:
            ids, search = searches[key]
        else:
            claims = [task.claims[cid] for cid in ids]
            vectors = cache.vectors(
                [text_for_models(c.text) for c in claims],
                (lambda d, t: progress(f"{task.name}: claims", d, t)) if progress else None,
            )
            search = ClaimSearch(
                range(len(ids)), [claim_words(c) for c in claims], vectors, projection=projection
            )
            if searches is not None:
                searches[key] = (ids, search)
        query_ids = task.judged()
        texts = [text_for_models(task.queries[q]) for q in query_ids]
        query_vectors = cache.vectors(
            texts, (lambda d, t: progress(f"{task.name}: queries", d, t)) if progress else None
        )
    return PreparedTask(task, ids, search, query_ids, texts, query_vectors)


def rankings(
    prepared: PreparedTask, method: str, ranker: ClaimRanker | None, *, lexical: bool = True
) -> dict[str, list[str]]:
    """Query id -> verified claim ids, best first (at most 10). `lexical=False` ranks with the
    cross-language model, as the app does when a post and a claim differ in language."""
    out: dict[str, list[str]] = {}
    search = prepared.search
    for qid, text, vector in zip(
        prepared.query_ids, prepared.query_texts, prepared.query_vectors, strict=True
    ):
        candidates = search.candidates(vector, text)
        if method == "dense":
            keys = np.array([c.cosine for c in candidates])
        elif method == "bm25":
            keys = np.array([c.bm25 for c in candidates])
        elif ranker is not None:
            keys = ranker.score(candidates, text, search, lexical=lexical)
        else:
            raise ValueError("the ranker method needs a ranker")
        order = np.argsort(-keys, kind="stable")[:10]
        out[qid] = [prepared.ids[candidates[i].row] for i in order]
    return out


@dataclass(slots=True)
class TaskReport:
    name: str
    scores: dict[str, RetrievalScores] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, **{m: s.as_dict() for m, s in self.scores.items()}}


def evaluate(
    prepared: PreparedTask,
    ranker: ClaimRanker,
    methods: Sequence[str] = METHODS,
    *,
    lexical: bool = True,
) -> TaskReport:
    report = TaskReport(prepared.task.name)
    for method in methods:
        report.scores[method] = score_rankings(
            rankings(prepared, method, ranker, lexical=lexical), prepared.task.qrels
        )
    return report


def training_pairs(
    prepared: PreparedTask, *, unmatched: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels (1 = relevant) and query numbers of every candidate pair of a task.

    With `unmatched`, each query's relevant claims are taken out of its candidates: the query
    then stands for a post whose claim is not in the base, every candidate a negative. Training
    on both keeps the probabilities honest for the many posts that match nothing.
    """
    rows: list[np.ndarray] = []
    labels: list[int] = []
    groups: list[int] = []
    for number, (qid, text, vector) in enumerate(
        zip(prepared.query_ids, prepared.query_texts, prepared.query_vectors, strict=True)
    ):
        relevant = prepared.task.qrels[qid]
        candidates = prepared.search.candidates(vector, text)
        if unmatched:
            candidates = [c for c in candidates if prepared.ids[c.row] not in relevant]
        rows.append(pair_features(candidates, text, prepared.search))
        labels.extend(1 if prepared.ids[c.row] in relevant else 0 for c in candidates)
        groups.extend([number] * len(candidates))
    return np.vstack(rows), np.array(labels), np.array(groups)


def retrieval_pairs(prepared: PreparedTask) -> RetrievalPairs:
    """A training base for the projection: the encoder's vectors and (query, relevant claim)
    rows. The prepared search must hold the encoder's vectors (prepared without projection)."""
    row_of = {cid: row for row, cid in enumerate(prepared.ids)}
    query_rows, claim_rows = [], []
    for number, qid in enumerate(prepared.query_ids):
        for cid in sorted(prepared.task.qrels[qid]):
            if cid in row_of:
                query_rows.append(number)
                claim_rows.append(row_of[cid])
    return RetrievalPairs(
        prepared.query_vectors,
        prepared.search.vectors.astype(np.float32),
        np.array(query_rows, dtype=np.int64),
        np.array(claim_rows, dtype=np.int64),
    )


def exact_dense_scores(
    prepared: PreparedTask, projection: ClaimProjection | None = None
) -> RetrievalScores:
    """MAP and recall of an exact cosine ranking over the whole base (no index), with the
    encoder's vectors of an unprojected `prepared` mapped by `projection`."""
    claims = prepared.search.vectors.astype(np.float32)
    queries = prepared.query_vectors
    if projection is not None:
        claims, queries = projection.apply(claims), projection.apply(queries)
    top = np.argsort(-(queries @ claims.T), axis=1, kind="stable")[:, :10]
    ranked = {
        qid: [prepared.ids[int(row)] for row in rows]
        for qid, rows in zip(prepared.query_ids, top, strict=True)
    }
    return score_rankings(ranked, prepared.task.qrels)
