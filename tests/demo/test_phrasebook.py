"""The phrasebooks: every language can say every part of the story, in its own script."""

from __future__ import annotations

import re
import unicodedata
from random import Random

import pytest

from ediplomacy.demo.phrasebook import BOOKS, Phrasebook
from ediplomacy.demo.world import EMERGENCY_LANGUAGES, LANGUAGES

EVERY_LANGUAGE = (
    "official_diplomacy", "official_culture", "official_consular", "official_crisis",
    "official_evacuation", "official_debunk", "official_answer", "chatter", "reply_support",
    "reply_critic", "reply_general", "quote_comment", "question_pre", "question_event",
    "event_news", "event_solidarity", "claim", "claim_doubt", "claim_refute", "bot_spam",
)  # fmt: skip
SCRIPT = {"ar": "ARABIC", "zh": "CJK"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_every_part_of_the_story(lang: str) -> None:
    phrases = BOOKS[lang].phrases
    for category in EVERY_LANGUAGE:
        assert phrases.get(category), f"{lang} has no {category}"
    assert bool(phrases.get("emergency")) == (lang in EMERGENCY_LANGUAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_template_fills_completely(lang: str) -> None:
    book = Phrasebook(Random(7))
    for category, templates in BOOKS[lang].phrases.items():
        for template in templates:
            text = template[1] if isinstance(template, tuple) else template
            filled = book.fill(text, lang, lambda role: f"@@{len(role)}")
            assert "{" not in filled and "}" not in filled, (category, filled)
            # X escapes these in text, which would move entity offsets
            assert not set("&<>") & set(filled), (category, filled)


@pytest.mark.parametrize("lang", ["ar", "zh"])
def test_arabic_and_chinese_are_written_in_their_scripts(lang: str) -> None:
    book = Phrasebook(Random(11))
    for template in BOOKS[lang].phrases["chatter"]:
        text = book.fill(str(template), lang)
        letters = [c for c in text if c.isalpha()]
        native = [c for c in letters if SCRIPT[lang] in unicodedata.name(c, "")]
        assert len(native) > 0.8 * len(letters), text


def test_a_near_duplicate_is_a_small_edit_that_keeps_mentions() -> None:
    book = Phrasebook(Random(3))
    text = (
        "Kemlu minta bayaran Rp 31 juta per orang untuk kursi di pesawat evakuasi. @@12 #KemluPeras"
    )
    for _ in range(50):
        copy = book.near_duplicate(text, "id")
        assert copy != text
        assert "@@12" in copy
        assert "membayaran" not in copy  # words are swapped whole, never inside another word
        assert len(re.findall(r"\w+", copy)) <= len(re.findall(r"\w+", text)) + 4
