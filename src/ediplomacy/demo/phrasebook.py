"""Turns per-language templates into post texts, and texts into near-duplicates of themselves."""

from __future__ import annotations

import re
from collections.abc import Callable
from random import Random

from ediplomacy.demo import (
    phrases_ar,
    phrases_en,
    phrases_es,
    phrases_fr,
    phrases_id,
    phrases_ms,
    phrases_zh,
)
from ediplomacy.demo.model import Phrases
from ediplomacy.demo.world import HOTLINE, HOTLINE_WA, NAMES

BOOKS: dict[str, Phrases] = {
    book.lang: book
    for book in (
        phrases_id.PHRASES,
        phrases_en.PHRASES,
        phrases_ms.PHRASES,
        phrases_ar.PHRASES,
        phrases_zh.PHRASES,
        phrases_es.PHRASES,
        phrases_fr.PHRASES,
    )
}

_SLOT = re.compile(r"\{([#@]?\w+)\}")
_HASHTAG = re.compile(r"#\w+")
_EMOJI_LEADS = ("⚠️ ", "‼️ ", "🚨 ", "😡 ", "🔥 ", "❗ ")
_DECIMAL_COMMA = ("id", "es", "fr")


class Phrasebook:
    """Picks templates and fills their slots; `mention` turns an `@role` slot into text."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng

    def has(self, lang: str, category: str) -> bool:
        return bool(BOOKS[lang].phrases.get(category))

    def pick(self, lang: str, category: str, avoid: str = "") -> tuple[str, str, int]:
        """A template of the category: (label, template, index); the label is "" when none.

        Templates containing `avoid` (say, the earthquake's hashtag before it strikes) are
        skipped unless the category has no other.
        """
        templates = BOOKS[lang].phrases[category]
        allowed = [i for i, t in enumerate(templates) if not avoid or avoid not in str(t)]
        index = self.rng.choice(allowed) if allowed else self.rng.randrange(len(templates))
        chosen = templates[index]
        if isinstance(chosen, tuple):
            return chosen[0], chosen[1], index
        return "", chosen, index

    def fill(self, template: str, lang: str, mention: Callable[[str], str] | None = None) -> str:
        """The template with every slot replaced: names, numbers, hashtags and mentions.

        `mention` turns an `@office` slot into text; without it offices are named in words.
        """
        book = BOOKS[lang]
        rng = self.rng

        def value(match: re.Match[str]) -> str:
            key = match.group(1)
            if key.startswith("@"):
                return mention(key[1:]) if mention else NAMES["ministry"][lang]
            if key in book.slots:
                return rng.choice(book.slots[key])
            if key in NAMES:
                return NAMES[key][lang]
            return self._computed(key, lang)

        return _SLOT.sub(value, template)

    def _computed(self, key: str, lang: str) -> str:
        rng = self.rng
        if key == "hotline":
            return HOTLINE
        if key == "wa":
            return HOTLINE_WA
        if key == "magnitude":
            return "7,1" if lang in _DECIMAL_COMMA else "7.1"
        if key == "n":
            return str(rng.randint(2, 9))
        if key == "n_small":
            return str(rng.randint(2, 5))
        if key == "n_group":
            return str(rng.randint(12, 80))
        if key == "n_big":
            return f"{rng.randint(120, 3400):,}".replace(",", "." if lang == "id" else ",")
        if key == "time":
            sep = "." if lang == "id" else ":"
            return f"{rng.randint(6, 22):02d}{sep}{rng.choice((0, 15, 30, 45)):02d}"
        raise KeyError(f"no value for slot {{{key}}} in language {lang}")

    def dress(self, text: str, lang: str) -> str:
        """The text as a person might write it: now and then an opener or a closing word."""
        book = BOOKS[lang]
        rng = self.rng
        if rng.random() < 0.25:
            text = rng.choice(book.openers) + text
        if rng.random() < 0.3:
            text = text.rstrip() + rng.choice(book.closers)
        return text

    def near_duplicate(self, text: str, lang: str, hashtags: str = "#country") -> str:
        """The text with one or two small edits, as a copy-paste network posts it; an added
        hashtag comes from the `hashtags` slot."""
        rng = self.rng
        book = BOOKS[lang]
        edited = text
        for op in rng.sample(range(5), k=rng.choice((1, 1, 2))):
            if op == 0 and book.swaps:
                for a, b in rng.sample(book.swaps, k=len(book.swaps)):
                    swapped = _swap_word(edited, a, b, lang) or _swap_word(edited, b, a, lang)
                    if swapped:
                        edited = swapped
                        break
            elif op == 1:
                edited = f"{edited} {rng.choice(book.suffixes)}"
            elif op == 2:
                edited = rng.choice(_EMOJI_LEADS) + edited
            elif op == 3:
                tags = _HASHTAG.findall(edited)
                if len(tags) >= 2:
                    edited = edited.replace(" " + tags[-1], "", 1)
                else:
                    edited = f"{edited} {rng.choice(book.slots[hashtags])}"
            else:
                edited = edited.rstrip(".!") + rng.choice(("!!", "!!!", " !!", "..."))
        if edited == text:
            edited = f"{text} {rng.choice(book.suffixes)}"
        return edited


def _swap_word(text: str, old: str, new: str, lang: str) -> str | None:
    """The text with the first whole-word `old` replaced, or None when it has none."""
    if lang == "zh":  # no spaces between words: any occurrence is a word
        return text.replace(old, new, 1) if old in text else None
    pattern = re.compile(rf"(?<!\w){re.escape(old)}(?!\w)")
    swapped, count = pattern.subn(new, text, count=1)
    return swapped if count else None
