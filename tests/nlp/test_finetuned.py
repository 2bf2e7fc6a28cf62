"""The fine-tuned encoder: built from the adapter, checked against numpy, used by the stages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.domain.errors import ConfigurationError
from ediplomacy.nlp.e5_encoder import INT8_FILE, MANIFEST_FILE
from ediplomacy.nlp.e5_tokenizer import E5Tokenizer
from ediplomacy.nlp.e5_weights import load_e5_weights
from ediplomacy.nlp.finetune.adapter import load_adapter, merge_adapter
from ediplomacy.nlp.finetuned import (
    FineTunedHeads,
    build_finetuned,
    default_adapter_path,
    finetuned_dir,
    input_rows,
    is_current_ft,
    reference_vectors,
)
from ediplomacy.pipeline.runner import InProcessRunner
from ediplomacy.pipeline.stages import build_stages
from ediplomacy.pipeline.stages.sentiment import FineTunedSentimentStage, SentimentStage
from ediplomacy.pipeline.textnorm import text_for_models
from ediplomacy.store.schema import post_enrichments, posts
from tests.pipeline.test_runner_contract import add_posts

TEXTS = [
    "Pelayanan kedutaan sangat buruk, lambat dan petugasnya kasar!",
    "Terima kasih KBRI, bantuannya cepat dan sangat membantu kami",
    "The embassy will be closed on Friday for the national holiday.",
    "Saya takut sekali dengan gempa tadi malam, semoga keluarga selamat",
    "هذا رائع جدا، شكرا للسفارة على المساعدة",
    " ".join(["Rapat koordinasi membahas perlindungan warga negara di luar negeri."] * 30),
]


@pytest.fixture(scope="module")
def data_dir(finetuned_data_dir: Path) -> Path:
    return finetuned_data_dir  # built (and checked to be a new build) once per session


@pytest.fixture(scope="module")
def classifier(data_dir: Path) -> FineTunedHeads:
    return FineTunedHeads(finetuned_dir(data_dir), build=False)


def test_build_is_checked_keyed_by_the_adapter_and_kept(data_dir: Path, tmp_path: Path) -> None:
    directory = finetuned_dir(data_dir)
    manifest = json.loads((directory / MANIFEST_FILE).read_text())
    adapter = load_adapter(default_adapter_path())
    assert manifest["check"]["int8_min_cosine"] >= 0.99 and manifest["check"]["texts"] >= 20
    assert manifest["adapter_version"] == adapter.version
    assert adapter.fingerprint in manifest["version"]
    assert is_current_ft(directory)
    before = (directory / INT8_FILE).stat().st_mtime_ns
    again = build_finetuned(directory)
    assert not again.built and (directory / INT8_FILE).stat().st_mtime_ns == before
    assert not list(directory.parent.glob(".*building*"))
    other = tmp_path / "other.npz"  # another adapter file: the build is no longer current
    other.write_bytes(default_adapter_path().read_bytes() + b"\0")
    assert not is_current_ft(directory, other)
    with pytest.raises(ConfigurationError, match="ediplomacy models build"):
        FineTunedHeads(directory, adapter_path=other, build=False)


def test_a_build_that_fails_its_check_says_why_and_keeps_the_old_one(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "ft"
    shutil.copytree(finetuned_dir(data_dir), directory)
    before = (directory / INT8_FILE).read_bytes()
    # a floor no int8 graph reaches stands in for an adapter beyond what int8 rounding holds
    monkeypatch.setattr("ediplomacy.nlp.finetuned.MIN_COSINE", 1.01)
    with pytest.raises(ConfigurationError, match=r"lowest cosine 0\.9\d+, at least 1\.01") as err:
        build_finetuned(directory, force=True)
    assert "was just trained" in str(err.value) and "fewer --epochs" in str(err.value)
    assert (directory / INT8_FILE).read_bytes() == before and is_current_ft(directory)
    assert not list(tmp_path.glob(".*building*"))


def test_predictions_equal_the_numpy_reference(classifier: FineTunedHeads) -> None:
    adapter = load_adapter(default_adapter_path())
    weights = merge_adapter(load_e5_weights(), adapter)
    texts = [text_for_models(text) for text in TEXTS]
    rows = input_rows(E5Tokenizer(), texts, "query: ", 128)
    assert max(len(row) for row in rows) == 128  # the long text is cut as in training
    reference = reference_vectors(weights, rows)
    ours = classifier.vectors(texts)
    assert (ours * reference).sum(axis=1).min() >= 0.99
    for task in ("sentiment", "emotion"):
        expected = adapter.heads[task].predict_proba(reference)
        got = classifier.predict_proba(task, texts)
        assert list(got.argmax(axis=1)) == list(expected.argmax(axis=1))
        assert np.abs(got - expected).max() < 0.06
    classifier.clear_cache()
    twice = classifier.vectors([*texts, texts[1], texts[0]])  # each distinct text encoded once
    assert np.array_equal(twice[-1], twice[0]) and np.array_equal(twice[-2], twice[1])
    assert (twice[: len(texts)] * reference).sum(axis=1).min() >= 0.99
    labels = classifier.classify(texts)
    assert [c.sentiment for c in labels[:2]] == ["negative", "positive"]
    assert labels[0].sentiment_score < -0.5 < 0.5 < labels[1].sentiment_score
    assert labels[3].emotion == "fear"


def classified_rows(engine: Engine) -> tuple[list[Any], list[Any]]:
    """Each post's sentiment columns and emotion (in post order) and the enrichments recorded."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(posts.c.sentiment, posts.c.sentiment_score, posts.c.emotion).order_by(
                posts.c.id
            )
        ).all()
        recorded = conn.execute(
            sa.select(
                post_enrichments.c.stage, post_enrichments.c.model, post_enrichments.c.model_version
            )
        ).all()
    return list(rows), list(recorded)


def test_stages_use_the_setting_and_record_model_and_version(
    sqlite_engine: Engine, data_dir: Path, classifier: FineTunedHeads
) -> None:
    assert Settings.model_fields["classifier"].default == "ensemble"  # it beats both alone
    frozen = build_stages(Settings(data_dir=data_dir, classifier="frozen"), ["sentiment"])[0]
    tuned = build_stages(Settings(data_dir=data_dir, classifier="finetuned"), ["sentiment"])[0]
    assert isinstance(frozen, SentimentStage) and isinstance(tuned, FineTunedSentimentStage)
    assert (tuned.model, tuned.version) != (frozen.model, frozen.version)
    assert tuned.version == classifier.version and len(tuned.version) <= 60
    assert load_adapter(default_adapter_path()).fingerprint in tuned.version

    add_posts(sqlite_engine, [TEXTS[0], TEXTS[1], "https://example.org/only-a-link"])
    stages = build_stages(
        Settings(data_dir=data_dir, classifier="finetuned"), ["sentiment", "emotion"]
    )
    runner = InProcessRunner(sqlite_engine, batch_size=2)
    assert set(runner.run(stages).processed.values()) == {3}
    rows, recorded = classified_rows(sqlite_engine)
    assert [row.sentiment for row in rows] == ["negative", "positive", None]
    assert rows[0].sentiment_score < 0 < rows[1].sentiment_score and rows[2].emotion is None
    assert {(r.stage, r.model, r.model_version) for r in recorded} == {
        ("sentiment", "e5-lora-heads:sentiment", classifier.version),
        ("emotion", "e5-lora-heads:emotion", classifier.version),
    }
    assert runner.run(stages).processed == {"sentiment": 0, "emotion": 0}
    # switching back to the frozen heads re-runs the posts under their model and version
    frozen_stages = build_stages(Settings(data_dir=data_dir, classifier="frozen"), ["sentiment"])
    assert runner.run(frozen_stages).processed == {"sentiment": 3}


def test_an_incomplete_build_is_refused_without_build(tmp_path: Path, data_dir: Path) -> None:
    target = finetuned_dir(tmp_path)
    target.parent.mkdir(parents=True)
    shutil.copytree(finetuned_dir(data_dir), target)
    (target / INT8_FILE).unlink()
    assert not is_current_ft(target)
    with pytest.raises(ConfigurationError, match="ediplomacy models build"):
        FineTunedHeads(target, build=False)
