"""A linear map of the accurate embeddings, learnt for matching posts to verified claims.

The encoder was trained for general similarity; a post that repeats a claim is phrased as a
tweet (names, handles, links, exclamations) and the claim as a fact-checker's summary. One
matrix W, applied to both sides before the cosine (`normalise(v @ W)`), is trained on the
CheckThat! training queries: each query's claim against every other claim of its base (a
softmax over the whole base, temperature TAU), with W kept near the identity (an L2 penalty on
W - I) so what the encoder knows of other languages survives. Stored vectors stay the encoder's:
the map is applied when the claim index is built and when a post is matched, so the posts'
vectors still serve search, narratives and coordination unchanged.

Run time is numpy; `fit_projection` (for `scripts/train_claim_ranker.py`) needs torch.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ediplomacy.nlp.vectors import Matrix, normalise

TAU = 0.05


@dataclass(frozen=True, slots=True)
class ClaimProjection:
    matrix: np.ndarray  # (dim, dim) float32

    @property
    def dim(self) -> int:
        return int(self.matrix.shape[0])

    def apply(self, vectors: np.ndarray) -> Matrix:
        """Unit rows of `vectors @ W` (one vector or a matrix of rows)."""
        rows = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
        if rows.shape[1] != self.dim:
            raise ValueError(f"vectors of {rows.shape[1]} dimensions for a {self.dim}-d projection")
        projected = normalise(rows @ self.matrix)
        return projected[0] if np.ndim(vectors) == 1 else projected

    def digest(self) -> str:
        return hashlib.sha256(self.matrix.astype(np.float16).tobytes()).hexdigest()[:16]

    def as_json(self) -> dict[str, Any]:
        data = self.matrix.astype("<f2").tobytes()
        return {"dim": self.dim, "float16": base64.b64encode(data).decode("ascii")}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ClaimProjection:
        dim = int(data["dim"])
        raw = np.frombuffer(base64.b64decode(data["float16"]), dtype="<f2")
        if raw.size != dim * dim:
            raise ValueError(f"a {dim}x{dim} projection holds {raw.size} numbers")
        return cls(raw.reshape(dim, dim).astype(np.float32))


@dataclass(frozen=True, slots=True)
class RetrievalPairs:
    """One training base: query vectors, the base's claim vectors, and (query, claim) rows."""

    queries: np.ndarray
    claims: np.ndarray
    query_rows: np.ndarray
    claim_rows: np.ndarray


# (projection, epoch) -> validation score, higher is better
Validate = Callable[[ClaimProjection, int], float]


def fit_projection(
    training: Sequence[RetrievalPairs],
    validate: Validate,
    *,
    epochs: int = 6,
    penalty: float = 1e-3,
    learning_rate: float = 1e-3,
    batch_size: int = 64,
    seed: int = 13,
) -> tuple[ClaimProjection, int, list[float]]:
    """W = I + A trained with Adam; returns the epoch with the best `validate` score (epoch 0
    is the identity, kept when no epoch beats it), that epoch, and every epoch's score."""
    import torch
    import torch.nn.functional as F

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    dim = training[0].queries.shape[1]
    identity = torch.eye(dim)
    delta = torch.zeros(dim, dim, requires_grad=True)
    optimizer = torch.optim.Adam([delta], lr=learning_rate)
    bases = [
        (
            torch.from_numpy(np.asarray(p.queries, dtype=np.float32)),
            torch.from_numpy(np.asarray(p.claims, dtype=np.float32)),
            torch.from_numpy(np.asarray(p.query_rows, dtype=np.int64)),
            torch.from_numpy(np.asarray(p.claim_rows, dtype=np.int64)),
        )
        for p in training
    ]
    best = ClaimProjection(np.eye(dim, dtype=np.float32))
    scores = [validate(best, 0)]
    best_epoch = 0
    for epoch in range(1, epochs + 1):
        for queries, claims, query_rows, claim_rows in bases:
            order = rng.permutation(len(query_rows))
            for start in range(0, len(order), batch_size):
                chosen = torch.from_numpy(order[start : start + batch_size])
                weights = identity + delta
                q = F.normalize(queries[query_rows[chosen]] @ weights, dim=1)
                c = F.normalize(claims @ weights, dim=1)
                loss = F.cross_entropy(q @ c.T / TAU, claim_rows[chosen])
                loss = loss + penalty * (delta * delta).sum()
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
        candidate = ClaimProjection((identity + delta).detach().numpy().copy())
        scores.append(validate(candidate, epoch))
        if scores[-1] > scores[best_epoch]:
            best, best_epoch = candidate, epoch
    return best, best_epoch, scores
