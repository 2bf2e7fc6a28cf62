"""Stages: a vector for every post in the fast and the accurate space.

Identical texts (reposts, copy-paste campaigns) are embedded once: within a batch, and across
batches through a bounded cache keyed by the model's input text.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from ediplomacy.nlp.embedders import Embedder
from ediplomacy.nlp.vectors import Matrix
from ediplomacy.pipeline.stage import PostInput, StageResult
from ediplomacy.pipeline.textnorm import text_for_models

CACHE_SIZE = 50_000
# Bumped when the text given to the model changes.
REVISION = "1"


class VectorCache:
    """Vectors by model input text, least recently used dropped first."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()

    def embed(self, embedder: Embedder, texts: Sequence[str]) -> Matrix:
        """Vectors for `texts`, embedding only those not seen before, each distinct text once."""
        missing = list(dict.fromkeys(text for text in texts if text not in self._items))
        if missing:
            for text, vector in zip(missing, embedder.embed(missing), strict=True):
                self._items[text] = vector
        out = np.empty((len(texts), embedder.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row] = self._items[text]
            self._items.move_to_end(text)
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return out


def batch_vectors(
    batch: Sequence[PostInput], space: str, embedder: Embedder, cache: VectorCache
) -> Matrix:
    """The batch's vectors in `space`: the stored ones, the others embedded now."""
    out = np.empty((len(batch), embedder.dim), dtype=np.float32)
    todo = []
    for row, post in enumerate(batch):
        stored = post.vectors.get(space)
        if stored is not None and stored.shape == (embedder.dim,):
            out[row] = stored
        else:
            todo.append(row)
    if todo:
        fresh = cache.embed(embedder, [text_for_models(batch[row].text) for row in todo])
        out[todo] = fresh
    return out


class EmbedStage:
    """Stores each post's vector in one space (`fast` or `accurate`)."""

    writes_facets = False

    def __init__(self, space: str, embedder: Embedder) -> None:
        self.name = f"embed_{space}"
        self.vector_space = space
        self.embedder = embedder
        self.model = embedder.name
        self.version = f"{embedder.version}+{REVISION}"
        self._cache = VectorCache()

    def process(self, batch: Sequence[PostInput]) -> list[StageResult]:
        texts = [text_for_models(post.text) for post in batch]
        matrix = self._cache.embed(self.embedder, texts)
        return [
            StageResult(post.post_id, {"dim": self.embedder.dim}, vector=matrix[row])
            for row, post in enumerate(batch)
        ]
