"""Validation of the classifier heads: the shared data sets, a user's labelled files, baselines.

Used by `ediplomacy eval sentiment` / `eval emotion` and by `scripts/train_heads.py` (one reader
of the shared data, so training and evaluation see the same texts). Figures are macro-F1,
macro-recall and the F1 of each class of the task (a `LabelScheme`), beside a majority-class
baseline and, for English sentiment, VADER, and, when a `FineTunedHeads` is given, the fine-tuned
encoder's head of the same task on the same texts.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ediplomacy.domain.errors import ConfigurationError, UnreadableInput
from ediplomacy.nlp.embedders import shared_embedder
from ediplomacy.nlp.ensemble import blend
from ediplomacy.nlp.heads import load_head
from ediplomacy.pipeline.textnorm import text_for_models

if TYPE_CHECKING:
    from ediplomacy.nlp.finetuned import FineTunedHeads

SENTIMENT_LABELS = ("negative", "neutral", "positive")
# UMSAB folder -> ISO 639-1 code.
UMSAB_LANGUAGES = {
    "arabic": "ar",
    "english": "en",
    "french": "fr",
    "german": "de",
    "hindi": "hi",
    "italian": "it",
    "portuguese": "pt",
    "spanish": "es",
}
_LABEL_ALIASES = {
    "0": "negative",
    "1": "neutral",
    "2": "positive",
    "neg": "negative",
    "neu": "neutral",
    "pos": "positive",
    "negative": "negative",
    "neutral": "neutral",
    "positive": "positive",
}
EMOTION_LABELS = ("anger", "fear", "happy", "love", "sadness")  # IndoNLU EmoT's classes
TEXT_COLUMNS = ("text", "sentence", "tweet", "content", "message", "post")
LABEL_COLUMNS = ("label", "sentiment", "polarity", "class", "labels")
_ESCAPE_RE = re.compile(r"\\u([0-9a-fA-F]{4})")


@dataclass(frozen=True, slots=True)
class LabelScheme:
    """The classes of one task, and how a user's labelled file may name them and their column."""

    task: str  # the head's name and the fine-tuned classifier's task
    labels: tuple[str, ...]
    aliases: dict[str, str]  # lower-case spelling in a file -> label
    label_columns: tuple[str, ...]
    spelled: str  # the accepted spellings, for messages


SENTIMENT = LabelScheme(
    "sentiment",
    SENTIMENT_LABELS,
    _LABEL_ALIASES,
    LABEL_COLUMNS,
    "positive/neutral/negative or 0/1/2",
)
EMOTION = LabelScheme(
    "emotion",
    EMOTION_LABELS,
    {label: label for label in EMOTION_LABELS},
    ("label", "emotion", "class", "labels"),
    "/".join(EMOTION_LABELS),
)


@dataclass(slots=True)
class LabelledSet:
    """Texts with gold labels; `language` is an ISO code when the whole set has one."""

    name: str
    texts: list[str]
    labels: list[str]
    language: str | None = None
    problems: list[str] = field(default_factory=list)  # malformed rows that were skipped


def clean_dataset_text(text: str) -> str:
    """Undo the UMSAB dump's escapes (`\\u2019`, doubled quotes), then the models' own cleaning."""
    text = _ESCAPE_RE.sub(lambda match: chr(int(match.group(1), 16)), text)
    text = text.replace('""""', '"').replace('""', '"')
    if len(text) > 1 and text.startswith('"') and text.endswith('"'):
        text = text[1:-1]
    return text_for_models(text)


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise UnreadableInput(f"cannot read {path}: {error.strerror}") from None


def load_smsa(data_dir: Path, split: str) -> LabelledSet:
    """IndoNLU SmSA (`train` or `valid`)."""
    texts, labels = [], []
    for line in _read_lines(data_dir / "sentiment" / "smsa" / f"{split}_preprocess.tsv"):
        text, _, label = line.rpartition("\t")
        if text and label in SENTIMENT_LABELS:
            texts.append(clean_dataset_text(text))
            labels.append(label)
    return LabelledSet("smsa", texts, labels, language="id")


def load_umsab(data_dir: Path, folder: str, split: str) -> LabelledSet:
    """One UMSAB language (`train` or `val`); labels 0/1/2 become negative/neutral/positive."""
    base = data_dir / "sentiment" / "umsab" / folder
    texts = _read_lines(base / f"{split}_text.txt")
    labels = _read_lines(base / f"{split}_labels.txt")
    if len(texts) != len(labels):
        raise UnreadableInput(f"{base}: {split} texts and labels have different line counts")
    code = UMSAB_LANGUAGES[folder]
    return LabelledSet(
        f"umsab-{code}",
        [clean_dataset_text(text) for text in texts],
        [_LABEL_ALIASES[label.strip()] for label in labels],
        language=code,
    )


def load_emot(data_dir: Path, split: str) -> LabelledSet:
    """IndoNLU EmoT (`train` or `valid`)."""
    path = data_dir / "emotion" / "emot" / f"{split}_preprocess.csv"
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as error:
        raise UnreadableInput(f"cannot read {path}: {error.strerror}") from None
    return LabelledSet(
        "emot",
        [clean_dataset_text(row["tweet"]) for row in rows],
        [row["label"] for row in rows],
        language="id",
    )


def _require_folder(data_dir: Path, task: str) -> None:
    if not (data_dir / task).is_dir():
        raise UnreadableInput(
            f"no {task} data under {data_dir}: pass --data or set EDIPLOMACY_SHARED_DATA"
        )


def sentiment_sets(data_dir: Path, split: str) -> list[LabelledSet]:
    """SmSA and every UMSAB language; `split` is `train` or `valid`."""
    _require_folder(data_dir, "sentiment")
    umsab_split = "val" if split == "valid" else split
    sets = [load_smsa(data_dir, split)]
    sets += [load_umsab(data_dir, folder, umsab_split) for folder in UMSAB_LANGUAGES]
    return sets


def emotion_sets(data_dir: Path, split: str) -> list[LabelledSet]:
    """EmoT; `split` is `train` or `valid`."""
    _require_folder(data_dir, "emotion")
    return [load_emot(data_dir, split)]


def _find_column(header: Sequence[str], names: Sequence[str]) -> int | None:
    lowered = [name.strip().lower() for name in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    return None


def read_labelled_file(path: Path, scheme: LabelScheme = SENTIMENT) -> LabelledSet:
    """A user's TSV or CSV with a text and a label column; malformed rows are listed, not fatal."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise UnreadableInput(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise UnreadableInput(f"{path} is not UTF-8 text") from None
    first = raw.split("\n", 1)[0]
    if first.count("\t") >= max(1, first.count(",")):
        # TSV: quotes are text (tweets start with them), one record per line.
        reader = csv.reader(io.StringIO(raw), delimiter="\t", quoting=csv.QUOTE_NONE)
    else:
        reader = csv.reader(io.StringIO(raw))  # CSV: quoted fields may span lines
    try:
        header = next(reader)
    except StopIteration:
        raise UnreadableInput(f"{path} is empty") from None
    except csv.Error as error:
        raise UnreadableInput(f"{path}:1: {error}") from None
    text_col = _find_column(header, TEXT_COLUMNS)
    label_col = _find_column(header, scheme.label_columns)
    if text_col is None or label_col is None:
        raise UnreadableInput(
            f"{path}: the first line must name a text column ({', '.join(TEXT_COLUMNS)}) "
            f"and a label column ({', '.join(scheme.label_columns)})"
        )
    labelled = LabelledSet(path.name, [], [])
    while True:
        number = reader.line_num + 1  # where the next record starts
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            labelled.problems.append(f"{path}:{number}: {error}")
            if reader.line_num < number:  # nothing consumed: the reader cannot go on
                break
            continue
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(text_col, label_col):
            labelled.problems.append(f"{path}:{number}: expected {len(header)} columns")
            continue
        label = scheme.aliases.get(row[label_col].strip().lower())
        if label is None:
            labelled.problems.append(
                f"{path}:{number}: label {row[label_col]!r} is not {scheme.spelled}"
            )
            continue
        labelled.texts.append(text_for_models(row[text_col]))
        labelled.labels.append(label)
    if not labelled.texts:
        raise UnreadableInput(f"{path}: no usable labelled rows")
    return labelled


def class_scores(
    gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]
) -> dict[str, tuple[float, float]]:
    """F1 and recall of each of `labels` that is gold or predicted at least once."""
    scores = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p == label)
        n_gold = sum(1 for g in gold if g == label)
        n_pred = sum(1 for p in predicted if p == label)
        if n_gold == 0 and n_pred == 0:
            continue
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        scores[label] = (2 * precision * recall / (precision + recall) if tp else 0.0, recall)
    return scores


def macro_scores(
    gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]
) -> tuple[float, float]:
    """Macro-F1 and macro-recall over `labels` (a class neither gold nor predicted is left out)."""
    figures = Figures.of(gold, predicted, labels)
    return figures.macro_f1, figures.macro_recall


@dataclass(frozen=True, slots=True)
class Figures:
    """Macro-F1 and macro-recall of one model or baseline, and (for a model) F1 by class."""

    macro_f1: float
    macro_recall: float
    f1_by_class: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        gold: Sequence[str],
        predicted: Sequence[str],
        labels: Sequence[str],
        *,
        by_class: bool = True,
    ) -> Figures:
        scores = class_scores(gold, predicted, labels)
        if not scores:
            return cls(0.0, 0.0)
        return cls(
            float(np.mean([f1 for f1, _ in scores.values()])),
            float(np.mean([recall for _, recall in scores.values()])),
            {label: f1 for label, (f1, _) in scores.items()} if by_class else {},
        )

    @classmethod
    def mean(cls, figures: Sequence[Figures]) -> Figures:
        """The unweighted mean (a class counts over the figures that have it)."""
        by_class: dict[str, list[float]] = {}
        for one in figures:
            for label, f1 in one.f1_by_class.items():
                by_class.setdefault(label, []).append(f1)
        return cls(
            float(np.mean([one.macro_f1 for one in figures])),
            float(np.mean([one.macro_recall for one in figures])),
            {label: float(np.mean(f1s)) for label, f1s in by_class.items()},
        )

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "macro_f1": round(self.macro_f1, 4),
            "macro_recall": round(self.macro_recall, 4),
        }
        if self.f1_by_class:
            out["f1_by_class"] = {label: round(f1, 4) for label, f1 in self.f1_by_class.items()}
        return out


def vader_labels(texts: Sequence[str]) -> list[str]:
    """VADER's label with its usual thresholds (compound >= 0.05 positive, <= -0.05 negative)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    out = []
    for text in texts:
        compound = analyzer.polarity_scores(text)["compound"]
        out.append(
            "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"
        )
    return out


@dataclass(slots=True)
class SetReport:
    """The figures of one data set or file: the frozen head's, baselines', the fine-tuned one's."""

    name: str
    n: int
    frozen: Figures
    language: str | None = None
    baselines: dict[str, Figures] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    finetuned: Figures | None = None  # the fine-tuned classifier on the same texts, when scored
    ensemble: Figures | None = None  # the mean of the two (nlp/ensemble.py), when scored

    def as_json(self) -> dict[str, object]:
        extra = {"finetuned": self.finetuned.as_json()} if self.finetuned else {}
        if self.ensemble:
            extra["ensemble"] = self.ensemble.as_json()
        return {
            "name": self.name,
            "language": self.language,
            "n": self.n,
            **self.frozen.as_json(),
            "baselines": {name: figures.as_json() for name, figures in self.baselines.items()},
            "skipped_rows": self.problems,
            **extra,
        }


def evaluate_set(
    labelled: LabelledSet,
    predict: Callable[[list[str]], list[str]],
    labels: Sequence[str],
    *,
    majority: str | None = None,
    with_vader: bool = False,
    finetuned: Callable[[list[str]], list[str]] | None = None,
    ensemble: Callable[[list[str]], list[str]] | None = None,
) -> SetReport:
    """Scores `predict` on a set, beside the majority class (of `majority` or the set) and VADER."""
    gold = labelled.labels
    report = SetReport(
        labelled.name,
        len(labelled.texts),
        Figures.of(gold, predict(labelled.texts), labels),
        labelled.language,
        problems=list(labelled.problems),
    )
    common = majority or majority_label(gold)
    report.baselines["majority"] = Figures.of(gold, [common] * len(gold), labels, by_class=False)
    if with_vader:
        vader = vader_labels(labelled.texts)
        report.baselines["vader"] = Figures.of(gold, vader, labels, by_class=False)
    if finetuned is not None:
        report.finetuned = Figures.of(gold, finetuned(labelled.texts), labels)
    if ensemble is not None:
        report.ensemble = Figures.of(gold, ensemble(labelled.texts), labels)
    return report


def majority_label(labels: Sequence[str]) -> str:
    return Counter(labels).most_common(1)[0][0]


def _average(reports: Sequence[SetReport], name: str) -> SetReport:
    """The unweighted mean of the figures of `reports` (each language counts the same)."""
    average = SetReport(
        name,
        sum(report.n for report in reports),
        Figures.mean([report.frozen for report in reports]),
    )
    average.baselines["majority"] = Figures.mean(
        [report.baselines["majority"] for report in reports]
    )
    tuned = [report.finetuned for report in reports if report.finetuned is not None]
    if tuned and len(tuned) == len(reports):
        average.finetuned = Figures.mean(tuned)
    mixed = [report.ensemble for report in reports if report.ensemble is not None]
    if mixed and len(mixed) == len(reports):
        average.ensemble = Figures.mean(mixed)
    return average


def evaluate_heads(
    scheme: LabelScheme,
    head_name: str | Path,
    shared_sets: Callable[[Path, str], list[LabelledSet]],
    *,
    files: Sequence[Path] = (),
    data_dir: Path | None = None,
    file_language: str | None = None,
    finetuned: FineTunedHeads | None = None,
) -> list[SetReport]:
    """Reports of one task for each file (when given) or each shared validation set.

    The frozen head reads its embedder's vectors in the texts' language; with `finetuned`, every
    report also holds the fine-tuned classifier's figures for the task on the same texts, and
    those of the ensemble of the two (their mean probabilities, nlp/ensemble.py).
    """
    head = load_head(head_name)
    wanted = "/".join(scheme.labels)
    if set(head.labels) != set(scheme.labels):
        raise ConfigurationError(f"head {head.name} does not predict {wanted}")
    if finetuned is not None and set(finetuned.labels(scheme.task)) != set(scheme.labels):
        raise ConfigurationError(f"the fine-tuned {scheme.task} head does not predict {wanted}")
    embedder = shared_embedder(head.embedder)
    last: dict[str, tuple[list[str], np.ndarray]] = {}  # the latest texts' probabilities

    def remembered(key: str, texts: list[str], compute: Callable[[], np.ndarray]) -> np.ndarray:
        if key not in last or last[key][0] is not texts:
            last[key] = (texts, compute())
        return last[key][1]

    def frozen_proba(texts: list[str], language: str | None) -> np.ndarray:
        return remembered(
            f"frozen:{language}",
            texts,
            lambda: head.predict_proba(embedder.embed(texts), [language] * len(texts), texts),
        )

    def tuned_proba(texts: list[str]) -> np.ndarray:
        assert finetuned is not None
        return remembered("tuned", texts, lambda: finetuned.predict_proba(scheme.task, texts))

    def predictor(language: str | None) -> Callable[[list[str]], list[str]]:
        def predict(texts: list[str]) -> list[str]:
            return [head.labels[i] for i in frozen_proba(texts, language).argmax(axis=1)]

        return predict

    def predict_finetuned(texts: list[str]) -> list[str]:
        assert finetuned is not None
        labels = finetuned.labels(scheme.task)
        return [labels[i] for i in tuned_proba(texts).argmax(axis=1)]

    def ensemble(language: str | None) -> Callable[[list[str]], list[str]] | None:
        if finetuned is None:
            return None

        def predict(texts: list[str]) -> list[str]:
            assert finetuned is not None
            labels = finetuned.labels(scheme.task)
            mixed = blend(frozen_proba(texts, language), head.labels, tuned_proba(texts), labels)
            return [labels[i] for i in mixed.argmax(axis=1)]

        return predict

    tuned = predict_finetuned if finetuned is not None else None

    def with_vader(language: str | None) -> bool:
        return scheme is SENTIMENT and language == "en"  # VADER is an English sentiment lexicon

    if files:
        labelled_files = [read_labelled_file(path, scheme) for path in files]  # all, or stop
        for labelled in labelled_files:
            labelled.language = file_language
        return [
            evaluate_set(
                labelled,
                predictor(file_language),
                scheme.labels,
                with_vader=with_vader(file_language),
                finetuned=tuned,
                ensemble=ensemble(file_language),
            )
            for labelled in labelled_files
        ]
    if data_dir is None:
        raise UnreadableInput("no data folder given")
    train = {s.name: s.labels for s in shared_sets(data_dir, "train")}
    return [
        evaluate_set(
            labelled,
            predictor(labelled.language),
            scheme.labels,
            majority=majority_label(train[labelled.name]),
            with_vader=with_vader(labelled.language),
            finetuned=tuned,
            ensemble=ensemble(labelled.language),
        )
        for labelled in shared_sets(data_dir, "valid")
    ]


def evaluate_sentiment(
    head_name: str | Path,
    *,
    files: Sequence[Path] = (),
    data_dir: Path | None = None,
    file_language: str | None = None,
    finetuned: FineTunedHeads | None = None,
) -> tuple[list[SetReport], SetReport | None]:
    """Sentiment reports (each file, or SmSA and each UMSAB language) and the UMSAB mean."""
    reports = evaluate_heads(
        SENTIMENT, head_name, sentiment_sets,
        files=files, data_dir=data_dir, file_language=file_language, finetuned=finetuned,
    )  # fmt: skip
    if files:
        return reports, None
    umsab = [report for report in reports if report.name.startswith("umsab-")]
    return reports, _average(umsab, "UMSAB mean")


def evaluate_emotion(
    head_name: str | Path = "emotion",
    *,
    files: Sequence[Path] = (),
    data_dir: Path | None = None,
    file_language: str | None = None,
    finetuned: FineTunedHeads | None = None,
) -> list[SetReport]:
    """Emotion reports: each file, or the EmoT validation split."""
    return evaluate_heads(
        EMOTION, head_name, emotion_sets,
        files=files, data_dir=data_dir, file_language=file_language, finetuned=finetuned,
    )  # fmt: skip
