"""Stage: topics of the listening profile's taxonomy, by similarity to each topic's examples.

A post's fast vector is compared with the vector of every example sentence; a topic's score is
its best example's cosine similarity (a post need only resemble one way of saying the topic, and
examples in the post's own language count most). Topics scoring `THRESHOLD` or more become
facets ("topic", topic id, score), best first, at most `MAX_TOPICS`, a second or third topic
only within `SECOND_MARGIN` of the best. The threshold was set by reading the demo scenario's
posts around it (docs/listen.md): Universal Sentence Encoder puts a post and an unrelated
example at about 0.1-0.3, paraphrases across languages at 0.45-0.8; between 0.3 and 0.4 about
half the posts read as on-topic, so 0.35 trades a little precision for recall.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from ediplomacy.nlp.embedders import Embedder
from ediplomacy.nlp.profile import Topic
from ediplomacy.pipeline.stage import PostInput, StageResult
from ediplomacy.pipeline.stages.embed import VectorCache, batch_vectors

THRESHOLD = 0.35
MAX_TOPICS = 3
SECOND_MARGIN = 0.08
REVISION = "1"  # bumped when the scoring or the threshold changes


def taxonomy_digest(topics: Sequence[Topic]) -> str:
    """A short hash of the topics and their examples: the stage's version follows it."""
    text = "\n".join(f"{topic.id}\t{'|'.join(topic.examples)}" for topic in topics)
    return hashlib.sha256(text.encode()).hexdigest()[:8]


class TopicStage:
    """Facets ("topic", id, similarity) for the taxonomy's topics a post is about."""

    name = "topics"
    needs = ("fast",)
    writes_facets = True

    def __init__(
        self, embedder: Embedder, topics: Sequence[Topic], threshold: float = THRESHOLD
    ) -> None:
        self.embedder = embedder
        self.topics = [topic for topic in topics if topic.examples]
        self.threshold = threshold
        self.model = embedder.name
        self.version = (
            f"{REVISION}+{embedder.name}-{embedder.version}+t{threshold}"
            f"+taxonomy-{taxonomy_digest(self.topics)}"
        )
        examples = [example for topic in self.topics for example in topic.examples]
        self._examples = embedder.embed(examples) if examples else np.zeros((0, embedder.dim))
        self._owner = np.array(
            [index for index, topic in enumerate(self.topics) for _ in topic.examples], dtype=int
        )
        self._cache = VectorCache(20_000)

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        """(posts, topics) best-example similarities."""
        similarity = vectors @ self._examples.T
        out = np.full((len(vectors), len(self.topics)), -1.0, dtype=np.float32)
        for index in range(len(self.topics)):
            out[:, index] = similarity[:, self._owner == index].max(axis=1)
        return out

    def process(self, batch: Sequence[PostInput]) -> list[StageResult]:
        if not self.topics:
            return [StageResult(post.post_id, {"topics": []}) for post in batch]
        scores = self.scores(batch_vectors(batch, "fast", self.embedder, self._cache))
        results = []
        for row, post in enumerate(batch):
            order = np.argsort(-scores[row])[:MAX_TOPICS]
            floor = max(self.threshold, float(scores[row, order[0]]) - SECOND_MARGIN)
            chosen = [
                (self.topics[index].id, round(float(scores[row, index]), 3))
                for index in order
                if scores[row, index] >= floor
            ]
            results.append(
                StageResult(
                    post.post_id,
                    {"topics": [{"id": topic, "score": score} for topic, score in chosen]},
                    facets=[("topic", topic, score) for topic, score in chosen],
                )
            )
        return results
