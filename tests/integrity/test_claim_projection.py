"""The claim projection: stored and read back exactly, learnt where a linear map helps, kept at
the identity where it does not, and applied the same way to the index and to the searched post.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import orjson
import pytest
from sqlalchemy.engine import Engine

from ediplomacy.integrity.claim_matcher import embed_fact_checks, load_base
from ediplomacy.integrity.claim_projection import ClaimProjection, RetrievalPairs, fit_projection
from ediplomacy.integrity.claim_ranker import ClaimRanker
from ediplomacy.integrity.claim_search import ClaimSearch
from ediplomacy.nlp.vectors import normalise
from tests.integrity.claim_data import accurate_embedder, add_fact

DIM = 16


def random_projection(seed: int, dim: int = DIM) -> ClaimProjection:
    rng = np.random.default_rng(seed)
    return ClaimProjection((np.eye(dim) + 0.3 * rng.normal(size=(dim, dim))).astype(np.float32))


def test_a_projection_round_trips_through_json() -> None:
    projection = random_projection(1)
    back = ClaimProjection.from_json(orjson.loads(orjson.dumps(projection.as_json())))
    assert back.dim == DIM
    assert np.array_equal(back.matrix, projection.matrix.astype(np.float16).astype(np.float32))
    assert back.digest() == projection.digest() != random_projection(2).digest()
    broken = {**projection.as_json(), "dim": DIM + 1}
    with pytest.raises(ValueError, match="17x17"):
        ClaimProjection.from_json(broken)


def test_apply_gives_unit_rows_and_refuses_another_width() -> None:
    projection = random_projection(3)
    rows = np.random.default_rng(4).normal(size=(5, DIM)).astype(np.float32)
    mapped = projection.apply(rows)
    assert mapped.shape == (5, DIM)
    assert np.allclose(np.linalg.norm(mapped, axis=1), 1.0, atol=1e-5)
    assert np.allclose(projection.apply(rows[0]), mapped[0])  # one vector, same row
    with pytest.raises(ValueError, match="8 dimensions"):
        projection.apply(rows[:, :8])


def distorted_world(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Claims, and queries that say the same thing in a distorted space: each query is its
    claim seen through a fixed map that inflates a few noisy directions the claims share."""
    rng = np.random.default_rng(seed)
    claims = normalise(rng.normal(size=(200, DIM)).astype(np.float32))
    distortion = np.eye(DIM, dtype=np.float32)
    distortion[:, :4] += 3.0 * rng.normal(size=(DIM, 4)).astype(np.float32)
    answers = rng.integers(0, len(claims), size=400)
    noise = 0.4 * rng.normal(size=(400, DIM)).astype(np.float32)
    queries = normalise(claims[answers] @ distortion + noise)
    return claims, queries, answers, distortion


def hits_at_1(
    claims: np.ndarray, queries: np.ndarray, answers: np.ndarray, p: ClaimProjection
) -> float:
    best = np.argmax(p.apply(queries) @ p.apply(claims).T, axis=1)
    return float(np.mean(best == answers))


def test_fitting_learns_a_map_that_finds_more_right_claims() -> None:
    claims, queries, answers, _ = distorted_world(5)
    train = RetrievalPairs(queries[:300], claims, np.arange(300), answers[:300])

    def validate(projection: ClaimProjection, epoch: int) -> float:
        return hits_at_1(claims, queries[300:], answers[300:], projection)

    identity = ClaimProjection(np.eye(DIM, dtype=np.float32))
    projection, epoch, scores = fit_projection([train], validate, epochs=8, learning_rate=1e-2)
    assert len(scores) == 9 and scores[0] == validate(identity, 0)
    assert epoch >= 1 and scores[epoch] == max(scores)
    assert validate(projection, epoch) == scores[epoch]
    assert scores[epoch] >= scores[0] + 0.1, scores  # held-out queries found far more often


def test_fitting_keeps_the_identity_when_no_epoch_beats_it() -> None:
    claims, queries, answers, _ = distorted_world(6)
    train = RetrievalPairs(queries, claims, np.arange(len(queries)), answers)
    projection, epoch, scores = fit_projection(
        [train],
        lambda _p, e: 1.0 - e,
        epochs=2,  # every epoch scores worse than none
    )
    assert epoch == 0 and scores == [1.0, 0.0, -1.0]
    assert np.array_equal(projection.matrix, np.eye(DIM, dtype=np.float32))


def test_the_search_maps_claims_and_the_searched_vector_alike() -> None:
    claims, queries, _, _ = distorted_world(7)
    projection = random_projection(8)
    texts = [f"claim {i}" for i in range(len(claims))]
    search = ClaimSearch(range(len(claims)), texts, claims, projection=projection)
    found = search.candidates(queries[0], "")
    expected = projection.apply(claims) @ projection.apply(queries[0])
    for candidate in found:
        assert candidate.cosine == pytest.approx(float(expected[candidate.row]), abs=2e-3)
    best = max(found, key=lambda c: c.cosine)
    assert best.row == int(np.argmax(expected))


def with_projection(ranker: ClaimRanker, projection: ClaimProjection) -> ClaimRanker:
    return ClaimRanker(
        ranker.full, ranker.dense, ranker.threshold, "v-mapped", ranker.card, projection
    )


def test_the_ranker_file_carries_its_projection(tmp_path: Path) -> None:
    bundled = ClaimRanker.load()
    assert bundled.projection is None  # the bundled ranker ranks the encoder's own cosine
    bundled.save(tmp_path / "plain.json")
    assert ClaimRanker.load(tmp_path / "plain.json").projection is None
    mapped = with_projection(bundled, random_projection(9, 384))
    mapped.save(tmp_path / "mapped.json")
    again = ClaimRanker.load(tmp_path / "mapped.json")
    assert again.projection is not None and mapped.projection is not None
    assert again.projection.digest() == mapped.projection.digest()


def test_a_new_projection_rebuilds_the_saved_index(sqlite_engine: Engine, tmp_path: Path) -> None:
    embedder = accurate_embedder()
    for claim in ("The ferry was sold to a navy", "Visa fees double next month"):
        add_fact(sqlite_engine, claim)
    embed_fact_checks(sqlite_engine, embedder)
    ranker = with_projection(ClaimRanker.load(), random_projection(10, 384))
    plain = load_base(sqlite_engine, embedder, tmp_path)
    mapped = load_base(sqlite_engine, embedder, tmp_path, ranker.projection)
    assert plain.signature != mapped.signature
    assert mapped.search.projection is ranker.projection
    assert load_base(sqlite_engine, embedder, tmp_path, ranker.projection).signature == (
        mapped.signature
    )
    assert ranker.projection is not None
    vector = embedder.embed(["Someone says the ferry went to a foreign navy"])[0]
    raw = {c.row: c.cosine for c in plain.search.candidates(vector, "")}
    projected = {c.row: c.cosine for c in mapped.search.candidates(vector, "")}
    assert raw.keys() == projected.keys() == {0, 1}
    claims = plain.search.vectors.astype(np.float32)
    expected = ranker.projection.apply(claims) @ ranker.projection.apply(vector)
    for row, cosine in projected.items():  # the cosine comes from the mapped vectors
        assert cosine == pytest.approx(float(expected[row]), abs=2e-3)
        assert cosine != pytest.approx(raw[row], abs=1e-3)


def test_the_projection_serves_only_the_embedder_it_was_learnt_on() -> None:
    ranker = with_projection(ClaimRanker.load(), random_projection(11, 384))
    assert ranker.projection is not None
    assert ranker.projection_for(ranker.trained_with, 384) is ranker.projection
    assert ranker.projection_for("multilingual-e5-small-q4", 384) is None  # another build
    assert ranker.projection_for(ranker.trained_with, 512) is None
