"""Classifier heads: small linear (or one-hidden-layer) models over an embedder's vectors.

A head is one `.npz` file (numpy only, no pickle): `weights` (dim x classes) and `bias`, optional
`hidden_weights`/`hidden_bias` (one ReLU layer before them), optional `mean`/`scale`
(standardisation applied first), `labels`, and the metadata `name`, `version`, `embedder` (the
embedder setting it was trained on, e.g. `use-multilingual`), `embedder_name`, `embedder_version`.
The bundled heads live in `nlp/heads/` and are trained by `scripts/train_heads.py`
(see `nlp/heads/MODEL_CARD.md`); `load_head` also takes a path to a user's own file.

A head may also hold language routes: `routes` (ISO codes) with `route_<code>_weights` and
`route_<code>_bias`, used for rows whose language is `<code>` (the plain weights serve every other
language), and per route an optional lexicon (`route_<code>_terms`, `_idf`, `_lexical`): tf-idf
weights of words and word pairs added to that route's logits when the texts are given.
`route_aliases` ("ms:id") lets one language use another's route.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from itertools import pairwise
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ediplomacy.domain.errors import ConfigurationError
from ediplomacy.nlp.vectors import Matrix

_REQUIRED = ("weights", "bias", "labels", "name", "version", "embedder")
_TOKEN_RE = re.compile(r"(?u)\b\w\w+\b")


def lexical_terms(text: str) -> list[str]:
    """The words (two letters or more, lower case) and adjacent word pairs of a text."""
    words = _TOKEN_RE.findall(text.lower())
    return words + [f"{a} {b}" for a, b in pairwise(words)]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Sublinear tf-idf over a fixed vocabulary, L2-normalised, times per-class weights."""

    index: dict[str, int]
    idf: Matrix
    weights: Matrix  # terms x classes

    def logits(self, texts: Sequence[str]) -> Matrix:
        out = np.zeros((len(texts), self.weights.shape[1]), dtype=np.float32)
        for row, text in enumerate(texts):
            counts = Counter(t for t in lexical_terms(text) if t in self.index)
            if not counts:
                continue
            columns = np.fromiter((self.index[t] for t in counts), dtype=np.int64)
            tf = np.fromiter((1.0 + math.log(n) for n in counts.values()), dtype=np.float32)
            values = tf * self.idf[columns]
            values /= np.linalg.norm(values)
            out[row] = values @ self.weights[columns]
        return out


@dataclass(frozen=True, slots=True)
class Route:
    """The weights used for posts in one language."""

    weights: Matrix
    bias: Matrix
    lexicon: Lexicon | None = None


class Head:
    """A trained classifier over embedding vectors; `predict_proba` gives one row per vector."""

    def __init__(
        self, arrays: dict[str, npt.NDArray[np.generic]], source: str, fingerprint: str = ""
    ) -> None:
        missing = [key for key in _REQUIRED if key not in arrays]
        if missing:
            raise ConfigurationError(f"head {source} lacks {', '.join(missing)}")
        self.source = source
        # Part of the stages' versions: a retrained file re-runs them even if `version` is kept.
        self.fingerprint = fingerprint
        self.name = str(arrays["name"])
        self.version = str(arrays["version"])
        self.embedder = str(arrays["embedder"])
        self.embedder_name = str(arrays.get("embedder_name", self.embedder))
        self.embedder_version = str(arrays.get("embedder_version", ""))
        self.labels: tuple[str, ...] = tuple(str(label) for label in arrays["labels"])
        self._weights = np.asarray(arrays["weights"], dtype=np.float32)
        self._bias = np.asarray(arrays["bias"], dtype=np.float32)
        self._hidden: tuple[Matrix, Matrix] | None = None
        if "hidden_weights" in arrays:
            self._hidden = (
                np.asarray(arrays["hidden_weights"], dtype=np.float32),
                np.asarray(arrays["hidden_bias"], dtype=np.float32),
            )
        self._mean = np.asarray(arrays["mean"], dtype=np.float32) if "mean" in arrays else None
        self._scale = np.asarray(arrays["scale"], dtype=np.float32) if "scale" in arrays else None
        self.routes: dict[str, Route] = {
            str(code): self._route(arrays, str(code)) for code in arrays.get("routes", [])
        }
        for pair in arrays.get("route_aliases", []):  # "ms:id": Malay posts use the id route
            alias, _, code = str(pair).partition(":")
            if code in self.routes:
                self.routes.setdefault(alias, self.routes[code])
        first = self._hidden[0] if self._hidden else self._weights
        self.dim = int(first.shape[0])
        if self._weights.shape[1] != len(self.labels) or self._bias.shape != (len(self.labels),):
            raise ConfigurationError(f"head {source}: weights do not match its {self.labels}")

    @staticmethod
    def _route(arrays: dict[str, npt.NDArray[np.generic]], code: str) -> Route:
        prefix = f"route_{code}_"
        lexicon = None
        if f"{prefix}terms" in arrays:
            terms = [str(term) for term in arrays[f"{prefix}terms"]]
            lexicon = Lexicon(
                {term: i for i, term in enumerate(terms)},
                np.asarray(arrays[f"{prefix}idf"], dtype=np.float32),
                np.asarray(arrays[f"{prefix}lexical"], dtype=np.float32),
            )
        return Route(
            np.asarray(arrays[f"{prefix}weights"], dtype=np.float32),
            np.asarray(arrays[f"{prefix}bias"], dtype=np.float32),
            lexicon,
        )

    def predict_proba(
        self,
        matrix: npt.NDArray[np.floating],
        languages: Sequence[str | None] | None = None,
        texts: Sequence[str] | None = None,
    ) -> Matrix:
        """Class probabilities (columns in the order of `labels`) for each row of `matrix`.

        With `languages`, rows in a language the head has a route for use that route's weights
        (and its lexicon over `texts`, when given); other rows use the general weights.
        """
        x = np.asarray(matrix, dtype=np.float32)
        if x.ndim != 2 or x.shape[1] != self.dim:
            raise ConfigurationError(
                f"head {self.name} expects {self.dim}-dimensional vectors of {self.embedder}, "
                f"got shape {x.shape}"
            )
        if self._mean is not None:
            x = x - self._mean
        if self._scale is not None:
            x = x / self._scale
        if self._hidden is not None:
            x = np.maximum(x @ self._hidden[0] + self._hidden[1], 0.0)
        logits = x @ self._weights + self._bias
        if languages is not None and self.routes and self._hidden is None:
            for code, route in self.routes.items():
                rows = [i for i, language in enumerate(languages) if language == code]
                if not rows:
                    continue
                logits[rows] = x[rows] @ route.weights + route.bias
                if route.lexicon is not None and texts is not None:
                    logits[rows] += route.lexicon.logits([texts[i] for i in rows])
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)

    def predict(
        self,
        matrix: npt.NDArray[np.floating],
        languages: Sequence[str | None] | None = None,
        texts: Sequence[str] | None = None,
    ) -> list[str]:
        """The most probable label of each row."""
        proba = self.predict_proba(matrix, languages, texts)
        return [self.labels[i] for i in proba.argmax(axis=1)]


def head_path(name: str) -> Path:
    """Where the bundled head `name` is stored."""
    return Path(str(files("ediplomacy.nlp").joinpath("heads", f"{name}.npz")))


@lru_cache(maxsize=16)
def load_head(name_or_path: str | Path) -> Head:
    """The bundled head `name` (`sentiment`, `emotion`) or the head stored at a `.npz` path."""
    text = str(name_or_path)
    is_path = isinstance(name_or_path, Path) or text.endswith(".npz") or "/" in text
    path = Path(text) if is_path else head_path(text)
    try:
        content = path.read_bytes()
        with np.load(io.BytesIO(content), allow_pickle=False) as stored:
            arrays = {key: stored[key] for key in stored.files}
    except FileNotFoundError:
        raise ConfigurationError(
            f"no classifier head at {path}: give a .npz file written by scripts/train_heads.py"
        ) from None
    except (OSError, ValueError) as error:
        raise ConfigurationError(f"cannot read classifier head {path}: {error}") from None
    return Head(arrays, str(path), hashlib.sha256(content).hexdigest()[:10])
