"""Stages on their own: text normalization, entity extraction, language identification."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ediplomacy.domain.errors import ConfigurationError
from ediplomacy.pipeline.stage import PostInput
from ediplomacy.pipeline.stages.entities import extract_entities
from ediplomacy.pipeline.stages.language import LanguageStage
from ediplomacy.pipeline.textnorm import normalize_text

LANGUAGES = ["id", "en", "ms", "ar", "zh", "es", "fr"]


def test_normalize_drops_urls_retweet_prefix_and_case() -> None:
    text = "RT @kemlu_demo: \uff2cayanan  DARURAT dibuka https://t.co/abc &amp; hotline"
    assert normalize_text(text) == "layanan darurat dibuka & hotline"


@given(st.text())
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


def test_entities_found_in_text() -> None:
    found = extract_entities(
        "Warga di Selaria hubungi @KBRI_Selaria_demo #SafeTravel #SafeTravel 🙏🇮🇩 "
        "https://example.org/daftar?utm_source=x. email a@b.com"
    )
    assert found["urls"] == ["https://example.org/daftar?utm_source=x"]
    assert found["hashtags"] == ["SafeTravel"]
    assert found["mentions"] == ["KBRI_Selaria_demo"]
    assert found["emojis"] == ["🙏", "🇮🇩"]


def test_hashtag_needs_a_letter_and_mentions_skip_emails() -> None:
    found = extract_entities("#1 bukan tagar, ini #2026Gempa; kirim ke info@kemlu.example")
    assert found["hashtags"] == ["2026Gempa"]
    assert found["mentions"] == []


@pytest.fixture(scope="module")
def language_stage() -> LanguageStage:
    return LanguageStage(LANGUAGES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kementerian Luar Negeri membuka layanan darurat bagi warga negara Indonesia", "id"),
        ("The embassy has opened an emergency hotline for citizens affected by the quake", "en"),
        ("السفارة فتحت خطا ساخنا للطوارئ للمواطنين المتضررين من الزلزال", "ar"),
        ("大使馆为受地震影响的公民开通了紧急热线", "zh"),
        ("La embajada abrió una línea de emergencia para los ciudadanos afectados", "es"),
        ("L'ambassade a ouvert une ligne d'urgence pour les citoyens touchés par le séisme", "fr"),
    ],
)
def test_language_identified(language_stage: LanguageStage, text: str, expected: str) -> None:
    [result] = language_stage.process([PostInput(1, "x", text, None)])
    assert result.result["language"] == expected
    assert result.post_columns["detected_language"] == expected
    assert 0 < result.result["confidence"] <= 1


def test_language_ignores_handles_links_and_too_short_text(language_stage: LanguageStage) -> None:
    results = language_stage.process(
        [PostInput(1, "x", "@a_b https://x.co #tag 🙏", "en"), PostInput(2, "x", "ok", None)]
    )
    assert [r.result["language"] for r in results] == [None, None]
    assert results[0].result["declared"] == "en"


def test_language_stage_version_names_its_languages(language_stage: LanguageStage) -> None:
    assert language_stage.version.endswith(":" + ",".join(sorted(LANGUAGES)))


def test_unknown_language_code_is_a_clear_error() -> None:
    with pytest.raises(ConfigurationError, match="EDIPLOMACY_LANGUAGES"):
        LanguageStage(["id", "klingon"])


def test_declared_language_breaks_a_near_tie(language_stage: LanguageStage) -> None:
    text = "Pekan budaya di luar negeri selalu ramai. Semoga makin banyak yang kenal budaya kita."
    undeclared, declared = language_stage.process(
        [PostInput(1, "x", text, None), PostInput(2, "x", text, "id")]
    )
    assert declared.result["language"] == "id"
    assert declared.result["method"] == "text+declared"
    # with nothing declared lingua decides alone; whatever it says, the method says so
    assert undeclared.result["method"] == "text"


def test_declared_language_does_not_override_clear_text(language_stage: LanguageStage) -> None:
    text = "السفارة فتحت خطا ساخنا للطوارئ للمواطنين المتضررين من الزلزال"
    [result] = language_stage.process([PostInput(1, "x", text, "en")])
    assert (result.result["language"], result.result["method"]) == ("ar", "text")
