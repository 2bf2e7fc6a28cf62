"""A vector cache on disk: each distinct text embedded once per model, kept across runs.

Evaluations and bulk imports embed tens of thousands of texts (the CheckThat! verified claims are
24,000); the accurate model does about 26 a second on 2 cores. Vectors are written after every
batch, so a run that is stopped resumes where it was. The file is a small SQLite database keyed
by the SHA-256 of the text, one per model name and version.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from ediplomacy.nlp.embedders import Embedder, Matrix

BATCH = 64
Progress = Callable[[int, int], None]  # (done, total)


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def cache_path(directory: Path, embedder: Embedder, kind: str = "passage") -> Path:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{embedder.name}-{embedder.version}-{kind}")
    return directory / f"{stem}.sqlite"


class TextVectorCache:
    """Vectors of texts from one embedder (`embed`, or `embed_queries` when kind='query')."""

    def __init__(self, directory: Path, embedder: Embedder, kind: str = "passage") -> None:
        if kind not in ("passage", "query"):
            raise ValueError("kind must be 'passage' or 'query'")
        directory.mkdir(parents=True, exist_ok=True)
        self.embedder = embedder
        self.kind = kind
        self.path = cache_path(directory, embedder, kind)
        self._db = sqlite3.connect(self.path)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL)"
        )
        self._db.commit()

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> TextVectorCache:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _known(self, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        found: dict[bytes, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk
            )
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
        return found

    def vectors(self, texts: Sequence[str], progress: Progress | None = None) -> Matrix:
        """One L2-normalised row per text, embedding only the texts not cached yet."""
        keys = [text_key(text) for text in texts]
        known = self._known(list(dict.fromkeys(keys)))
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in known))
        embed = self.embedder.embed_queries if self.kind == "query" else self.embedder.embed
        done = len(texts) - len(missing)
        if progress:
            progress(done, len(texts))
        for start in range(0, len(missing), BATCH):
            batch = missing[start : start + BATCH]
            rows = embed(batch)
            items = []
            for text, row in zip(batch, rows, strict=True):
                half = row.astype(np.float16)
                known[text_key(text)] = half.astype(np.float32)
                items.append((text_key(text), half.tobytes()))
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", items)
            self._db.commit()
            done += len(batch)
            if progress:
                progress(min(done, len(texts)), len(texts))
        out = np.empty((len(texts), self.embedder.dim), dtype=np.float32)
        for row, key in enumerate(keys):
            out[row] = known[key]
        return out
