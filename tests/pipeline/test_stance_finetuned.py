"""The stance stage under EDIPLOMACY_CLASSIFIER: the fine-tuned sentiment head or the frozen one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.nlp.finetuned import FineTunedHeads, finetuned_dir
from ediplomacy.nlp.profile import load_profile
from ediplomacy.pipeline.runner import InProcessRunner
from ediplomacy.pipeline.stage import PostInput, stage_needs
from ediplomacy.pipeline.stages import build_stages
from ediplomacy.pipeline.stages.stance import (
    VERSION_LENGTH,
    FineTunedStanceStage,
    StanceStage,
    fit_version,
)
from ediplomacy.store.schema import post_enrichments, post_facets, posts
from ediplomacy.store.serialize import loads
from tests.pipeline.test_runner_contract import add_posts
from tests.pipeline.test_sentiment_stages import STANCE_CHECKS, TARGETS, TEXTS


@pytest.fixture(scope="module")
def classifier(finetuned_data_dir: Path) -> FineTunedHeads:
    return FineTunedHeads(finetuned_dir(finetuned_data_dir), build=False)


def stance_rows(engine: Engine) -> tuple[list[Any], list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        facets = conn.execute(
            sa.select(post_facets.c.post_id, post_facets.c.value, post_facets.c.score)
            .where(post_facets.c.facet == "stance:indonesia")
            .order_by(post_facets.c.post_id)
        ).all()  # fmt: skip
        recorded = conn.execute(
            sa.select(post_enrichments.c.model, post_enrichments.c.model_version)
            .where(post_enrichments.c.stage == "stance")
        ).all()  # fmt: skip
    return list(facets), [tuple(row) for row in recorded]


def test_the_setting_picks_the_reader_and_switching_reruns_the_posts(
    engine: Engine, finetuned_data_dir: Path, classifier: FineTunedHeads
) -> None:
    tuned = build_stages(Settings(data_dir=finetuned_data_dir, classifier="finetuned"), ["stance"])
    frozen = build_stages(Settings(data_dir=finetuned_data_dir, classifier="frozen"), ["stance"])
    assert isinstance(tuned[0], FineTunedStanceStage) and isinstance(frozen[0], StanceStage)
    assert tuned[0].model == "e5-lora-heads:sentiment-on-target-span"
    assert classifier.version in tuned[0].version and len(tuned[0].version) <= VERSION_LENGTH
    assert tuned[0].version != frozen[0].version
    assert stage_needs(tuned[0]) == () and stage_needs(frozen[0]) == ("fast",)

    add_posts(engine, TEXTS)
    with engine.connect() as conn:
        ids = conn.execute(sa.select(posts.c.id).order_by(posts.c.id)).scalars().all()
    runner = InProcessRunner(engine, batch_size=3)
    # The fine-tuned reader needs no fast vector: none has been stored.
    assert runner.run(tuned).processed == {"stance": 4}
    facets, recorded = stance_rows(engine)
    assert [(f.post_id, f.value) for f in facets] == [(ids[0], "favour"), (ids[2], "against")]
    assert all(0.5 < float(f.score) <= 1 for f in facets)
    assert recorded == [(tuned[0].model, tuned[0].version)] * 4
    with engine.connect() as conn:
        result = conn.execute(
            sa.select(post_enrichments.c.result).where(
                post_enrichments.c.stage == "stance", post_enrichments.c.post_id == ids[2]
            )
        ).scalar_one()
    [found] = [t for t in loads(result)["targets"] if t["target"] == "indonesia"]
    assert found["aliases"] == ["Indonesia"] and found["score"] < -0.5
    assert runner.run(tuned).processed == {"stance": 0}

    # Back to the frozen head: every post again, under its model and version; facets replaced.
    assert runner.run(frozen).processed == {"stance": 4}
    facets, recorded = stance_rows(engine)
    assert [(f.post_id, f.value) for f in facets] == [(ids[0], "favour"), (ids[2], "against")]
    assert recorded == [(frozen[0].model, frozen[0].version)] * 4
    assert runner.run(tuned).processed == {"stance": 4}


def test_finetuned_stance_reads_the_part_about_the_target(classifier: FineTunedHeads) -> None:
    stage = FineTunedStanceStage(classifier, TARGETS)
    results = stage.process(
        [
            PostInput(1, "x", "Bali is beautiful, but Indonesia's government failed its people "
                      "and lied to everyone", "en"),
            PostInput(2, "x", "The weather is awful and the food was cold. Indonesia did a "
                      "wonderful job helping the victims, thank you!", "en"),
            PostInput(3, "x", "No target is named here, only bad news", "en"),
        ]
    )  # fmt: skip
    first, second = (result.result["targets"][0] for result in results[:2])
    assert first["span"] == "Indonesia's government failed its people and lied to everyone"
    assert [first["label"], second["label"]] == ["against", "favour"]
    assert results[2].result == {"targets": []} and results[2].facets == []


def test_finetuned_stance_on_hand_written_checks(classifier: FineTunedHeads) -> None:
    stage = FineTunedStanceStage(classifier, load_profile(None).targets)
    results = stage.process(
        [PostInput(i, "x", text, lang) for i, (text, lang, _) in enumerate(STANCE_CHECKS)]
    )
    got = [
        next(t["label"] for t in result.result["targets"] if t["target"] == "indonesia")
        for result in results
    ]
    right = sum(g == expected for g, (_, _, expected) in zip(got, STANCE_CHECKS, strict=True))
    assert right >= 17, list(zip(got, STANCE_CHECKS, strict=True))  # 18 of 18 when written


def test_a_long_model_version_still_fits_and_still_changes() -> None:
    short = fit_version("3", "1-abc+int8", "targets-12345678")
    assert short == "3+1-abc+int8+targets-12345678"
    long_a = fit_version("3", "a" * 80, "targets-12345678")
    long_b = fit_version("3", "a" * 79 + "b", "targets-12345678")
    assert len(long_a) <= VERSION_LENGTH and len(long_b) <= VERSION_LENGTH
    assert long_a != long_b and long_a.endswith("+targets-12345678")
