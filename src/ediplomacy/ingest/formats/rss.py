"""RSS 2.0, RSS 1.0 (RDF) and Atom news feeds: one post per entry, the feed as its author."""

from __future__ import annotations

import calendar
import hashlib
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from ediplomacy.domain.errors import MalformedRecord
from ediplomacy.domain.posts import Actor, Parsed, Post
from ediplomacy.ingest.formats.building import PageBuilder, clean_text, language_code, text_or_none
from ediplomacy.ingest.formats.mastodon_html import html_to_text

PLATFORM = "news"
_FEED_MARKS = ("<rss", "<feed", "<rdf:rdf", "<rdf")
# Entry fields kept in the stored payload (feedparser's *_parsed time tuples are not JSON).
_RAW_FIELDS = ("id", "title", "link", "summary", "published", "updated", "author", "language")


def _content(document: Any) -> tuple[str | bytes, str | None]:
    """The feed's XML and the address it was fetched from (None for a file)."""
    if isinstance(document, dict):
        content = document.get("content")
        url = document.get("url")
        if isinstance(content, str | bytes):
            return content, url if isinstance(url, str) else None
    if isinstance(document, str | bytes):
        return document, None
    raise MalformedRecord("a feed record is the feed's XML text (or {url, content})")


def _headers(document: Any) -> dict[str, str]:
    """The HTTP Content-Type the feed came with (its charset counts when the XML names none)."""
    kind = document.get("content_type") if isinstance(document, dict) else None
    return {"content-type": kind} if isinstance(kind, str) and kind else {}


def _field(entry: Any, name: str) -> Any:
    """A field as feedparser stored it (its own get() maps missing fields and warns)."""
    return dict.get(entry, name)


def _moment(entry: Any) -> datetime | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = _field(entry, name)
        if isinstance(parsed, time.struct_time):
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


class RssFormat:
    """News feed entries as posts on the 'news' platform, each feed an actor."""

    name = "rss"

    def sniff(self, document: Any) -> bool:
        """Whether the record is a feed's XML."""
        try:
            content, _ = _content(document)
        except MalformedRecord:
            return False
        head = content[:2000].lower()
        text = head.decode("latin-1") if isinstance(head, bytes) else head
        return any(mark in text for mark in _FEED_MARKS)

    def parse(self, document: Any) -> Parsed:
        """Every entry of the feed; entries without an id or link are set aside."""
        import feedparser  # a large module: imported when a feed is read

        content, fetched_from = _content(document)
        feed = feedparser.parse(
            content,
            response_headers=_headers(document),
            sanitize_html=False,
            resolve_relative_uris=False,
        )
        if feed.get("bozo") and not feed.get("entries"):
            problem = feed.get("bozo_exception")
            raise MalformedRecord(f"not a readable RSS or Atom feed: {problem}")
        channel = feed.get("feed", {})
        builder = PageBuilder()
        home = text_or_none(channel.get("link")) or fetched_from
        title = text_or_none(channel.get("title"))
        feed_id = text_or_none(channel.get("id")) or home or title
        if feed_id is None:
            raise MalformedRecord("the feed has no link, id or title to name it by")
        host = urlsplit(home).netloc if home else None
        actor = Actor(
            platform=PLATFORM,
            external_id=feed_id[:300],
            handle=(host or title or feed_id)[:300],
            name=title,
            description=text_or_none(html_to_text(channel.get("subtitle") or "")[0]),
            url=home,
        )
        builder.add_actor(actor)
        feed_language = language_code(channel.get("language"))
        for entry in feed.get("entries", []):
            self._entry(entry, actor, feed_language, fetched_from, builder)
        return builder.parsed

    def _entry(
        self,
        entry: Any,
        actor: Actor,
        feed_language: str | None,
        fetched_from: str | None,
        builder: PageBuilder,
    ) -> None:
        raw = {name: _field(entry, name) for name in _RAW_FIELDS if _field(entry, name) is not None}
        tags = [tag.get("term") for tag in _field(entry, "tags") or () if tag.get("term")]
        if tags:
            raw["tags"] = tags
        raw["feed"] = {"id": actor.external_id, "title": actor.name, "url": fetched_from}
        link = text_or_none(_field(entry, "link"))
        entry_id = text_or_none(_field(entry, "id")) or link
        if entry_id is None:
            builder.reject("a feed entry has no id and no link", raw)
            return
        if len(entry_id) > 300:
            entry_id = "sha1:" + hashlib.sha1(entry_id.encode()).hexdigest()
        headline = clean_text(html_to_text(_field(entry, "title") or "")[0])
        summary, links = html_to_text(_field(entry, "summary") or "")
        text = "\n\n".join(part for part in (headline, summary) if part)
        if not text:
            builder.reject("a feed entry has no title and no summary", raw)
            return
        urls = [link] if link else []
        urls += [found for found in links if found not in urls]
        builder.add_post(
            Post(
                platform=PLATFORM,
                external_id=entry_id,
                text=text,
                author_external_id=actor.external_id,
                author_handle=actor.handle,
                created_at=_moment(entry),
                language=language_code(_field(entry, "language")) or feed_language,
                url=link,
                conversation_id=entry_id,
                urls=urls,
                raw=raw,
            )
        )
