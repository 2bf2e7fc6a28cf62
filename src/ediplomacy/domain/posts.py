"""Posts, actors and collections as the rest of the system sees them, whatever the platform."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

PLATFORMS = ("x", "bluesky", "mastodon", "youtube", "facebook", "instagram", "web", "news")


@dataclass(slots=True)
class Media:
    """An image, video, audio clip or link card attached to a post."""

    kind: str  # photo | video | animated_gif | audio | link | other
    url: str | None = None
    preview_url: str | None = None
    alt_text: str | None = None


@dataclass(slots=True)
class Actor:
    """An account on a platform: the author of posts, or someone mentioned or reposted."""

    platform: str
    external_id: str
    handle: str | None = None
    name: str | None = None
    description: str | None = None
    location: str | None = None
    created_at: datetime | None = None
    followers_count: int | None = None
    following_count: int | None = None
    posts_count: int | None = None
    verified: bool | None = None  # None: the payload does not say
    url: str | None = None


@dataclass(slots=True)
class Post:
    """One message on a platform, normalized; the platform's own payload is kept in `raw`."""

    platform: str
    external_id: str
    text: str
    author_external_id: str | None = None
    author_handle: str | None = None
    created_at: datetime | None = None
    language: str | None = None  # as declared by the platform (BCP-47-ish, lower case)
    url: str | None = None
    conversation_id: str | None = None
    reply_to_external_id: str | None = None
    reply_to_author_external_id: str | None = None
    repost_of_external_id: str | None = None
    quote_of_external_id: str | None = None
    urls: list[str] = field(default_factory=list)  # expanded URLs as the platform gives them
    hashtags: list[str] = field(default_factory=list)  # without '#', as written
    mentions: list[str] = field(default_factory=list)  # handles without '@'
    media: list[Media] = field(default_factory=list)
    metrics: dict[str, int] = field(default_factory=dict)  # like/repost/reply/quote/view counts
    place: str | None = None
    country_code: str | None = None  # ISO 3166-1 alpha-2, upper case, when the platform says
    retrieved_at: datetime | None = None  # when the platform returned it, if the payload says
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Rejected:
    """A part of a record that could not be normalized: why, and the payload as it came."""

    reason: str
    payload: Any = None


@dataclass(slots=True)
class Parsed:
    """What one input record (an API page, a line, a CSV row) yields once normalized."""

    posts: list[Post] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)

    def extend(self, other: Parsed) -> None:
        self.posts.extend(other.posts)
        self.actors.extend(other.actors)
        self.rejected.extend(other.rejected)


@dataclass(slots=True)
class Provenance:
    """Who collected a post, from where, when and with which version of the software."""

    collection_id: int
    source: str  # file path and line, or collector name and cursor
    retrieved_at: datetime
    tool_version: str


@dataclass(slots=True)
class ImportCounts:
    """What an import did: the summary printed at its end and stored on its collection."""

    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    actors_new: int = 0
