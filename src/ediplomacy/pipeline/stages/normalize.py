"""Stage: the normalized text of each post (for deduplication, search and models)."""

from __future__ import annotations

from collections.abc import Sequence

from ediplomacy.pipeline.stage import PostInput, StageResult
from ediplomacy.pipeline.textnorm import normalize_text


class NormalizeStage:
    name = "normalize"
    model = "ediplomacy.textnorm"
    version = "1"

    def process(self, batch: Sequence[PostInput]) -> list[StageResult]:
        return [StageResult(post.post_id, {"text": normalize_text(post.text)}) for post in batch]
