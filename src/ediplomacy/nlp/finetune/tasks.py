"""The fine-tuning tasks and their labelled sets, as token ids ready for the encoder.

A `TokenSet` is one data set of one split (SmSA, each UMSAB language, EmoT) already tokenized:
ids of the text with the e5 prefix, without the bos/eos tokens (the batcher adds them) and cut to
a maximum. Texts come from `ediplomacy.nlp.evaluation`'s loaders, so training and evaluation
read the same cleaned texts; that import is lazy, so a machine holding only a training pack needs
numpy alone (and torch to train).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

TASK_LABELS: dict[str, tuple[str, ...]] = {
    "sentiment": ("negative", "neutral", "positive"),
    "emotion": ("anger", "fear", "happy", "love", "sadness"),
}
# What task each data set of ../shared/data trains, and its license (for the model card).
SET_TASKS = {
    "smsa": "sentiment",
    "umsab-ar": "sentiment",
    "umsab-en": "sentiment",
    "umsab-fr": "sentiment",
    "umsab-de": "sentiment",
    "umsab-hi": "sentiment",
    "umsab-it": "sentiment",
    "umsab-pt": "sentiment",
    "umsab-es": "sentiment",
    "emot": "emotion",
}
SET_SOURCES = {
    "smsa": "IndoNLU SmSA (comments and reviews), Apache-2.0",
    "umsab": "XLM-T UMSAB (tweets), Apache-2.0",
    "emot": "IndoNLU EmoT (tweets), Apache-2.0",
}
SPLITS = ("train", "valid")
# (texts, prefix) -> ids of prefix + text, without bos/eos (E5Tokenizer.content_ids)
Tokenize = Callable[[Sequence[str], str], Sequence[Sequence[int]]]


@dataclass(slots=True)
class TokenSet:
    """One data set of one split: ragged token ids (flat + offsets) and label indices."""

    name: str
    task: str
    language: str
    ids: np.ndarray  # int64, every row's ids one after the other
    offsets: np.ndarray  # int64, len(rows) + 1
    labels: np.ndarray  # int64 index into TASK_LABELS[task]

    def __len__(self) -> int:
        return len(self.labels)

    def row(self, index: int) -> np.ndarray:
        return self.ids[self.offsets[index] : self.offsets[index + 1]]

    def lengths(self) -> np.ndarray:
        return np.diff(self.offsets)

    def sample(self, rows: int) -> TokenSet:
        """`rows` rows spread evenly over the set (for a quick run), in their order."""
        if rows >= len(self):
            return self
        chosen = np.linspace(0, len(self) - 1, rows).round().astype(np.int64)
        pieces = [self.row(int(i)) for i in chosen]
        offsets = np.zeros(rows + 1, dtype=np.int64)
        offsets[1:] = np.cumsum([len(piece) for piece in pieces])
        return TokenSet(
            self.name,
            self.task,
            self.language,
            np.concatenate(pieces),
            offsets,
            self.labels[chosen],
        )


def tokenize_set(
    name: str,
    language: str,
    texts: Sequence[str],
    labels: Sequence[str],
    tokenize: Tokenize,
    *,
    prefix: str,
    max_tokens: int,
) -> TokenSet:
    """Token ids of `prefix + text` for every text, cut after `max_tokens` content tokens."""
    task = SET_TASKS[name]
    index = {label: i for i, label in enumerate(TASK_LABELS[task])}
    unknown = sorted({label for label in labels if label not in index})
    if unknown:
        raise ValueError(f"{name}: labels {unknown} are not {TASK_LABELS[task]}")
    rows = [np.asarray(ids, dtype=np.int64)[:max_tokens] for ids in tokenize(texts, prefix)]
    offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(row) for row in rows])
    ids = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    return TokenSet(
        name, task, language, ids, offsets, np.asarray([index[x] for x in labels], np.int64)
    )


def shared_sets(data_dir: Path, split: str) -> list[tuple[str, str, list[str], list[str]]]:
    """(name, language, texts, labels) of every set of `split` (`train` or `valid`)."""
    from ediplomacy.nlp.evaluation import load_emot, sentiment_sets

    sets = [*sentiment_sets(data_dir, split), load_emot(data_dir, split)]
    return [(s.name, s.language or "", s.texts, s.labels) for s in sets]


def macro_f1(gold: np.ndarray, predicted: np.ndarray, n_classes: int) -> float:
    """Mean F1 over the classes that occur in `gold` or `predicted` (as evaluation.macro_scores)."""
    scores = []
    for label in range(n_classes):
        tp = int(np.sum((gold == label) & (predicted == label)))
        n_gold, n_pred = int(np.sum(gold == label)), int(np.sum(predicted == label))
        if n_gold == 0 and n_pred == 0:
            continue
        scores.append(2 * tp / (n_gold + n_pred) if tp else 0.0)
    return float(np.mean(scores)) if scores else 0.0
