"""Contract: sentiment, emotion and stance stages write their columns and facets idempotently."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.domain.errors import ConfigurationError
from ediplomacy.nlp.embedders import Embedder, shared_embedder
from ediplomacy.nlp.heads import load_head
from ediplomacy.nlp.profile import Target, load_profile
from ediplomacy.pipeline.runner import InProcessRunner
from ediplomacy.pipeline.stage import VERSION_LENGTH, PostInput, Stage
from ediplomacy.pipeline.stages.embed import EmbedStage
from ediplomacy.pipeline.stages.language import LanguageStage
from ediplomacy.pipeline.stages.sentiment import EmotionStage, SentimentStage
from ediplomacy.pipeline.stages.stance import StanceStage
from ediplomacy.store.schema import post_enrichments, post_facets, posts
from ediplomacy.store.serialize import loads
from tests.pipeline.test_runner_contract import add_posts

TARGETS = (Target("indonesia", "Indonesia", ("Indonesia", "印尼")),)
TEXTS = [
    "Terima kasih Indonesia, bantuan kemanusiaannya cepat dan sangat membantu kami!",
    "The embassy staff were rude and useless, a terrible experience",
    "Indonesia's handling of the crisis was a disgrace, terrible and incompetent",
    "https://example.org/only-a-link",
]


@pytest.fixture(scope="module")
def fast() -> Embedder:
    return shared_embedder("use-multilingual")


def test_stages_write_columns_facets_and_rerun_nothing(engine: Engine, fast: Embedder) -> None:
    add_posts(engine, TEXTS)
    stages: list[Stage] = [
        LanguageStage(["id", "en"]),
        EmbedStage("fast", fast),
        SentimentStage(fast),
        EmotionStage(fast),
        StanceStage(fast, TARGETS),
    ]
    runner = InProcessRunner(engine, batch_size=3)
    assert set(runner.run(stages).processed.values()) == {4}
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(posts.c.id, posts.c.sentiment, posts.c.sentiment_score, posts.c.emotion)
            .order_by(posts.c.id)
        ).all()  # fmt: skip
        facets = conn.execute(sa.select(post_facets).order_by(post_facets.c.post_id)).all()
        stance = conn.execute(
            sa.select(post_enrichments.c.result).where(post_enrichments.c.stage == "stance")
            .order_by(post_enrichments.c.post_id)
        ).scalars().all()  # fmt: skip
    assert [row.sentiment for row in rows] == ["positive", "negative", "negative", None]
    assert rows[0].sentiment_score > 0.3 > -0.3 > rows[1].sentiment_score
    assert rows[0].emotion in {"happy", "love"}
    assert rows[3].sentiment_score is None and rows[3].emotion is None
    assert [(f.post_id, f.facet, f.value, f.stage) for f in facets] == [
        (rows[0].id, "stance:indonesia", "favour", "stance"),
        (rows[2].id, "stance:indonesia", "against", "stance"),
    ]
    assert all(0.5 < f.score <= 1 for f in facets)
    spans = [loads(result)["targets"] for result in stance]
    assert spans[1] == [] and spans[3] == []
    assert spans[0][0]["aliases"] == ["Indonesia"] and spans[0][0]["label"] == "favour"

    assert set(runner.run(stages).processed.values()) == {0}
    # A changed profile is a new stage version: the posts are re-run and facets replaced.
    renamed = StanceStage(fast, (Target("ri", "RI", ("Indonesia",)),))
    assert runner.run([renamed]).processed == {"stance": 4}
    with engine.connect() as conn:
        facet_names = conn.execute(sa.select(post_facets.c.facet).distinct()).scalars().all()
    assert facet_names == ["stance:ri"]


def test_stance_reads_the_part_about_the_target(fast: Embedder) -> None:
    stage = StanceStage(fast, TARGETS)
    results = stage.process(
        [
            PostInput(1, "x", "Bali is beautiful, but Indonesia's government failed its people "
                      "and lied to everyone", "en"),
            PostInput(2, "x", "The weather is awful and the food was cold. Indonesia did a "
                      "wonderful job helping the victims, thank you!", "en"),
            PostInput(3, "x", "印尼政府的救援行动非常出色，谢谢！", "zh"),  # noqa: RUF001
        ]
    )  # fmt: skip
    found = [result.result["targets"][0] for result in results]
    assert found[0]["span"] == "Indonesia's government failed its people and lied to everyone"
    assert [f["label"] for f in found] == ["against", "favour", "favour"]


# Hand-written checks in seven languages (docs/models.md quotes the score): not a benchmark,
# a guard against regressions in span finding, routing and the neutral band.
STANCE_CHECKS = [
    ("I love the food here, but Indonesia's government has been a disaster for its people",
     "en", "against"),
    ("Indonesia did an amazing job hosting the summit, thank you!", "en", "favour"),
    ("The traffic was terrible. Still, Indonesia is the most welcoming country I have visited.",
     "en", "favour"),
    ("Shame on Indonesia for ignoring the victims", "en", "against"),
    ("Indonesia will host the meeting on Tuesday at 10am", "en", "neutral"),
    ("Pemerintah Indonesia gagal total menangani banjir ini, memalukan", "id", "against"),
    ("Bangga sekali dengan diplomasi Indonesia di PBB, luar biasa!", "id", "favour"),
    ("Cuacanya buruk, tetapi Indonesia tetap indah dan ramah", "id", "favour"),
    ("Indonesia es un país maravilloso, gracias por todo", "es", "favour"),
    ("El gobierno de Indonesia es corrupto y mentiroso", "es", "against"),
    ("L'Indonésie a fait un travail formidable pour aider les réfugiés", "fr", "favour"),
    ("Indonésie: une honte, ce gouvernement ment à son peuple", "fr", "against"),
    ("شكرا إندونيسيا على المساعدة الرائعة", "ar", "favour"),
    ("إندونيسيا فشلت في حماية مواطنيها، عار", "ar", "against"),
    ("印尼政府的救援行动非常出色，谢谢！", "zh", "favour"),  # noqa: RUF001
    ("印尼政府太腐败了，真让人失望", "zh", "against"),  # noqa: RUF001
    ("Indonesien hat die Krise hervorragend gemeistert", "de", "favour"),
    ("Indonesien lügt und betrügt, eine Schande", "de", "against"),
]  # fmt: skip


def test_stance_on_hand_written_checks(fast: Embedder) -> None:
    stage = StanceStage(fast, load_profile(None).targets)
    results = stage.process(
        [PostInput(i, "x", text, lang) for i, (text, lang, _) in enumerate(STANCE_CHECKS)]
    )
    got = [
        next(t["label"] for t in result.result["targets"] if t["target"] == "indonesia")
        for result in results
    ]
    right = sum(g == expected for g, (_, _, expected) in zip(got, STANCE_CHECKS, strict=True))
    assert right >= 16, list(zip(got, STANCE_CHECKS, strict=True))  # 17 of 18 when written


def test_a_head_for_another_embedder_is_refused(fast: Embedder) -> None:
    class Other:
        name, version, dim = "other-model", "1", 512

    with pytest.raises(ConfigurationError, match="retrain") as refused:
        SentimentStage(Other())  # type: ignore[arg-type]
    assert "EDIPLOMACY_CLASSIFIER=finetuned" in str(refused.value)  # the way round it


def test_versions_of_long_embedder_names_still_fit_and_still_change() -> None:
    head = load_head("sentiment")

    class LongNamed:  # the head's own embedder, under a long version string
        name, dim = head.embedder_name, head.dim

        def __init__(self, version: str) -> None:
            self.version = version

    a = LongNamed("2026.11-" + "a" * 70)
    b = LongNamed("2026.11-" + "a" * 69 + "b")
    stages = [
        (SentimentStage(a), SentimentStage(b)),  # type: ignore[arg-type]
        (StanceStage(a, TARGETS), StanceStage(b, TARGETS)),  # type: ignore[arg-type]
    ]
    for first, second in stages:
        assert len(first.version) <= VERSION_LENGTH and len(second.version) <= VERSION_LENGTH
        assert first.version != second.version
    assert len(SentimentStage(LongNamed("1")).version) < VERSION_LENGTH  # type: ignore[arg-type]
    assert SentimentStage(LongNamed("1")).version.endswith("-1")  # type: ignore[arg-type]
