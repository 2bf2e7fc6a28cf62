"""Stages: sentiment (positive / neutral / negative) and emotion of every post.

Both read the post's stored fast vector (embedding only the posts that lack one) and apply a
small classifier head trained by `scripts/train_heads.py` (nlp/heads/MODEL_CARD.md). The head
picks its weights by the post's language (detected, else declared): languages it was trained on
have their own, every other language gets the general weights through the multilingual vectors.

With EDIPLOMACY_CLASSIFIER=finetuned the same stages use the fine-tuned encoder and its heads
instead (`FineTunedSentimentStage`, `FineTunedEmotionStage`; nlp/finetuned.py): they read the
post's text, not the fast vector, and record that model and version, so switching re-runs posts.
"""

from __future__ import annotations

from collections.abc import Sequence

from ediplomacy.domain.errors import ConfigurationError
from ediplomacy.nlp.embedders import Embedder
from ediplomacy.nlp.finetuned import FineTunedHeads
from ediplomacy.nlp.heads import Head, load_head
from ediplomacy.pipeline.stage import PostInput, StageResult
from ediplomacy.pipeline.stages.embed import VectorCache, batch_vectors
from ediplomacy.pipeline.textnorm import text_for_models


def check_head_fits(head: Head, embedder: Embedder) -> None:
    """A head reads only vectors of the embedder it was trained on."""
    if head.embedder_name != embedder.name or head.dim != embedder.dim:
        raise ConfigurationError(
            f"classifier head {head.name} was trained on {head.embedder_name} vectors but the fast "
            f"embedder is {embedder.name}: retrain it with scripts/train_heads.py --embedder "
            "(docs/models.md)"
        )


class HeadStage:
    """A classifier head over the fast vector; the winning label is copied to one post column."""

    name: str
    column: str
    needs = ("fast",)
    writes_facets = False

    def __init__(self, embedder: Embedder, head: Head) -> None:
        check_head_fits(head, embedder)
        self.embedder = embedder
        self.head = head
        self.model = head.name
        self.version = f"{head.version}.{head.fingerprint}+{embedder.name}-{embedder.version}"
        self._cache = VectorCache(5_000)

    def process(self, batch: Sequence[PostInput]) -> list[StageResult]:
        texts = [text_for_models(post.text) for post in batch]
        proba = self.head.predict_proba(
            batch_vectors(batch, "fast", self.embedder, self._cache),
            [post.best_language for post in batch],
            texts,
        )
        results = []
        for row, post in enumerate(batch):
            if not texts[row]:
                results.append(StageResult(post.post_id, {"label": None}, self.empty_columns()))
                continue
            scores = {
                label: round(float(p), 4)
                for label, p in zip(self.head.labels, proba[row], strict=True)
            }
            label = max(scores, key=scores.__getitem__)
            results.append(
                StageResult(
                    post.post_id,
                    {"label": label, "scores": scores},
                    self.columns(label, scores),
                )
            )
        return results

    def empty_columns(self) -> dict[str, object]:
        return {self.column: None}

    def columns(self, label: str, scores: dict[str, float]) -> dict[str, object]:
        return {self.column: label}


class SentimentStage(HeadStage):
    """posts.sentiment and posts.sentiment_score (P(positive) - P(negative), -1 to 1)."""

    name = "sentiment"
    column = "sentiment"

    def __init__(self, embedder: Embedder, head: Head | None = None) -> None:
        super().__init__(embedder, head or load_head("sentiment"))

    def empty_columns(self) -> dict[str, object]:
        return {"sentiment": None, "sentiment_score": None}

    def columns(self, label: str, scores: dict[str, float]) -> dict[str, object]:
        score = scores.get("positive", 0.0) - scores.get("negative", 0.0)
        return {"sentiment": label, "sentiment_score": round(score, 4)}


class EmotionStage(HeadStage):
    """posts.emotion: anger, fear, happy, love or sadness (IndoNLU EmoT's classes)."""

    name = "emotion"
    column = "emotion"

    def __init__(self, embedder: Embedder, head: Head | None = None) -> None:
        super().__init__(embedder, head or load_head("emotion"))


class FineTunedStage:
    """One task of the fine-tuned classifier; results and columns as the frozen stages write."""

    name: str
    task: str
    column: str
    writes_facets = False

    def __init__(self, classifier: FineTunedHeads) -> None:
        self.classifier = classifier
        self.model = f"{classifier.name}:{self.task}"
        self.version = classifier.version

    def process(self, batch: Sequence[PostInput]) -> list[StageResult]:
        texts = [text_for_models(post.text) for post in batch]
        filled = [row for row, text in enumerate(texts) if text]
        proba = self.classifier.predict_proba(self.task, [texts[row] for row in filled])
        labels = self.classifier.labels(self.task)
        by_row = dict(zip(filled, proba, strict=True))
        results = []
        for row, post in enumerate(batch):
            if row not in by_row:
                results.append(StageResult(post.post_id, {"label": None}, self.empty_columns()))
                continue
            scores = {
                label: round(float(p), 4) for label, p in zip(labels, by_row[row], strict=True)
            }
            label = max(scores, key=scores.__getitem__)
            results.append(
                StageResult(
                    post.post_id, {"label": label, "scores": scores}, self.columns(label, scores)
                )
            )
        return results

    def empty_columns(self) -> dict[str, object]:
        return {self.column: None}

    def columns(self, label: str, scores: dict[str, float]) -> dict[str, object]:
        return {self.column: label}


class FineTunedSentimentStage(FineTunedStage):
    """posts.sentiment and posts.sentiment_score from the fine-tuned sentiment head."""

    name = "sentiment"
    task = "sentiment"
    column = "sentiment"

    def empty_columns(self) -> dict[str, object]:
        return SentimentStage.empty_columns(self)  # type: ignore[arg-type]

    def columns(self, label: str, scores: dict[str, float]) -> dict[str, object]:
        return SentimentStage.columns(self, label, scores)  # type: ignore[arg-type]


class FineTunedEmotionStage(FineTunedStage):
    """posts.emotion from the fine-tuned emotion head."""

    name = "emotion"
    task = "emotion"
    column = "emotion"
