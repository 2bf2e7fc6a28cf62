"""EDIPLOMACY_CLASSIFIER=ensemble (the default): the mean of the frozen and fine-tuned heads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.domain.errors import ConfigurationError
from ediplomacy.nlp.embedders import shared_embedder
from ediplomacy.nlp.ensemble import blend
from ediplomacy.nlp.finetuned import FineTunedHeads, finetuned_dir
from ediplomacy.nlp.profile import load_profile
from ediplomacy.pipeline.runner import InProcessRunner
from ediplomacy.pipeline.stage import PostInput, StageResult, ensemble_version, stage_needs
from ediplomacy.pipeline.stages import build_stages
from ediplomacy.pipeline.stages.sentiment import (
    EmotionStage,
    EnsembleEmotionStage,
    EnsembleSentimentStage,
    FineTunedEmotionStage,
    FineTunedSentimentStage,
    SentimentStage,
)
from ediplomacy.pipeline.stages.stance import (
    VERSION_LENGTH,
    EnsembleStanceStage,
    FineTunedStanceStage,
    StanceStage,
)
from tests.nlp.test_finetuned import classified_rows
from tests.pipeline.test_runner_contract import add_posts
from tests.pipeline.test_sentiment_stages import STANCE_CHECKS, TEXTS


def test_blend_averages_columns_of_the_same_label() -> None:
    frozen = np.array([[0.6, 0.3, 0.1], [0.0, 1.0, 0.0]])  # positive, neutral, negative
    tuned = np.array([[0.2, 0.2, 0.6], [0.5, 0.5, 0.0]])  # negative, neutral, positive
    mixed = blend(
        frozen, ("positive", "neutral", "negative"), tuned, ("negative", "neutral", "positive")
    )
    assert np.allclose(mixed, [[0.15, 0.25, 0.6], [0.25, 0.75, 0.0]])
    assert np.allclose(mixed.sum(axis=1), 1.0)


def test_blend_refuses_heads_that_do_not_agree() -> None:
    with pytest.raises(ConfigurationError, match="cannot be averaged"):
        blend(np.ones((1, 3)), ("a", "b", "c"), np.ones((1, 3)), ("a", "b", "d"))
    with pytest.raises(ConfigurationError, match="fine-tuned"):
        blend(np.ones((2, 2)), ("a", "b"), np.ones((1, 2)), ("a", "b"))


def test_the_version_follows_either_model() -> None:
    base = ensemble_version("frozen-1", "tuned-1")
    assert len(base) <= VERSION_LENGTH
    assert (
        base != ensemble_version("frozen-2", "tuned-1") != ensemble_version("frozen-1", "tuned-2")
    )


@pytest.fixture(scope="module")
def classifier(finetuned_data_dir: Path) -> FineTunedHeads:
    return FineTunedHeads(finetuned_dir(finetuned_data_dir), build=False)


def _inputs(texts: list[str], languages: list[str | None]) -> list[PostInput]:
    return [
        PostInput(i + 1, "x", text, language)
        for i, (text, language) in enumerate(zip(texts, languages, strict=True))
    ]


def test_the_default_is_the_ensemble_and_it_runs_like_the_others(
    sqlite_engine: Engine, finetuned_data_dir: Path, classifier: FineTunedHeads
) -> None:
    assert Settings.model_fields["classifier"].default == "ensemble"
    stages = build_stages(Settings(data_dir=finetuned_data_dir), ["sentiment", "emotion", "stance"])
    sentiment, emotion, stance = stages
    assert isinstance(sentiment, EnsembleSentimentStage) and isinstance(
        emotion, EnsembleEmotionStage
    )
    assert isinstance(stance, EnsembleStanceStage)
    assert all(stage_needs(stage) == ("fast",) for stage in stages)  # the frozen half reads it
    assert sentiment.model == "ensemble:sentiment+e5-lora-heads:sentiment"
    for stage in stages:
        assert len(stage.version) <= VERSION_LENGTH
    others = [
        build_stages(Settings(data_dir=finetuned_data_dir, classifier=c), ["sentiment"])[0]
        for c in ("frozen", "finetuned")
    ]
    assert sentiment.version not in {stage.version for stage in others}

    add_posts(sqlite_engine, TEXTS)
    runner = InProcessRunner(sqlite_engine, batch_size=3)
    assert runner.run(stages[:2]).processed == {"sentiment": 4, "emotion": 4}
    rows, recorded = classified_rows(sqlite_engine)
    assert [row.sentiment for row in rows] == ["positive", "negative", "negative", None]
    assert rows[1].sentiment_score < 0 < rows[0].sentiment_score and rows[3].emotion is None
    assert {(r.stage, r.model) for r in recorded} == {
        ("sentiment", sentiment.model), ("emotion", emotion.model),
    }  # fmt: skip
    assert runner.run(stages[:2]).processed == {"sentiment": 0, "emotion": 0}
    # switching to one model alone re-runs the posts
    assert runner.run(others[1:]).processed == {"sentiment": 4}


def test_its_scores_are_the_mean_of_the_two_heads(
    finetuned_data_dir: Path, classifier: FineTunedHeads
) -> None:
    fast = shared_embedder("use-multilingual")
    batch = _inputs(
        [*TEXTS[:3], "Saya takut sekali, gempa susulan terus terjadi"], ["id", "en", "en", "id"]
    )
    pairs = (
        (
            EnsembleSentimentStage(fast, classifier),
            SentimentStage(fast),
            FineTunedSentimentStage(classifier),
        ),
        (
            EnsembleEmotionStage(fast, classifier),
            EmotionStage(fast),
            FineTunedEmotionStage(classifier),
        ),
    )
    for ensemble, frozen, tuned in pairs:
        mixed, alone, other = (stage.process(batch) for stage in (ensemble, frozen, tuned))
        for m, f, t in zip(mixed, alone, other, strict=True):
            for label, score in m.result["scores"].items():
                assert score == pytest.approx(
                    (f.result["scores"][label] + t.result["scores"][label]) / 2, abs=2e-4
                )
            assert m.result["label"] == max(m.result["scores"], key=m.result["scores"].__getitem__)


def test_ensemble_stance_reads_spans_with_both_heads(classifier: FineTunedHeads) -> None:
    fast = shared_embedder("use-multilingual")
    targets = load_profile(None).targets
    stage = EnsembleStanceStage(fast, classifier, targets)
    frozen, tuned = StanceStage(fast, targets), FineTunedStanceStage(classifier, targets)
    assert stage.model == "ensemble:sentiment-on-target-span"
    texts = [text for text, _, _ in STANCE_CHECKS]
    batch = _inputs(texts, [language for _, language, _ in STANCE_CHECKS])

    def indonesia(results: list[StageResult]) -> list[dict[str, Any]]:
        return [
            next(t for t in result.result["targets"] if t["target"] == "indonesia")
            for result in results
        ]

    mixed = indonesia(stage.process(batch))
    alone, other = indonesia(frozen.process(batch)), indonesia(tuned.process(batch))
    for m, f, t in zip(mixed, alone, other, strict=True):
        assert m["span"] == f["span"] == t["span"]
        assert m["score"] == pytest.approx((f["score"] + t["score"]) / 2, abs=2e-4)
    got = [m["label"] for m in mixed]
    right = sum(g == expected for g, (_, _, expected) in zip(got, STANCE_CHECKS, strict=True))
    assert right >= 17, list(zip(got, STANCE_CHECKS, strict=True))
