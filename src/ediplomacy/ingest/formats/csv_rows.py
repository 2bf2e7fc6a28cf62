"""CSV rows: the project's own export, twarc-csv output and Coordination Network Toolkit input."""

from __future__ import annotations

from typing import Any

import orjson

from ediplomacy.domain.errors import MalformedRecord
from ediplomacy.domain.posts import PLATFORMS, Actor, Parsed, Post, Rejected
from ediplomacy.ingest.formats.building import clean_text, count, language_code
from ediplomacy.ingest.timeparse import parse_any

# Each field of a Post and the column names that may hold it, first match wins (case-insensitive).
# docs/formats.md documents this table; keep both in step.
COLUMNS: dict[str, tuple[str, ...]] = {
    "platform": ("platform",),
    "external_id": ("external_id", "id", "message_id", "tweet_id", "post_id", "id_str"),
    "text": ("text", "message", "full_text", "body", "content"),
    "author_external_id": ("author_external_id", "author_id", "user_id", "author.id"),
    "author_handle": (
        "author_handle",
        "author.username",
        "username",
        "screen_name",
        "user_screen_name",
    ),
    "language": ("language", "lang"),
    "created_at": ("created_at", "timestamp", "date", "time"),
    "url": ("url", "permalink"),
    "conversation_id": ("conversation_id",),
    "reply_to_external_id": (
        "reply_to_external_id",
        "referenced_tweets.replied_to.id",
        "reply_id",
        "in_reply_to_status_id",
        "in_reply_to_id",
    ),
    "reply_to_author_external_id": ("reply_to_author_external_id", "in_reply_to_user_id"),
    "repost_of_external_id": (
        "repost_of_external_id",
        "referenced_tweets.retweeted.id",
        "repost_id",
        "retweet_id",
    ),
    "quote_of_external_id": ("quote_of_external_id", "referenced_tweets.quoted.id", "quote_id"),
    "urls": ("urls", "entities.urls"),
    "hashtags": ("hashtags", "entities.hashtags"),
    "cashtags": ("cashtags", "entities.cashtags"),
    "mentions": ("mentions", "entities.mentions"),
    "like_count": ("like_count", "public_metrics.like_count", "favorite_count", "likes"),
    "repost_count": ("repost_count", "public_metrics.retweet_count", "retweet_count"),
    "reply_count": ("reply_count", "public_metrics.reply_count"),
    "quote_count": ("quote_count", "public_metrics.quote_count"),
    "view_count": ("view_count", "public_metrics.impression_count"),
    "place": ("place", "geo.full_name"),
    "country_code": ("country_code", "geo.country_code"),
    "retrieved_at": ("retrieved_at", "__twarc.retrieved_at"),
}
DEFAULT_PLATFORM = "x"
_PLATFORM_NAMES = {"twitter": "x", **{name: name for name in PLATFORMS}}
_METRICS = ("like_count", "repost_count", "reply_count", "quote_count", "view_count")
# twarc-csv writes newlines inside text as the two characters backslash and n.
_TWARC_MARKERS = ("__twarc.retrieved_at", "referenced_tweets.replied_to.id", "author.username")
_LIST_KEYS = ("unwound_url", "expanded_url", "url", "tag", "text", "username", "screen_name")


class _Layout:
    """Which column holds which field, worked out once per header."""

    __slots__ = ("columns", "export", "header", "twarc")

    def __init__(self, header: tuple[str, ...]) -> None:
        self.header = header
        by_name = {name.strip().lower(): name for name in header}
        self.columns: dict[str, str] = {}
        for field, aliases in COLUMNS.items():
            for alias in aliases:
                if alias in by_name:
                    self.columns[field] = by_name[alias]
                    break
        self.twarc = any(marker in by_name for marker in _TWARC_MARKERS)
        # ediplomacy's own export: an empty text there is a real media-only post.
        self.export = "platform" in by_name and "external_id" in by_name


class CsvFormat:
    """One post per CSV row, columns found by name through the aliases of COLUMNS."""

    name = "csv"

    def __init__(self) -> None:
        self._layout: _Layout | None = None

    def sniff(self, document: Any) -> bool:
        """Whether a row has an id column and a text column."""
        if not isinstance(document, dict):
            return False
        layout = self._layout_for(document)
        return "external_id" in layout.columns and "text" in layout.columns

    def parse(self, document: Any) -> Parsed:
        """The post of one row and its author; a row without id or text is rejected."""
        if not isinstance(document, dict):
            raise MalformedRecord(f"a CSV row is a mapping, not a {type(document).__name__}")
        layout = self._layout_for(document)
        try:
            return _parse_row(document, layout)
        except _RowError as exc:
            return Parsed(rejected=[Rejected(reason=str(exc), payload=document)])

    def _layout_for(self, row: dict[str, Any]) -> _Layout:
        header = tuple(row)
        layout = self._layout
        if layout is None or layout.header != header:
            layout = self._layout = _Layout(header)
        return layout


class _RowError(Exception):
    """Why a row cannot become a post."""


def _parse_row(row: dict[str, Any], layout: _Layout) -> Parsed:
    columns = layout.columns

    def cell(field: str) -> str:
        column = columns.get(field)
        value = row.get(column) if column is not None else None
        return value.strip() if isinstance(value, str) else ""

    id_column = columns.get("external_id")
    if id_column is None:
        raise _RowError(f"no id column: name one {_aliases('external_id')}")
    external_id = cell("external_id")
    if not external_id:
        raise _RowError(f"column {id_column!r} (the post id) is empty")
    text_column = columns.get("text")
    if text_column is None:
        raise _RowError(f"no text column: name one {_aliases('text')}")
    raw_text = row.get(text_column)
    text = clean_text(raw_text) if isinstance(raw_text, str) else ""
    if layout.twarc and "\\" in text:
        text = text.replace("\\r", "").replace("\\n", "\n")
    repost_of = cell("repost_of_external_id") or None
    if not text.strip() and repost_of is None and not layout.export:
        raise _RowError(f"column {text_column!r} (the post text) is empty")

    platform_name = cell("platform").lower() or DEFAULT_PLATFORM
    platform = _PLATFORM_NAMES.get(platform_name)
    if platform is None:
        known = ", ".join(PLATFORMS)
        raise _RowError(f"column 'platform' has {platform_name!r}; use one of: {known}")

    created_at = None
    if cell("created_at"):
        created_at = parse_any(cell("created_at"))
        if created_at is None:
            raise _RowError(
                f"column {columns['created_at']!r} has {cell('created_at')!r}, which is not "
                "an ISO 8601 date or unix seconds"
            )
    metrics = {}
    for field in _METRICS:
        value = _number(cell(field))
        if value is not None:
            metrics[field] = value
    author_id = cell("author_external_id") or None
    handle = cell("author_handle").lstrip("@") or None
    country_code = cell("country_code").upper() or None
    hashtags = _items(cell("hashtags"), "#")
    hashtags += ["$" + tag for tag in _items(cell("cashtags"), "$")]
    post = Post(
        platform=platform,
        external_id=external_id,
        text=text,
        author_external_id=author_id,
        author_handle=handle,
        created_at=created_at,
        language=language_code(cell("language")),
        url=cell("url") or None,
        conversation_id=cell("conversation_id") or None,
        reply_to_external_id=cell("reply_to_external_id") or None,
        reply_to_author_external_id=cell("reply_to_author_external_id") or None,
        repost_of_external_id=repost_of,
        quote_of_external_id=cell("quote_of_external_id") or None,
        urls=_items(cell("urls"), ""),
        hashtags=hashtags,
        mentions=_items(cell("mentions"), "@"),
        metrics=metrics,
        place=cell("place") or None,
        country_code=country_code if country_code and len(country_code) == 2 else None,
        retrieved_at=parse_any(cell("retrieved_at")),
        raw=dict(row),
    )
    parsed = Parsed(posts=[post])
    if author_id is not None:
        parsed.actors.append(Actor(platform=platform, external_id=author_id, handle=handle))
    return parsed


def _aliases(field: str) -> str:
    return "of " + ", ".join(repr(alias) for alias in COLUMNS[field])


def _number(value: str) -> int | None:
    """A count from '12', '12.0' or '1,234'; None when empty or not a number."""
    if not value:
        return None
    found = count(value.replace(",", "").replace("_", ""))
    if found is not None:
        return found
    try:
        number = float(value)
    except ValueError:
        return None
    return count(number)


def _items(value: str, prefix: str) -> list[str]:
    """A list cell: space-separated words, or a JSON array of strings or entity objects."""
    if not value:
        return []
    words: list[Any]
    if value.startswith("["):
        try:
            words = orjson.loads(value)
        except orjson.JSONDecodeError:
            words = value.strip("[]").replace(",", " ").split()
        if not isinstance(words, list):
            words = []
    else:
        words = value.split()
    found = []
    for word in words:
        if isinstance(word, dict):
            word = next((word[key] for key in _LIST_KEYS if isinstance(word.get(key), str)), "")
        if isinstance(word, str):
            word = word.strip().strip("'\"")
            if prefix and word.startswith(prefix):
                word = word[len(prefix) :]
            if word:
                found.append(word)
    return found
