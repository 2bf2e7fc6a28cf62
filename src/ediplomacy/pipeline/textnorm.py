"""Text normalization shared by stages: one canonical form of a post's words."""

from __future__ import annotations

import re
import unicodedata

URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"'\u3000]+", re.IGNORECASE)
MENTION_RE = re.compile(r"(?<![\w@])@([A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_])?)")
HASHTAG_RE = re.compile(r"(?<![\w#&])[#\uFF03](\w*[^\W\d_]\w*)")
RETWEET_PREFIX_RE = re.compile(r"^RT @[\w.\-]+:\s*")
SPACE_RE = re.compile(r"\s+")
TRAILING_PUNCT = ".,;:!?)]}'\"»…"


def normalize_text(text: str) -> str:
    """NFKC, no URLs, retweet prefix or HTML entities left, whitespace collapsed, lower case."""
    text = unicodedata.normalize("NFKC", text)
    text = RETWEET_PREFIX_RE.sub("", text)
    text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    text = URL_RE.sub(" ", text)
    return SPACE_RE.sub(" ", text).strip().casefold()


def words_for_language_id(text: str) -> str:
    """The words a language detector should look at: no URLs, mentions or hashtags."""
    text = RETWEET_PREFIX_RE.sub("", unicodedata.normalize("NFKC", text))
    text = URL_RE.sub(" ", text)
    text = MENTION_RE.sub(" ", text)
    text = HASHTAG_RE.sub(" ", text)
    return SPACE_RE.sub(" ", text).strip()


def strip_trailing_punctuation(url: str) -> str:
    return url.rstrip(TRAILING_PUNCT)


def text_for_models(text: str) -> str:
    """What embedders and classifiers read: no URLs, retweet prefix or HTML entities; case kept."""
    text = RETWEET_PREFIX_RE.sub("", unicodedata.normalize("NFKC", text))
    text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    text = URL_RE.sub(" ", text)
    return SPACE_RE.sub(" ", text).strip()
