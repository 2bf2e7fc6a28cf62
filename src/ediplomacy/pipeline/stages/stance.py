"""Stage: stance (favour / against / neutral) toward each target of the listening profile.

For every target a post mentions (any alias, case-insensitive, on word boundaries; scripts
written without spaces such as Chinese or Japanese match anywhere), the stage keeps the part of
the post about the target: the sentences that mention it, cut at contrast words ("but",
"tetapi", "pero", ...) to the clauses that mention it. That span is read by a sentiment head:
positive is `favour`, negative `against`, neutral `neutral` (the most probable class). It is
sentiment toward the target, not a trained stance model (no stance-labelled data is available
offline); docs/models.md says what it misses. Posts that mention no target get no stance facet
for it.

Three stages read the spans as EDIPLOMACY_CLASSIFIER says: `StanceStage` embeds them with the
fast embedder for the frozen sentiment head (in the post's language), `FineTunedStanceStage`
gives them to the fine-tuned encoder and its sentiment head (nlp/finetuned.py), and
`EnsembleStanceStage` (the default) averages the two (nlp/ensemble.py). Each records its model
and version, so switching the setting re-runs the posts.
"""

from __future__ import annotations

import hashlib
import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ediplomacy.nlp.embedders import Embedder
from ediplomacy.nlp.ensemble import NAME as ENSEMBLE
from ediplomacy.nlp.ensemble import blend
from ediplomacy.nlp.finetuned import FineTunedHeads
from ediplomacy.nlp.heads import Head, load_head
from ediplomacy.nlp.profile import Target
from ediplomacy.pipeline.stage import (
    VERSION_LENGTH,
    PostInput,
    StageResult,
    bounded_version,
    ensemble_version,
    version_digest,
)
from ediplomacy.pipeline.stages.embed import VectorCache
from ediplomacy.pipeline.stages.sentiment import check_head_fits
from ediplomacy.pipeline.textnorm import text_for_models

REVISION = "3"  # bumped when span finding or the reading of the head changes
STANCE_OF_SENTIMENT = {"positive": "favour", "negative": "against", "neutral": "neutral"}
# Posts reach the stage NFKC-normalised: full-width marks (U+FF01, U+FF1F) are then ASCII "!?"
# with no space after them in Chinese or Japanese; the ideographic full stop stays as it is.
SENTENCE_END_RE = re.compile(
    r"(?<=[.!?;\u061f\u0964])\s+|(?<=\u3002)|(?<=[!?])(?=[\u3040-\u30ff\u4e00-\u9fff])|\n+"
)
# "yet" (English adverb: "has not yet paid"), "ma" and "mas" (Indonesian "mother", "brother";
# Spanish "more") are contrast words only after a comma.
CONTRAST_RE = re.compile(
    r"\s*(?:,\s*)?\b(?:but|however|although|though|whereas|tetapi|tapi|namun|padahal|"
    r"sedangkan|pero|aunque|sin embargo|mais|cependant|aber|jedoch|però|porém|"
    r"لكن|ولكن|لكنّ|लेकिन|मगर)\b\s*|\s*,\s*\b(?:yet|ma|mas)\b\s*",
    re.IGNORECASE,
)
# "但" but not "不但" (not only); Korean "-지만" (but) ends the verb of the first clause.
CONTRAST_NO_SPACE_RE = re.compile(
    r"[\uff0c,]?(?:但是|(?<!不)但|可是|不过|然而|でも|しかし|하지만|그러나)|(?<=[\uac00-\ud7af]지만)(?=[\s,])"
)
CLAUSE_EDGES = " ,\uff0c"
# Scripts written without spaces between words: aliases in them match anywhere in the text.
NO_SPACE_SCRIPTS_RE = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f]"
)


@dataclass(frozen=True, slots=True)
class TargetMatcher:
    """Finds the mentions of one target in a text."""

    target: Target
    pattern: re.Pattern[str]

    @classmethod
    def build(cls, target: Target) -> TargetMatcher:
        parts = []
        for alias in sorted(target.aliases, key=len, reverse=True):
            escaped = re.escape(alias.strip())
            if not escaped:
                continue
            if NO_SPACE_SCRIPTS_RE.search(alias):
                parts.append(escaped)
            elif alias.isupper() and len(alias) <= 3:
                # Short acronyms ("RI") are matched in capitals only: "ri" is a common word part.
                parts.append(rf"(?-i:(?<!\w){escaped}(?!\w))")
            else:
                parts.append(rf"(?<!\w){escaped}(?!\w)")
        return cls(target, re.compile("|".join(parts) or r"(?!x)x", re.IGNORECASE))

    def mentions(self, text: str) -> list[str]:
        return [match.group(0) for match in self.pattern.finditer(text)]


def clauses(sentence: str) -> list[str]:
    """A sentence cut at its contrast words."""
    pieces = CONTRAST_RE.split(sentence)
    pieces = [part for piece in pieces for part in CONTRAST_NO_SPACE_RE.split(piece)]
    return [piece.strip(CLAUSE_EDGES) for piece in pieces if piece.strip(CLAUSE_EDGES)]


def word_count(text: str) -> int:
    """Words in `text`; in scripts written without spaces, two characters count as one word."""
    no_space = len(NO_SPACE_SCRIPTS_RE.findall(text))
    return max(len(text.split()), no_space // 2)


def target_span(text: str, matcher: TargetMatcher) -> tuple[str, list[str]] | None:
    """The part of `text` about the target and the aliases found, or None when not mentioned."""
    found = matcher.mentions(text)
    if not found:
        return None
    kept: list[str] = []
    for sentence in SENTENCE_END_RE.split(text):
        if not matcher.mentions(sentence):
            continue
        parts = [clause for clause in clauses(sentence) if matcher.mentions(clause)]
        # A clause that is little more than the name says nothing: keep its whole sentence.
        words = sum(word_count(part) for part in parts)
        kept.extend(parts if parts and words >= 3 else [sentence.strip()])
    return " ".join(kept) or text, sorted(set(found), key=found.index)


def stance_of(proba: np.ndarray, labels: Sequence[str]) -> tuple[str, float, float]:
    """(label, confidence, score): the most probable sentiment class read as a stance.

    A neutral band on P(positive) - P(negative) was measured instead (0.1 to 0.5 wide): on the
    validation sets it scored below the plain most probable class (docs/models.md).
    """
    by_label = dict(zip(labels, (float(p) for p in proba), strict=True))
    score = by_label.get("positive", 0.0) - by_label.get("negative", 0.0)
    winner = max(by_label, key=by_label.__getitem__)
    return STANCE_OF_SENTIMENT.get(winner, "neutral"), by_label[winner], score


def profile_digest(targets: Sequence[Target]) -> str:
    """A short digest of the targets and their aliases: part of the stages' versions."""
    profile = "|".join(f"{t.id}={','.join(t.aliases)}" for t in targets)
    return hashlib.sha256(profile.encode()).hexdigest()[:8]


Mention = tuple[int, Target, str, list[str]]  # (row in the batch, target, span, aliases found)


class TargetStanceStage(ABC):
    """Facets `stance:<target id>` with favour / against / neutral and a confidence.

    Subclasses say how the spans are read: `span_proba` gives each span's sentiment
    probabilities, in the order of `labels`.
    """

    name = "stance"
    writes_facets = True
    labels: tuple[str, ...]

    def __init__(self, targets: Sequence[Target]) -> None:
        self.matchers = [TargetMatcher.build(target) for target in targets]

    @abstractmethod
    def span_proba(
        self, batch: Sequence[PostInput], texts: Sequence[str], found: list[Mention]
    ) -> np.ndarray: ...

    def process(self, batch: Sequence[PostInput]) -> list[StageResult]:
        texts = [text_for_models(post.text) for post in batch]
        found: list[Mention] = []
        for row, text in enumerate(texts):
            for matcher in self.matchers:
                mention = target_span(text, matcher)
                if mention is not None:
                    found.append((row, matcher.target, *mention))
        results = [StageResult(post.post_id, {"targets": []}) for post in batch]
        proba = (
            self.span_proba(batch, texts, found)
            if found
            else np.zeros((0, len(self.labels)), np.float32)
        )
        for (row, target, span, aliases), probabilities in zip(found, proba, strict=True):
            label, confidence, score = stance_of(probabilities, self.labels)
            results[row].result["targets"].append(
                {
                    "target": target.id,
                    "span": span,
                    "aliases": aliases,
                    "label": label,
                    "score": round(score, 4),
                }
            )
            results[row].facets.append((f"stance:{target.id}", label, round(confidence, 4)))
        return results


class StanceStage(TargetStanceStage):
    """Stance from the frozen sentiment head over the spans' fast vectors."""

    needs = ("fast",)

    def __init__(
        self, embedder: Embedder, targets: Sequence[Target], head: Head | None = None
    ) -> None:
        super().__init__(targets)
        self.head = head or load_head("sentiment")
        check_head_fits(self.head, embedder)
        self.embedder = embedder
        self.labels = self.head.labels
        self.model = f"{self.head.name}-on-target-span"
        self.version = bounded_version(
            f"{REVISION}+{self.head.version}.{self.head.fingerprint}+{embedder.name}-"
            f"{embedder.version}+targets-{profile_digest(targets)}"
        )
        self._cache = VectorCache(20_000)

    def span_proba(
        self, batch: Sequence[PostInput], texts: Sequence[str], found: list[Mention]
    ) -> np.ndarray:
        vectors = self._span_vectors(batch, texts, found)
        languages = [batch[row].best_language for row, *_ in found]
        return self.head.predict_proba(vectors, languages, [span for _, _, span, _ in found])

    def _span_vectors(
        self, batch: Sequence[PostInput], texts: Sequence[str], found: list[Mention]
    ) -> np.ndarray:
        """Span vectors; a span that is the whole post reuses the post's stored fast vector."""
        out = np.empty((len(found), self.embedder.dim), dtype=np.float32)
        todo = []
        for index, (row, _, span, _) in enumerate(found):
            stored = batch[row].vectors.get("fast")
            whole = span == texts[row]
            if whole and stored is not None and stored.shape == (self.embedder.dim,):
                out[index] = stored
            else:
                todo.append(index)
        if todo:
            out[todo] = self._cache.embed(self.embedder, [found[index][2] for index in todo])
        return out


class FineTunedStanceStage(TargetStanceStage):
    """Stance from the fine-tuned encoder's sentiment head over the spans' text.

    The classifier keeps its latest vectors, so a span that is the whole post (and was just
    classified by the sentiment stage) is not encoded again.
    """

    def __init__(self, classifier: FineTunedHeads, targets: Sequence[Target]) -> None:
        super().__init__(targets)
        self.classifier = classifier
        self.labels = classifier.labels("sentiment")
        self.model = f"{classifier.name}:sentiment-on-target-span"
        self.version = fit_version(
            REVISION, classifier.version, f"targets-{profile_digest(targets)}"
        )

    def span_proba(
        self, batch: Sequence[PostInput], texts: Sequence[str], found: list[Mention]
    ) -> np.ndarray:
        return self.classifier.predict_proba("sentiment", [span for _, _, span, _ in found])


class EnsembleStanceStage(TargetStanceStage):
    """Stance from the mean of the frozen and the fine-tuned sentiment heads over each span."""

    needs = ("fast",)

    def __init__(
        self, embedder: Embedder, classifier: FineTunedHeads, targets: Sequence[Target]
    ) -> None:
        super().__init__(targets)
        self.frozen = StanceStage(embedder, targets)
        self.tuned = FineTunedStanceStage(classifier, targets)
        self.labels = self.tuned.labels
        self.model = f"{ENSEMBLE}:sentiment-on-target-span"
        self.version = ensemble_version(self.frozen.version, self.tuned.version)

    def span_proba(
        self, batch: Sequence[PostInput], texts: Sequence[str], found: list[Mention]
    ) -> np.ndarray:
        return blend(
            self.frozen.span_proba(batch, texts, found),
            self.frozen.labels,
            self.tuned.span_proba(batch, texts, found),
            self.tuned.labels,
        )


def fit_version(revision: str, model_version: str, profile: str) -> str:
    """`revision+model+profile` within post_enrichments.model_version's 60 characters.

    A model version too long to fit is replaced by a digest of it, so it still changes when the
    model does.
    """
    version = f"{revision}+{model_version}+{profile}"
    if len(version) <= VERSION_LENGTH:
        return version
    return f"{revision}+{version_digest(model_version)}+{profile}"
