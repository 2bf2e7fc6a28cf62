"""A user's own local embedding model: an ONNX graph and a Hugging Face `tokenizer.json`.

The directory holds `model.onnx`, `tokenizer.json` and optionally `embedder.json`
(name, version, max_length, pooling "mean" | "cls", query_prefix, passage_prefix).
A graph with a 2-D output (already pooled) is used as is; otherwise its first 3-D output
(token states) is pooled. Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ediplomacy.domain.errors import ConfigurationError
from ediplomacy.nlp.vectors import Matrix, normalise

BATCH = 64


def _read_config(directory: Path) -> dict[str, Any]:
    path = directory / "embedder.json"
    if not path.exists():
        return {}
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ConfigurationError(f"{path} is not readable JSON: {error}") from None
    if not isinstance(loaded, dict):
        raise ConfigurationError(f"{path} must hold a JSON object")
    return loaded


class OnnxEmbedder:
    """Embeds with onnxruntime; `version` defaults to a hash of the graph file."""

    def __init__(self, directory: Path, *, threads: int = 2) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        model_path, tokenizer_path = directory / "model.onnx", directory / "tokenizer.json"
        for path in (model_path, tokenizer_path):
            if not path.is_file():
                raise ConfigurationError(
                    f"{path} not found: an onnx: embedder directory needs model.onnx and "
                    "tokenizer.json (docs/models.md)"
                )
        config = _read_config(directory)
        self.name = str(config.get("name", f"onnx:{directory.name}"))
        digest = hashlib.sha256(model_path.read_bytes()).hexdigest()[:12]
        self.version = str(config.get("version", digest))
        self.pooling = str(config.get("pooling", "mean"))
        self.query_prefix = str(config.get("query_prefix", ""))
        self.passage_prefix = str(config.get("passage_prefix", ""))
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self._tokenizer.enable_truncation(int(config.get("max_length", 256)))
        self._tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        try:
            self._session = onnxruntime.InferenceSession(
                str(model_path), options, providers=["CPUExecutionProvider"]
            )
        except Exception as error:  # onnxruntime raises its own untyped errors
            message = f"{model_path} is not a loadable ONNX model: {error}"
            raise ConfigurationError(message) from None
        self._inputs = {item.name for item in self._session.get_inputs()}
        self.dim = int(self.embed(["dimension probe"]).shape[1])

    def _run(self, texts: Sequence[str]) -> Matrix:
        encodings = self._tokenizer.encode_batch(list(texts))
        ids = np.asarray([encoding.ids for encoding in encodings], dtype=np.int64)
        mask = np.asarray([encoding.attention_mask for encoding in encodings], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        feed = {name: value for name, value in feed.items() if name in self._inputs}
        outputs = self._session.run(None, feed)
        pooled = next((out for out in outputs if out.ndim == 2), None)
        if pooled is None:
            states = next(out for out in outputs if out.ndim == 3)
            if self.pooling == "cls":
                pooled = states[:, 0, :]
            else:
                weights = mask[:, :, None].astype(np.float32)
                pooled = (states * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
        return normalise(np.asarray(pooled, dtype=np.float32))

    def _embed(self, texts: Sequence[str], prefix: str) -> Matrix:
        if not texts:
            return np.zeros((0, getattr(self, "dim", 0)), dtype=np.float32)
        chunks = [
            self._run([prefix + (text or " ") for text in texts[start : start + BATCH]])
            for start in range(0, len(texts), BATCH)
        ]
        return np.vstack(chunks)

    def embed(self, texts: Sequence[str]) -> Matrix:
        return self._embed(texts, self.passage_prefix)

    def embed_queries(self, texts: Sequence[str]) -> Matrix:
        return self._embed(texts, self.query_prefix)
