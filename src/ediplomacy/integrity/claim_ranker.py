"""Ordering candidate claims, and the calibrated probability that a candidate is a true match.

A logistic regression over a few features of each (text, candidate) pair, trained by
`scripts/train_claim_ranker.py` on the CheckThat! training queries; its probabilities are
calibrated on the pairs it ranks, so one threshold means the same thing for every post.
There are two models: `full` (dense and lexical features) for a text and a claim in the same
language, and `dense` (embedding features only) across languages, where shared words mean
nothing. The weights are a small JSON file bundled with the package (nlp/heads).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from ediplomacy.integrity.claim_projection import ClaimProjection
from ediplomacy.integrity.claim_search import Candidate, ClaimSearch, words

# Absolute features only: a relative one (the gap to the best candidate, a share of the best
# BM25) makes the best candidate of a small base look like a match whatever it says.
FULL = ("cosine", "bm25_log", "overlap", "coverage")
DENSE = ("cosine",)
BUNDLED = "claim_ranker.json"


def pair_features(candidates: Sequence[Candidate], text: str, search: ClaimSearch) -> np.ndarray:
    """One row of FULL features per candidate (the dense model reads the first columns):
    cosine of the embeddings, log(1 + BM25), the share of the smaller word set found in the
    other (`overlap`) and the share of the claim's words found in the text (`coverage`)."""
    if not candidates:
        return np.zeros((0, len(FULL)), dtype=np.float64)
    query = set(words(text))
    shared = [len(query & search.lexicon[c.row]) for c in candidates]
    sizes = [len(search.lexicon[c.row]) for c in candidates]
    return np.column_stack(
        [
            np.array([c.cosine for c in candidates]),
            np.log1p(np.array([c.bm25 for c in candidates])),
            np.array(
                [n / max(1, min(len(query), size)) for n, size in zip(shared, sizes, strict=True)]
            ),
            np.array([n / max(1, size) for n, size in zip(shared, sizes, strict=True)]),
        ]
    )


@dataclass(frozen=True, slots=True)
class LogisticModel:
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def probability(self, rows: np.ndarray) -> np.ndarray:
        if rows.shape[0] == 0:
            return np.zeros(0)
        x = (rows[:, : len(self.features)] - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-(x @ self.coef + self.intercept)))

    def as_json(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LogisticModel:
        return cls(
            tuple(data["features"]),
            np.array(data["mean"]),
            np.array(data["scale"]),
            np.array(data["coef"]),
            float(data["intercept"]),
        )


@dataclass(frozen=True, slots=True)
class ClaimRanker:
    """The two models, the match threshold chosen on validation, and where they came from;
    `projection`, when trained, maps the embeddings before the cosine (claim_projection)."""

    full: LogisticModel
    dense: LogisticModel
    threshold: float
    version: str
    card: dict[str, Any]
    projection: ClaimProjection | None = None

    name = "claim-ranker"

    def score(
        self, candidates: Sequence[Candidate], text: str, search: ClaimSearch, *, lexical: bool
    ) -> np.ndarray:
        """Probability of a true match for each candidate."""
        rows = pair_features(candidates, text, search)
        return (self.full if lexical else self.dense).probability(rows)

    @property
    def trained_with(self) -> str:
        """The name of the embedder whose vectors the ranker was trained on."""
        return str(self.card.get("embedder", "")).split(" ")[0]

    def projection_for(self, embedder_name: str, dim: int) -> ClaimProjection | None:
        """The projection, for vectors of the embedder it was learnt on; None for any other
        (a map learnt in one model's space means nothing in another's)."""
        if self.projection is None or self.projection.dim != dim:
            return None
        return self.projection if embedder_name == self.trained_with else None

    def save(self, path: Path) -> None:
        payload = {
            "version": self.version,
            "threshold": self.threshold,
            "full": self.full.as_json(),
            "dense": self.dense.as_json(),
            "card": self.card,
            **({"projection": self.projection.as_json()} if self.projection else {}),
        }
        path.write_bytes(
            orjson.dumps(payload, option=orjson.OPT_INDENT_2 | orjson.OPT_SERIALIZE_NUMPY)
        )

    @classmethod
    def load(cls, path: Path | None = None) -> ClaimRanker:
        raw = (
            path.read_bytes()
            if path
            else files("ediplomacy.nlp").joinpath("heads", BUNDLED).read_bytes()
        )
        data = orjson.loads(raw)
        return cls(
            LogisticModel.from_json(data["full"]),
            LogisticModel.from_json(data["dense"]),
            float(data["threshold"]),
            str(data["version"]),
            dict(data.get("card", {})),
            ClaimProjection.from_json(data["projection"]) if data.get("projection") else None,
        )


def fit_logistic(rows: np.ndarray, labels: np.ndarray, features: tuple[str, ...]) -> LogisticModel:
    from sklearn.linear_model import LogisticRegression

    x = rows[:, : len(features)]
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=1.0, max_iter=1000)
    model.fit((x - mean) / scale, labels)
    return LogisticModel(features, mean, scale, model.coef_[0].copy(), float(model.intercept_[0]))


def expected_calibration_error(
    probabilities: np.ndarray, outcomes: np.ndarray, bins: int = 10
) -> float:
    """Mean |predicted - observed| over equal-width probability bins, weighted by their size."""
    if len(probabilities) == 0:
        return math.nan
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for low, high in itertools.pairwise(edges):
        inside = (probabilities >= low) & ((probabilities < high) | (high == 1.0))
        if inside.any():
            total += inside.sum() * abs(probabilities[inside].mean() - outcomes[inside].mean())
    return total / len(probabilities)
