"""Stage: language identification with lingua, restricted to the configured languages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from importlib.metadata import version

from lingua import (
    ConfidenceValue,
    IsoCode639_1,
    Language,
    LanguageDetector,
    LanguageDetectorBuilder,
)

from ediplomacy.domain.errors import ConfigurationError
from ediplomacy.pipeline.stage import PostInput, StageResult
from ediplomacy.pipeline.textnorm import words_for_language_id

# Below this many letters a guess is noise; such posts get language None ('undetermined').
MIN_LETTERS = 3
# The platform's own language tag wins when lingua finds it nearly as likely as its top guess:
# close pairs such as Indonesian and Malay are where text alone is least sure and the
# platform (which also sees the account's history) is most often right.
DECLARED_SHARE = 0.6
# Bumped when the way a language is chosen changes, so stored answers are recomputed.
REVISION = "2"


def lingua_languages(codes: Iterable[str]) -> list[Language]:
    """lingua languages for ISO 639-1 codes; an unknown code is a configuration error."""
    languages = []
    for code in codes:
        iso = getattr(IsoCode639_1, code.strip().upper(), None)
        if iso is None:
            raise ConfigurationError(
                f"language code {code!r} is not an ISO 639-1 code lingua knows; "
                "fix EDIPLOMACY_LANGUAGES"
            )
        languages.append(Language.from_iso_code_639_1(iso))
    if len(languages) < 2:
        raise ConfigurationError("EDIPLOMACY_LANGUAGES must name at least two languages")
    return languages


class LanguageStage:
    name = "language"
    model = "lingua-language-detector"

    def __init__(self, codes: Sequence[str]) -> None:
        self.codes = sorted({code.strip().lower() for code in codes})
        self._languages = lingua_languages(self.codes)
        self._detector: LanguageDetector | None = None
        # The language set is part of the version: a different set means different answers.
        self.version = (
            f"{REVISION}+lingua{version('lingua-language-detector')}:{','.join(self.codes)}"
        )

    @property
    def detector(self) -> LanguageDetector:
        if self._detector is None:  # models load in ~2 s, so only when a batch needs them
            self._detector = (
                LanguageDetectorBuilder.from_languages(*self._languages)
                .with_preloaded_language_models()
                .build()
            )
        return self._detector

    def process(self, batch: Sequence[PostInput]) -> list[StageResult]:
        words = [words_for_language_id(post.text) for post in batch]
        usable = [
            i for i, text in enumerate(words) if sum(c.isalpha() for c in text) >= MIN_LETTERS
        ]
        scores = self.detector.compute_language_confidence_values_in_parallel(
            [words[i] for i in usable]
        )
        found: dict[int, tuple[str | None, float, str]] = {}
        for i, values in zip(usable, scores, strict=True):
            if values and values[0].value > 0:
                found[i] = choose(values, batch[i].language)
        results = []
        for i, post in enumerate(batch):
            language, confidence, method = found.get(i, (None, 0.0, "too-short"))
            confidence = round(confidence, 4)
            result = {"language": language, "confidence": confidence, "declared": post.language,
                      "method": method}  # fmt: skip
            columns = {"detected_language": language, "language_confidence": confidence}
            results.append(StageResult(post.post_id, result, columns))
        return results


def choose(
    values: Sequence[ConfidenceValue], declared: str | None
) -> tuple[str | None, float, str]:
    """lingua's top language, or the declared one when lingua rates it nearly as likely."""
    top = values[0]
    if declared:
        for value in values[1:]:
            if value.language.iso_code_639_1.name.lower() == declared:
                if value.value >= DECLARED_SHARE * top.value:
                    return declared, value.value, "text+declared"
                break
    return top.language.iso_code_639_1.name.lower(), top.value, "text"
