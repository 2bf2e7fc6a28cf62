"""Matching posts against the fact-check base, incrementally, and keeping the index on disk.

A run (`match_posts`):
1. embeds every fact-check whose claim text is new or changed (accurate embedder, stored in
   `fact_check_vectors` with the hash of the text it embedded);
2. loads the claims into a ClaimSearch; the HNSW index is saved under `data/indexes/` and
   reused while the base is unchanged (its signature: the ids and text hashes);
3. takes the posts that have an accurate vector and have not been through this ranker version
   (the `claims` entry of `post_enrichments`), and when the base changed since the last run,
   also the posts of the last `claim_rematch_days` days, so a new fact-check finds the posts
   already circulating;
4. writes, per post, the candidates whose calibrated probability reaches the threshold (at most
   MAX_MATCHES) as `pending` matches for review; a pair an analyst confirmed or rejected is kept
   as they left it.
Every step is idempotent: a run stopped anywhere is simply run again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.integrity.claim_projection import ClaimProjection
from ediplomacy.integrity.claim_ranker import ClaimRanker
from ediplomacy.integrity.claim_search import ClaimSearch, load_index, save_index
from ediplomacy.nlp.embedders import Embedder, space_embedder
from ediplomacy.pipeline.textnorm import text_for_models
from ediplomacy.store import claim_matches as store
from ediplomacy.store import cursors
from ediplomacy.store.enrichments import write_results
from ediplomacy.store.timeutil import utcnow

STAGE = "claims"
SPACE = "accurate"
MAX_MATCHES = 3
BATCH = 500
VERSION_CHARS = 60  # the model_version columns
Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class MatchReport:
    claims: int = 0
    claims_embedded: int = 0
    posts: int = 0
    matched_posts: int = 0
    matches: int = 0
    rematched: bool = False
    threshold: float = 0.0


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def claim_input(claim_text: str) -> str:
    return text_for_models(claim_text)


def embed_fact_checks(engine: Engine, embedder: Embedder, progress: Progress | None = None) -> int:
    """Embed the fact-checks whose text changed or was never embedded; how many were."""
    with engine.connect() as connection:
        texts = store.fact_check_texts(connection)
        known = store.fact_check_vector_hashes(connection, SPACE, embedder.name)
    todo = [(row.id, claim_input(row.claim_text)) for row in texts]
    todo = [(fid, text) for fid, text in todo if known.get(fid) != text_hash(text)]
    for start in range(0, len(todo), 64):
        batch = todo[start : start + 64]
        vectors = embedder.embed([text for _, text in batch])
        rows = [
            (fid, text_hash(text), vector.astype(np.float16).tobytes(), embedder.dim)
            for (fid, text), vector in zip(batch, vectors, strict=True)
        ]
        with engine.begin() as connection:
            store.write_fact_check_vectors(
                connection, space=SPACE, model=embedder.name, version=embedder.version, rows=rows
            )
        if progress:
            progress("embedding fact-checks", start + len(batch), len(todo))
    return len(todo)


@dataclass(slots=True)
class LoadedBase:
    search: ClaimSearch
    languages: list[str | None]
    signature: str


def load_base(
    engine: Engine,
    embedder: Embedder,
    index_dir: Path,
    projection: ClaimProjection | None = None,
) -> LoadedBase:
    """The embedded fact-checks as a ClaimSearch (its vectors mapped by `projection`, the
    ranker's), reusing the saved index when still valid."""
    with engine.connect() as connection:
        rows = store.fact_check_vectors_of(connection, SPACE, embedder.name)
    keys = [row.fact_check_id for row in rows]
    vectors = (
        np.vstack([np.frombuffer(row.vector, dtype=np.float16) for row in rows])
        if rows
        else np.zeros((0, embedder.dim), dtype=np.float16)
    )
    mapped = f" projection {projection.digest()}" if projection else ""
    digest = hashlib.sha256(f"{embedder.name} {embedder.version}{mapped}".encode())
    for row in rows:
        digest.update(f"{row.fact_check_id}:{text_hash(row.claim_text)};".encode())
    signature = digest.hexdigest()
    path = index_dir / f"claims-{embedder.name}.usearch"
    stamp = path.with_suffix(".signature")
    index = None
    if stamp.exists() and stamp.read_text() == signature:
        index = load_index(path, embedder.dim)
    if index is not None and len(index) != len(keys):
        index = None
    texts = [f"{row.claim_text} {row.title or ''}".strip() for row in rows]
    search = ClaimSearch(keys, texts, vectors, index=index, projection=projection)
    if index is None:  # ClaimSearch built it from the (projected) vectors
        save_index(search.index, path)
        stamp.write_text(signature)
    return LoadedBase(search, [row.language for row in rows], signature)


def match_version(ranker: ClaimRanker, embedder: Embedder) -> str:
    """What the posts were matched with: the ranker's version and the embedder's name, within
    the VERSION_CHARS that `claim_matches` and `post_enrichments` hold for it."""
    version = ranker.version
    if embedder.name not in version and embedder.name != ranker.trained_with:
        version = f"{version}/{embedder.name}"
    if len(version) > VERSION_CHARS:
        digest = hashlib.sha256(version.encode()).hexdigest()[:10]
        version = f"{version[: VERSION_CHARS - 11]}~{digest}"
    return version


def same_language(post_language: str | None, claim_language: str | None) -> bool:
    """Lexical features count unless both languages are known and differ."""
    if not post_language or not claim_language:
        return True
    return post_language.split("-")[0].lower() == claim_language.split("-")[0].lower()


def match_one(
    base: LoadedBase,
    ranker: ClaimRanker,
    text: str,
    language: str | None,
    vector: np.ndarray,
    threshold: float,
) -> list[dict[str, float | int]]:
    """The matches of one post: fact-check id, score, similarity, rank; best first."""
    search = base.search
    candidates = search.candidates(vector, text)
    if not candidates:
        return []
    lexical = [same_language(language, base.languages[c.row]) for c in candidates]
    scores = np.where(
        lexical,
        ranker.score(candidates, text, search, lexical=True),
        ranker.score(candidates, text, search, lexical=False),
    )
    order = np.argsort(-scores, kind="stable")[:MAX_MATCHES]
    return [
        {
            "fact_check_id": int(search.keys[candidates[i].row]),
            "score": float(scores[i]),
            "similarity": float(candidates[i].cosine),
            "rank": rank,
        }
        for rank, i in enumerate(order, start=1)
        if scores[i] >= threshold
    ]


def match_posts(
    engine: Engine,
    settings: Settings,
    *,
    progress: Progress | None = None,
    ranker: ClaimRanker | None = None,
    embedder: Embedder | None = None,
) -> MatchReport:
    """Match every post not yet matched (and recent posts when the base changed)."""
    ranker = ranker or ClaimRanker.load(settings.claim_ranker)
    embedder = embedder or space_embedder(settings, "accurate")
    threshold = (
        settings.claim_match_threshold
        if settings.claim_match_threshold is not None
        else ranker.threshold
    )
    report = MatchReport(threshold=threshold)
    report.claims_embedded = embed_fact_checks(engine, embedder, progress)
    projection = ranker.projection_for(embedder.name, embedder.dim)
    base = load_base(engine, embedder, settings.data_dir / "indexes", projection)
    report.claims = len(base.search)
    version = match_version(ranker, embedder)
    with engine.connect() as connection:
        saved = cursors.load_cursor(connection, STAGE, "base")
    rematch = saved is not None and saved.state.get("signature") != base.signature
    passes: list[tuple[bool, datetime | None]] = [(False, None)]
    if rematch and settings.claim_rematch_days > 0:
        report.rematched = True
        passes.append((True, utcnow() - timedelta(days=settings.claim_rematch_days)))
    for rematch_pass, since in passes:
        after_id = 0
        while True:
            with engine.connect() as connection:
                rows = store.posts_to_match(
                    connection,
                    stage=STAGE,
                    version=version,
                    space=SPACE,
                    after_id=after_id,
                    limit=BATCH,
                    since=since,
                    rematch=rematch_pass,
                )
            if not rows:
                break
            after_id = rows[-1].id
            results = []
            with engine.begin() as connection:
                for row in rows:
                    vector = np.frombuffer(row.vector, dtype=np.float16).astype(np.float32)
                    text = text_for_models(row.text or "")
                    found = (
                        match_one(base, ranker, text, row.language, vector, threshold)
                        if len(base.search) and vector.shape[0] == embedder.dim
                        else []
                    )
                    now = utcnow()
                    written = store.replace_matches(
                        connection,
                        row.id,
                        [
                            {**m, "model": ranker.name, "model_version": version, "matched_at": now}
                            for m in found
                        ],
                    )
                    report.matches += written
                    report.matched_posts += 1 if found else 0
                    results.append((row.id, {"matches": found, "base": base.signature[:16]}))
                write_results(
                    connection,
                    stage=STAGE,
                    model=ranker.name,
                    version=version,
                    results=results,
                    post_columns=[],
                    now=utcnow(),
                )
            report.posts += len(rows)
            if progress:
                progress("matching posts", report.posts, report.posts)
    with engine.begin() as connection:
        cursors.save_cursor(
            connection,
            STAGE,
            "base",
            state={"signature": base.signature},
            cursor=None,
            collection_id=None,
            now=utcnow(),
        )
    return report
