"""The stage protocol: a batch of posts in, one result per post out, written idempotently."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from ediplomacy.nlp.ensemble import FROZEN_SHARE
from ediplomacy.nlp.ensemble import NAME as ENSEMBLE


@dataclass(slots=True, frozen=True)
class PostInput:
    """What a stage sees of a post."""

    post_id: int
    platform: str
    text: str
    language: str | None  # as the platform declared it
    detected_language: str | None = None
    created_at: datetime | None = None
    author_location: str | None = None
    # Stored vectors of the spaces the stage `needs` (missing when not computed yet).
    vectors: dict[str, npt.NDArray[np.float32]] = field(default_factory=dict)

    @property
    def best_language(self) -> str | None:
        """The detected language, else the declared one."""
        return self.detected_language or self.language


@dataclass(slots=True)
class StageResult:
    """One post's result; `post_columns` are copied onto the post row for fast filtering."""

    post_id: int
    result: dict[str, Any]
    post_columns: dict[str, Any] = field(default_factory=dict)
    # (facet, value, score) rows replacing this stage's earlier facets of the post.
    facets: list[tuple[str, str, float | None]] = field(default_factory=list)
    # The post's vector in the stage's `vector_space`, stored in post_vectors.
    vector: npt.NDArray[np.float32] | None = None


class Stage(Protocol):
    """A pipeline stage. `version` changes when its output would; posts are then re-run.

    A stage may also declare `needs` (vector spaces the runner loads into `PostInput.vectors`)
    `vector_space` (the space its results' vectors are stored under) and `writes_facets = True`
    (each batch replaces the stage's earlier facets of those posts); see `stage_needs`.
    """

    name: str
    model: str
    version: str

    def process(self, batch: Sequence[PostInput]) -> list[StageResult]: ...


# Columns of `posts` a stage may set; anything else is refused so stages cannot clobber data.
WRITABLE_POST_COLUMNS = frozenset(
    {
        "detected_language",
        "language_confidence",
        "sentiment",
        "sentiment_score",
        "emotion",
        "author_country",
    }
)


def stage_needs(stage: Stage) -> tuple[str, ...]:
    """The vector spaces a stage reads."""
    return tuple(getattr(stage, "needs", ()))


def stage_vector_space(stage: Stage) -> str | None:
    """The vector space a stage writes, if any."""
    space = getattr(stage, "vector_space", None)
    return str(space) if space else None


VERSION_LENGTH = 60  # post_enrichments.model_version (and the other model_version columns)


def version_digest(text: str) -> str:
    """12 hex characters of SHA-256: stands for a version too long to keep whole."""
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def bounded_version(version: str) -> str:
    """`version` itself when it fits VERSION_LENGTH; else its start and a digest of the whole,
    so that it still changes whenever the version does."""
    if len(version) <= VERSION_LENGTH:
        return version
    digest = version_digest(version)
    return f"{version[: VERSION_LENGTH - len(digest) - 1]}+{digest}"


def ensemble_version(frozen_version: str, tuned_version: str) -> str:
    """The ensemble stages' version: it changes with either model and fits VERSION_LENGTH."""
    digests = f"{version_digest(frozen_version)}+{version_digest(tuned_version)}"
    return f"{ENSEMBLE}{FROZEN_SHARE:g}+{digests}"
