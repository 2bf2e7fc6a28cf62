"""Stance: finding the part of a post about a target (no model needed)."""

from __future__ import annotations

import numpy as np
import pytest

from ediplomacy.nlp.profile import Target
from ediplomacy.pipeline.stages.stance import TargetMatcher, stance_of, target_span
from ediplomacy.pipeline.textnorm import text_for_models

INDONESIA = TargetMatcher.build(
    Target("indonesia", "Indonesia", ("Indonesia", "RI", "印尼", "إندونيسيا", "@Kemlu_RI"))
)


def test_span_keeps_the_sentence_about_the_target() -> None:
    text = "The weather is awful today. Indonesia handled the rescue very well! See you soon."
    span, aliases = target_span(text, INDONESIA) or ("", [])
    assert span == "Indonesia handled the rescue very well!"
    assert aliases == ["Indonesia"]


def test_span_cuts_at_contrast_words() -> None:
    text = "I love the beaches of Bali but Indonesia's government failed its people"
    span, _ = target_span(text, INDONESIA) or ("", [])
    assert span == "Indonesia's government failed its people"
    text = "Makanannya enak, tetapi pemerintah Indonesia lamban sekali"
    assert (target_span(text, INDONESIA) or ("",))[0] == "pemerintah Indonesia lamban sekali"


def test_matching_is_case_insensitive_on_word_boundaries() -> None:
    assert target_span("INDONESIA wins", INDONESIA) is not None
    assert target_span("indonesian food", INDONESIA) is None  # another word, not the alias
    assert target_span("Polynesia is far", INDONESIA) is None
    assert target_span("thanks @Kemlu_RI for the help", INDONESIA) is not None


def test_short_acronyms_match_in_capitals_only() -> None:
    assert target_span("Presiden RI berpidato", INDONESIA) is not None
    assert target_span("ri is not a word here", INDONESIA) is None


def test_scripts_without_spaces_match_inside_words() -> None:
    span, aliases = target_span("今天天气很好。印尼政府的救援行动非常出色！", INDONESIA) or ("", [])  # noqa: RUF001
    assert aliases == ["印尼"]
    assert span == "印尼政府的救援行动非常出色！"  # noqa: RUF001
    assert target_span("شكرا إندونيسيا على المساعدة", INDONESIA) is not None
    # After NFKC a full-width exclamation mark is "!" with no space behind it.
    span, _ = target_span(text_for_models("天气很好！印尼政府很出色！"), INDONESIA) or ("", [])  # noqa: RUF001
    assert span == "印尼政府很出色!"


def test_posts_without_the_target_have_no_span() -> None:
    assert target_span("Nothing to see here.", INDONESIA) is None


def test_stance_is_the_most_probable_sentiment() -> None:
    labels = ("negative", "neutral", "positive")
    assert stance_of(np.array([0.1, 0.2, 0.7]), labels)[:2] == ("favour", pytest.approx(0.7))
    assert stance_of(np.array([0.8, 0.1, 0.1]), labels)[0] == "against"
    label, confidence, score = stance_of(np.array([0.3, 0.45, 0.25]), labels)
    assert (label, confidence, score) == ("neutral", pytest.approx(0.45), pytest.approx(-0.05))
