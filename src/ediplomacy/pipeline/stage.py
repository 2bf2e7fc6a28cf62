"""The stage protocol: a batch of posts in, one result per post out, written idempotently."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(slots=True, frozen=True)
class PostInput:
    """What a stage sees of a post."""

    post_id: int
    platform: str
    text: str
    language: str | None


@dataclass(slots=True)
class StageResult:
    """One post's result; `post_columns` are copied onto the post row for fast filtering."""

    post_id: int
    result: dict[str, Any]
    post_columns: dict[str, Any] = field(default_factory=dict)


class Stage(Protocol):
    """A pipeline stage. `version` changes when its output would; posts are then re-run."""

    name: str
    model: str
    version: str

    def process(self, batch: Sequence[PostInput]) -> list[StageResult]: ...


# Columns of `posts` a stage may set; anything else is refused so stages cannot clobber data.
WRITABLE_POST_COLUMNS = frozenset({"detected_language", "language_confidence"})
