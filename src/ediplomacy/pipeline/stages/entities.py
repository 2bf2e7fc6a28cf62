"""Stage: URLs, hashtags, mentions and emojis found in the text itself.

Platforms give entities for some posts and not others (CSV imports, edited texts, quotes), so
the text is read again here; the platform's own entities stay on the post.
"""

from __future__ import annotations

from collections.abc import Sequence

import emoji

from ediplomacy.pipeline.stage import PostInput, StageResult
from ediplomacy.pipeline.textnorm import (
    HASHTAG_RE,
    MENTION_RE,
    URL_RE,
    strip_trailing_punctuation,
)


def extract_entities(text: str) -> dict[str, list[str]]:
    """Entities of a text, each list in order of first appearance, without repeats."""
    urls = [strip_trailing_punctuation(match) for match in URL_RE.findall(text)]
    without_urls = URL_RE.sub(" ", text)
    return {
        "urls": list(dict.fromkeys(urls)),
        "hashtags": list(dict.fromkeys(HASHTAG_RE.findall(without_urls))),
        "mentions": list(dict.fromkeys(MENTION_RE.findall(without_urls))),
        "emojis": list(dict.fromkeys(item["emoji"] for item in emoji.emoji_list(text))),
    }


class EntityStage:
    name = "entities"
    model = "ediplomacy.entities"
    version = f"1+emoji{emoji.__version__}"

    def process(self, batch: Sequence[PostInput]) -> list[StageResult]:
        return [StageResult(post.post_id, extract_entities(post.text)) for post in batch]
