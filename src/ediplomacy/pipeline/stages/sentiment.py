"""Stages: sentiment (positive / neutral / negative) and emotion of every post.

Both read the post's stored fast vector (embedding only the posts that lack one) and apply a
small classifier head trained by `scripts/train_heads.py` (nlp/heads/MODEL_CARD.md). The head
picks its weights by the post's language (detected, else declared): languages it was trained on
have their own, every other language gets the general weights through the multilingual vectors.

With EDIPLOMACY_CLASSIFIER=finetuned the same stages use the fine-tuned encoder and its heads
instead (`FineTunedSentimentStage`, `FineTunedEmotionStage`; nlp/finetuned.py): they read the
post's text, not the fast vector. With `ensemble` (the default) they average the two
(`EnsembleSentimentStage`, `EnsembleEmotionStage`; nlp/ensemble.py). Each records its model and
version, so switching re-runs posts.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np

from ediplomacy.domain.errors import ConfigurationError
from ediplomacy.nlp.embedders import Embedder
from ediplomacy.nlp.ensemble import NAME as ENSEMBLE
from ediplomacy.nlp.ensemble import blend
from ediplomacy.nlp.finetuned import FineTunedHeads
from ediplomacy.nlp.heads import Head, load_head
from ediplomacy.pipeline.stage import (
    PostInput,
    StageResult,
    bounded_version,
    ensemble_version,
)
from ediplomacy.pipeline.stages.embed import VectorCache, batch_vectors
from ediplomacy.pipeline.textnorm import text_for_models


def check_head_fits(head: Head, embedder: Embedder) -> None:
    """A head reads only vectors of the embedder it was trained on."""
    if head.embedder_name != embedder.name or head.dim != embedder.dim:
        raise ConfigurationError(
            f"classifier head {head.name} was trained on {head.embedder_name} vectors but the fast "
            f"embedder is {embedder.name}: retrain it with scripts/train_heads.py --embedder "
            "(docs/models.md), or set EDIPLOMACY_CLASSIFIER=finetuned to use the fine-tuned "
            "heads alone"
        )


class ClassifierStage(ABC):
    """A classifier's winning label copied to one post column, its probabilities in the result.

    Subclasses say how the posts with text are read: `proba` gives their class probabilities,
    in the order of `labels`; a post without text gets no label.
    """

    name: str
    column: str
    model: str
    version: str
    labels: tuple[str, ...]
    writes_facets = False

    @abstractmethod
    def proba(self, batch: Sequence[PostInput], texts: Sequence[str]) -> np.ndarray:
        """Probabilities for every row of `batch` (rows without text may hold anything)."""

    def process(self, batch: Sequence[PostInput]) -> list[StageResult]:
        texts = [text_for_models(post.text) for post in batch]
        proba = self.proba(batch, texts) if any(texts) else None
        results = []
        for row, post in enumerate(batch):
            if proba is None or not texts[row]:
                results.append(StageResult(post.post_id, {"label": None}, self.empty_columns()))
                continue
            scores = {
                label: round(float(p), 4) for label, p in zip(self.labels, proba[row], strict=True)
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


class HeadStage(ClassifierStage):
    """A frozen classifier head over the fast vector, in the post's language."""

    needs: tuple[str, ...] = ("fast",)

    def __init__(self, embedder: Embedder, head: Head) -> None:
        check_head_fits(head, embedder)
        self.embedder = embedder
        self.head = head
        self.labels = head.labels
        self.model = head.name
        self.version = bounded_version(
            f"{head.version}.{head.fingerprint}+{embedder.name}-{embedder.version}"
        )
        self._cache = VectorCache(5_000)

    def proba(self, batch: Sequence[PostInput], texts: Sequence[str]) -> np.ndarray:
        return self.head.predict_proba(
            batch_vectors(batch, "fast", self.embedder, self._cache),
            [post.best_language for post in batch],
            texts,
        )


class FineTunedStage(ClassifierStage):
    """One task of the fine-tuned classifier, over the post's text."""

    task: str
    needs: tuple[str, ...] = ()

    def __init__(self, classifier: FineTunedHeads) -> None:
        self.classifier = classifier
        self.labels = classifier.labels(self.task)
        self.model = f"{classifier.name}:{self.task}"
        self.version = classifier.version

    def proba(self, batch: Sequence[PostInput], texts: Sequence[str]) -> np.ndarray:
        filled = [row for row, text in enumerate(texts) if text]
        out = np.zeros((len(texts), len(self.labels)), dtype=np.float32)
        out[filled] = self.classifier.predict_proba(self.task, [texts[row] for row in filled])
        return out


class EnsembleStage(ClassifierStage):
    """The mean of a frozen head stage's and a fine-tuned stage's probabilities (nlp/ensemble)."""

    needs: tuple[str, ...] = ("fast",)

    def __init__(self, frozen: HeadStage, tuned: FineTunedStage) -> None:
        self.frozen, self.tuned = frozen, tuned
        self.labels = tuned.labels
        self.model = f"{ENSEMBLE}:{frozen.model}+{tuned.model}"
        self.version = ensemble_version(frozen.version, tuned.version)

    def proba(self, batch: Sequence[PostInput], texts: Sequence[str]) -> np.ndarray:
        return blend(
            self.frozen.proba(batch, texts),
            self.frozen.labels,
            self.tuned.proba(batch, texts),
            self.tuned.labels,
        )


class SentimentColumns:
    """posts.sentiment and posts.sentiment_score (P(positive) - P(negative), -1 to 1)."""

    name = "sentiment"
    column = "sentiment"

    def empty_columns(self) -> dict[str, object]:
        return {"sentiment": None, "sentiment_score": None}

    def columns(self, label: str, scores: dict[str, float]) -> dict[str, object]:
        score = scores.get("positive", 0.0) - scores.get("negative", 0.0)
        return {"sentiment": label, "sentiment_score": round(score, 4)}


class EmotionColumns:
    """posts.emotion: anger, fear, happy, love or sadness (IndoNLU EmoT's classes)."""

    name = "emotion"
    column = "emotion"


class SentimentStage(SentimentColumns, HeadStage):
    """Sentiment from the frozen head over the fast vector."""

    def __init__(self, embedder: Embedder, head: Head | None = None) -> None:
        super().__init__(embedder, head or load_head("sentiment"))


class EmotionStage(EmotionColumns, HeadStage):
    """Emotion from the frozen head over the fast vector."""

    def __init__(self, embedder: Embedder, head: Head | None = None) -> None:
        super().__init__(embedder, head or load_head("emotion"))


class FineTunedSentimentStage(SentimentColumns, FineTunedStage):
    """Sentiment from the fine-tuned sentiment head."""

    task = "sentiment"


class FineTunedEmotionStage(EmotionColumns, FineTunedStage):
    """Emotion from the fine-tuned emotion head."""

    task = "emotion"


class EnsembleSentimentStage(SentimentColumns, EnsembleStage):
    """Sentiment from the mean of the frozen and the fine-tuned heads."""

    def __init__(self, embedder: Embedder, classifier: FineTunedHeads) -> None:
        super().__init__(SentimentStage(embedder), FineTunedSentimentStage(classifier))


class EnsembleEmotionStage(EmotionColumns, EnsembleStage):
    """Emotion from the mean of the frozen and the fine-tuned heads."""

    def __init__(self, embedder: Embedder, classifier: FineTunedHeads) -> None:
        super().__init__(EmotionStage(embedder), FineTunedEmotionStage(classifier))
