"""Candidate verified claims for a text: an approximate nearest-neighbour index over the claims'
accurate multilingual embeddings (usearch HNSW, cosine), joined with BM25 over their words.

Dense retrieval finds a claim across languages; BM25 finds the rare names and numbers that an
English-centric small encoder blurs. Both give candidates; `claim_ranker` orders them. With a
`ClaimProjection` (the ranker's), the index holds the projected claim vectors and each searched
vector is projected the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np
from bm25s.stopwords import STOPWORDS_EN_PLUS, STOPWORDS_FRENCH, STOPWORDS_SPANISH
from usearch.index import Index

from ediplomacy.integrity.claim_projection import ClaimProjection

TOKEN_RE = re.compile(r"\w+", re.UNICODE)
# Function words of the desk's main languages: a shared "di" or "dan" says nothing about a claim.
INDONESIAN_MALAY = """\
ada adalah agar akan aku anda atau bagi bahwa baru belum bisa boleh dah dalam
dan dari dengan di dia ialah ini itu jadi juga kalau kami kamu kan karena kata ke kepada kerana
kita lagi lah lain mana masih mereka nak oleh pada para pun saja sama sangat saya seperti
sudah telah tentang tersebut tetapi tidak untuk usai yang ya""".split()  # noqa: SIM905
ARABIC = """في من على إلى عن أن إن كان هذا هذه التي الذي ما لا لم لن قد و أو ثم
كل بعد قبل مع هو هي""".split()  # noqa: SIM905
STOPWORDS = (
    frozenset(STOPWORDS_EN_PLUS)
    | frozenset(STOPWORDS_FRENCH)
    | frozenset(STOPWORDS_SPANISH)
    | frozenset(INDONESIAN_MALAY)
    | frozenset(ARABIC)
    | {"pic", "twitter", "com", "https", "http", "www", "rt"}
)
DENSE_CANDIDATES = 50
LEXICAL_CANDIDATES = 20


def words(text: str) -> list[str]:
    """Lower-case content words, accents kept; digits kept (numbers matter in claims)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return [
        w for w in TOKEN_RE.findall(folded) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())
    ]


@dataclass(frozen=True, slots=True)
class Candidate:
    row: int  # position in the search's claims
    cosine: float
    bm25: float


class ClaimSearch:
    """The claims of a base, searchable by vector and by words. Rows are positions in `keys`."""

    def __init__(
        self,
        keys: Sequence[int],
        texts: Sequence[str],
        vectors: np.ndarray,
        *,
        index: Index | None = None,
        projection: ClaimProjection | None = None,
    ) -> None:
        if len(keys) != len(texts) or len(keys) != vectors.shape[0]:
            raise ValueError("keys, texts and vectors must have one row per claim")
        self.keys = np.asarray(keys, dtype=np.int64)
        self.row_of = {int(key): row for row, key in enumerate(self.keys)}
        self.projection = projection
        if projection is not None and len(self.keys):
            vectors = projection.apply(vectors)
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float16)
        self.tokens = [words(text) for text in texts]
        self.lexicon = [set(tokens) for tokens in self.tokens]
        self._bm25 = bm25s.BM25()
        if texts:
            self._bm25.index(self.tokens, show_progress=False)
        self.index = index if index is not None else build_index(self.keys, self.vectors)

    def __len__(self) -> int:
        return len(self.keys)

    def candidates(
        self,
        vector: np.ndarray,
        text: str,
        *,
        dense: int = DENSE_CANDIDATES,
        lexical: int = LEXICAL_CANDIDATES,
    ) -> list[Candidate]:
        """The union of the `dense` nearest claims and the `lexical` best BM25 claims."""
        if not len(self):
            return []
        if self.projection is not None:
            vector = self.projection.apply(vector)
        rows: set[int] = set()
        found = self.index.search(np.asarray(vector, dtype=np.float32), min(dense, len(self)))
        rows.update(self.row_of[int(key)] for key in found.keys)
        query_words = words(text)
        scores = self._bm25.get_scores(query_words) if query_words else np.zeros(len(self))
        if lexical and query_words:
            best = np.argpartition(-scores, min(lexical, len(self) - 1))[:lexical]
            rows.update(int(row) for row in best if scores[row] > 0)
        ordered = sorted(rows)
        cosines = self.vectors[ordered].astype(np.float32) @ np.asarray(vector, dtype=np.float32)
        return [
            Candidate(row, float(cosine), float(scores[row]))
            for row, cosine in zip(ordered, cosines, strict=True)
        ]


# HNSW parameters: 16 links per node; 128 candidates kept while adding and searching (recall of
# the top 5 against exact search ~0.97 at 100,000 claims; see bench/claims.py).
CONNECTIVITY, EXPANSION = 16, 128


def new_index(ndim: int) -> Index:
    return Index(
        ndim=ndim,
        metric="cos",
        dtype="f16",
        connectivity=CONNECTIVITY,
        expansion_add=EXPANSION,
        expansion_search=EXPANSION,
    )


def build_index(keys: np.ndarray, vectors: np.ndarray) -> Index:
    index = new_index(vectors.shape[1] if vectors.ndim == 2 else 1)
    if len(keys):
        index.add(keys, np.asarray(vectors, dtype=np.float32), threads=0)
    return index


def save_index(index: Index, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    index.save(str(path))


def load_index(path: Path, ndim: int) -> Index | None:
    """The saved index, or None when there is none or it cannot be read (it is rebuilt)."""
    if not path.exists():
        return None
    index = new_index(ndim)
    try:
        index.load(str(path))
    except (RuntimeError, ValueError):
        return None
    index.expansion_search = EXPANSION  # type: ignore[misc]  # the stub lacks its setter
    return index
