"""Stance: finding the part of a post about a target (no model needed)."""

# ruff: noqa: RUF001  (full-width commas in Chinese text are meant)

from __future__ import annotations

import numpy as np
import pytest

from ediplomacy.nlp.profile import Target
from ediplomacy.pipeline.stages.stance import TargetMatcher, stance_of, target_span
from ediplomacy.pipeline.textnorm import text_for_models

INDONESIA = TargetMatcher.build(
    Target(
        "indonesia",
        "Indonesia",
        ("Indonesia", "RI", "印尼", "インドネシア", "인도네시아", "إندونيسيا", "@Kemlu_RI"),
    )
)


def test_span_keeps_the_sentence_about_the_target() -> None:
    text = "The weather is awful today. Indonesia handled the rescue very well! See you soon."
    span, aliases = target_span(text, INDONESIA) or ("", [])
    assert span == "Indonesia handled the rescue very well!"
    assert aliases == ["Indonesia"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "I love the beaches of Bali but Indonesia's government failed its people",
            "Indonesia's government failed its people",
        ),
        (
            "Makanannya enak, tetapi pemerintah Indonesia lamban sekali",
            "pemerintah Indonesia lamban sekali",
        ),
        # Chinese and Japanese clauses have no spaces: their length counts in characters.
        ("我很喜欢印尼的海滩，但是政府的签证政策太糟糕了。", "我很喜欢印尼的海滩"),
        ("印尼政府反应很慢，但是救援队很勇敢。", "印尼政府反应很慢"),
        (
            "インドネシアの海はきれいだ。しかし政府の対応は遅すぎる。",
            "インドネシアの海はきれいだ。",
        ),
        # Korean "-지만" (but) is the end of the first clause's verb.
        (
            "발리 해변은 정말 좋지만 인도네시아 정부의 비자 정책은 너무 나쁘다.",
            "인도네시아 정부의 비자 정책은 너무 나쁘다.",
        ),
        # "不但" is "not only", not a contrast.
        ("不但印尼政府反应迅速，而且救援也很及时。", "不但印尼政府反应迅速,而且救援也很及时。"),
        # A clause that is hardly more than the name keeps its whole sentence.
        ("印尼很好，但是签证太贵了", "印尼很好,但是签证太贵了"),
        # The English adverb "yet" is no contrast; after a comma it is.
        (
            "Indonesia has not yet paid the fee for the summit.",
            "Indonesia has not yet paid the fee for the summit.",
        ),
        ("Indonesia promised help, yet nothing came", "Indonesia promised help"),
        ("Mas Budi bilang Indonesia keren sekali", "Mas Budi bilang Indonesia keren sekali"),
    ],
)
def test_span_cuts_at_contrast_words(text: str, expected: str) -> None:
    span, _ = target_span(text_for_models(text), INDONESIA) or ("", [])
    assert span == expected


def test_matching_is_case_insensitive_on_word_boundaries() -> None:
    assert target_span("INDONESIA wins", INDONESIA) is not None
    assert target_span("indonesian food", INDONESIA) is None  # another word, not the alias
    assert target_span("Polynesia is far", INDONESIA) is None
    assert target_span("thanks @Kemlu_RI for the help", INDONESIA) is not None


def test_short_acronyms_match_in_capitals_only() -> None:
    assert target_span("Presiden RI berpidato", INDONESIA) is not None
    assert target_span("ri is not a word here", INDONESIA) is None


def test_scripts_without_spaces_match_inside_words() -> None:
    span, aliases = target_span("今天天气很好。印尼政府的救援行动非常出色！", INDONESIA) or ("", [])
    assert aliases == ["印尼"]
    assert span == "印尼政府的救援行动非常出色！"
    assert target_span("شكرا إندونيسيا على المساعدة", INDONESIA) is not None
    # After NFKC a full-width exclamation mark is "!" with no space behind it.
    span, _ = target_span(text_for_models("天气很好！印尼政府很出色！"), INDONESIA) or ("", [])
    assert span == "印尼政府很出色!"


def test_posts_without_the_target_have_no_span() -> None:
    assert target_span("Nothing to see here.", INDONESIA) is None


def test_stance_is_the_most_probable_sentiment() -> None:
    labels = ("negative", "neutral", "positive")
    assert stance_of(np.array([0.1, 0.2, 0.7]), labels)[:2] == ("favour", pytest.approx(0.7))
    assert stance_of(np.array([0.8, 0.1, 0.1]), labels)[0] == "against"
    label, confidence, score = stance_of(np.array([0.3, 0.45, 0.25]), labels)
    assert (label, confidence, score) == ("neutral", pytest.approx(0.45), pytest.approx(-0.05))
