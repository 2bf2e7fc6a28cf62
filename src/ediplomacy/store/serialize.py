"""Turn domain objects into table rows: JSON text, canonical URLs and a content hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from typing import Any

import orjson

from ediplomacy.domain.posts import Actor, Post, Provenance


def dumps(value: Any) -> str:
    if not value and isinstance(value, list):  # most posts have no links, mentions or media
        return "[]"
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:  # an integer beyond 64 bits in a payload: the standard library takes it
        return json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))


def loads(text: str | None) -> Any:
    return orjson.loads(text) if text else None


def post_row(
    post: Post,
    provenance: Provenance,
    canonicalize: Callable[[str], str],
    now: datetime,
) -> dict[str, Any]:
    """The `posts` row for a post: lists and payload as JSON, and a hash that tells copies apart."""
    raw = dumps(post.raw)
    metrics = post.metrics
    return _without_nul(
        {
            "platform": post.platform,
            "external_id": post.external_id,
            "author_external_id": post.author_external_id,
            "author_handle": post.author_handle,
            "text": post.text,
            "language": post.language,
            "created_at": post.created_at,
            "url": post.url,
            "conversation_id": post.conversation_id,
            "reply_to_external_id": post.reply_to_external_id,
            "reply_to_author_external_id": post.reply_to_author_external_id,
            "repost_of_external_id": post.repost_of_external_id,
            "quote_of_external_id": post.quote_of_external_id,
            "urls": dumps(post.urls),
            "canonical_urls": dumps(sorted({canonicalize(url) for url in post.urls})),
            "hashtags": dumps(post.hashtags),
            "mentions": dumps(post.mentions),
            "media": dumps([asdict(item) for item in post.media]),
            "metrics": dumps(metrics),
            "like_count": metrics.get("like_count"),
            "repost_count": metrics.get("repost_count"),
            "reply_count": metrics.get("reply_count"),
            "place": post.place,
            "country_code": post.country_code,
            "raw": raw,
            "content_hash": hashlib.blake2b((post.text + raw).encode(), digest_size=16).hexdigest(),
            "collection_id": provenance.collection_id,
            "source": provenance.source,
            "retrieved_at": post.retrieved_at or provenance.retrieved_at,
            "tool_version": provenance.tool_version,
            "imported_at": now,
            "updated_at": now,
        }
    )


ACTOR_FIELDS = (
    "handle",
    "name",
    "description",
    "location",
    "created_at",
    "followers_count",
    "following_count",
    "posts_count",
    "verified",
    "url",
)


def actor_row(actor: Actor, now: datetime) -> dict[str, Any]:
    row: dict[str, Any] = {"platform": actor.platform, "external_id": actor.external_id}
    for name in ACTOR_FIELDS:
        row[name] = getattr(actor, name)
    row["first_seen_at"] = now
    row["updated_at"] = now
    return _without_nul(row)


def _without_nul(row: dict[str, Any]) -> dict[str, Any]:
    """No NUL characters in text: PostgreSQL cannot store them, and no person typed them."""
    for name, value in row.items():
        if type(value) is str and "\x00" in value:
            row[name] = value.replace("\x00", "")
    return row
