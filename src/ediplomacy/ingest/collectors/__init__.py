"""Live collectors: each platform's API read page by page (or event by event) into the store.

`build_collector(source, options, settings)` is the one way to make one, for the CLI and the
schedule alike; `run_collector` (base.py) runs it with its cursor.
"""

from __future__ import annotations

from typing import Any

from ediplomacy.config import Settings
from ediplomacy.ingest.collectors.base import Collector, CollectorError

SOURCES = (
    "bluesky",
    "bluesky-stream",
    "mastodon",
    "mastodon-stream",
    "rss",
    "x",
    "x-stream",
    "youtube",
)
# The options each source takes (schedule file keys); limits (max, pages, seconds) go to all.
OPTIONS: dict[str, tuple[str, ...]] = {
    "bluesky": ("query", "lang"),
    "bluesky-stream": ("collections", "keywords"),
    "mastodon": ("hashtag", "public", "local"),
    "mastodon-stream": ("hashtag", "public", "local"),
    "rss": ("urls",),
    "x": ("query",),
    "x-stream": ("rules",),
    "youtube": ("video",),
}
LIMIT_OPTIONS = ("max", "pages", "seconds")


def _text(options: dict[str, Any], name: str) -> str:
    value = options.get(name)
    if not isinstance(value, str) or not value.strip():
        raise CollectorError(f"{name} is required (a text)")
    return value


def _texts(options: dict[str, Any], name: str) -> list[str]:
    value = options.get(name) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise CollectorError(f"{name} must be a list of texts")
    return value


def unknown_options(source: str, options: dict[str, Any]) -> str:
    """What is wrong with the option names given to a known source ('' when nothing)."""
    unknown = set(options) - set(OPTIONS[source]) - set(LIMIT_OPTIONS)
    if not unknown:
        return ""
    known = ", ".join(OPTIONS[source] + LIMIT_OPTIONS)
    return f"{source} takes {known}; not {', '.join(sorted(unknown))}"


def build_collector(source: str, options: dict[str, Any], settings: Settings) -> Collector:
    """The collector for a source name and its options; CollectorError says what is wrong."""
    from ediplomacy.ingest.collectors import bluesky, mastodon, rss, x, youtube

    if source not in OPTIONS:
        raise CollectorError(f"unknown source {source!r}; use one of: {', '.join(SOURCES)}")
    problem = unknown_options(source, options)
    if problem:
        raise CollectorError(problem)
    if source == "bluesky":
        return bluesky.BlueskySearch(
            settings, _text(options, "query"), language=options.get("lang")
        )
    if source == "bluesky-stream":
        return bluesky.JetstreamCollector(
            settings,
            collections=_texts(options, "collections") or None,
            keywords=_texts(options, "keywords"),
        )
    if source == "mastodon":
        return mastodon.MastodonTimeline(
            settings,
            hashtag=options.get("hashtag"),
            public=bool(options.get("public")),
            local=bool(options.get("local")),
        )
    if source == "mastodon-stream":
        return mastodon.MastodonStream(
            settings,
            hashtag=options.get("hashtag"),
            public=bool(options.get("public")),
            local=bool(options.get("local")),
        )
    if source == "rss":
        return rss.RssCollector(_texts(options, "urls"))
    if source == "x":
        return x.XRecentSearch(settings, _text(options, "query"))
    if source == "x-stream":
        return x.XFilteredStream(settings, add_rules=_texts(options, "rules"))
    return youtube.YouTubeComments(settings, _text(options, "video"))


__all__ = ["LIMIT_OPTIONS", "OPTIONS", "SOURCES", "build_collector", "unknown_options"]
