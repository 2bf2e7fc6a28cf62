"""Bluesky `app.bsky.feed.searchPosts` responses: one page of up to 100 post views a line."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ediplomacy.demo.ids import cid_for
from ediplomacy.demo.model import DemoActor, DemoPost
from ediplomacy.demo.render import card_title, coin, display_url, fraction, pieces

PAGE_SIZE = 100


def iso_bsky(at: float) -> str:
    """Bluesky timestamps: milliseconds and a Z."""
    moment = datetime.fromtimestamp(at, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def author_view(actor: DemoActor) -> dict[str, Any]:
    view: dict[str, Any] = {
        "did": actor.external_id,
        "handle": actor.handle,
        "displayName": actor.name,
    }
    if actor.role != "bot":
        blob = cid_for(actor.external_id.encode(), blob=True)
        view["avatar"] = f"https://cdn.bsky.app/img/avatar/plain/{actor.external_id}/{blob}@jpeg"
    view.update(
        {
            "viewer": {"muted": False, "blockedBy": False},
            "labels": [],
            "createdAt": iso_bsky(actor.created_at),
        }
    )
    return view


class BlueskyWriter:
    """Post views with records, facets in UTF-8 byte offsets, replies, quotes and link cards."""

    def __init__(self, actors: list[DemoActor]) -> None:
        self.actors = actors
        self._records: dict[int, dict[str, Any]] = {}

    def write(self, path: Path, posts: list[DemoPost]) -> int:
        newest_first = [p for p in reversed(posts) if p.platform == "bluesky"]
        with path.open("w", encoding="utf-8") as out:
            for first in range(0, len(newest_first), PAGE_SIZE):
                page: dict[str, Any] = {
                    "posts": [self.post_view(p) for p in newest_first[first : first + PAGE_SIZE]]
                }
                if first + PAGE_SIZE < len(newest_first):
                    page["cursor"] = str(first + PAGE_SIZE)
                out.write(json.dumps(page, ensure_ascii=False, separators=(",", ":")) + "\n")
        return len(newest_first)

    def post_view(self, post: DemoPost) -> dict[str, Any]:
        view: dict[str, Any] = {
            "uri": post.external_id,
            "cid": post.cid,
            "author": author_view(post.author),
            "record": self.record(post),
        }
        if post.kind == "quote" and post.ref is not None:
            view["embed"] = {
                "$type": "app.bsky.embed.record#view",
                "record": self._view_record(post.ref),
            }
        elif "embed" in view["record"]:
            view["embed"] = {
                "$type": "app.bsky.embed.external#view",
                "external": view["record"]["embed"]["external"],
            }
        view.update(_counts(post))
        lag = 0.2 + 1.3 * fraction(post.cid)  # the AppView indexes a moment later
        view["indexedAt"] = iso_bsky(post.at + lag)
        view["viewer"] = {"threadMuted": False, "embeddingDisabled": False}
        view["labels"] = []
        return view

    def record(self, post: DemoPost) -> dict[str, Any]:
        cached = self._records.get(id(post))
        if cached is not None:
            return cached
        text_parts: list[str] = []
        facets: list[dict[str, Any]] = []
        offset = 0
        for piece in pieces(post, self.actors, addressed=False):
            if piece.kind == "mention" and piece.actor is not None:
                shown = "@" + piece.actor.handle
                feature = {
                    "$type": "app.bsky.richtext.facet#mention",
                    "did": piece.actor.external_id,
                }
            elif piece.kind == "hashtag":
                shown = "#" + piece.text
                feature = {"$type": "app.bsky.richtext.facet#tag", "tag": piece.text}
            elif piece.kind == "link":
                shown = display_url(piece.text, 27, "...")
                feature = {"$type": "app.bsky.richtext.facet#link", "uri": piece.text}
            else:
                text_parts.append(piece.text)
                offset += len(piece.text.encode("utf-8"))
                continue
            size = len(shown.encode("utf-8"))
            facets.append(
                {"features": [feature], "index": {"byteEnd": offset + size, "byteStart": offset}}
            )
            text_parts.append(shown)
            offset += size
        record: dict[str, Any] = {
            "$type": "app.bsky.feed.post",
            "createdAt": iso_bsky(post.at),
            "langs": [post.lang],
            "text": "".join(text_parts),
        }
        if facets:
            record["facets"] = facets
        if post.kind == "reply" and post.ref is not None:
            root = post.root
            record["reply"] = {
                "root": {"cid": root.cid, "uri": root.external_id},
                "parent": {"cid": post.ref.cid, "uri": post.ref.external_id},
            }
        if post.kind == "quote" and post.ref is not None:
            record["embed"] = {
                "$type": "app.bsky.embed.record",
                "record": {"cid": post.ref.cid, "uri": post.ref.external_id},
            }
        elif post.link and coin(post.external_id, 0.5):  # about half the links get a card
            record["embed"] = {
                "$type": "app.bsky.embed.external",
                "external": {"uri": post.link, "title": card_title(post.link), "description": ""},
            }
        self._records[id(post)] = record
        return record

    def _view_record(self, post: DemoPost) -> dict[str, Any]:
        return {
            "$type": "app.bsky.embed.record#viewRecord",
            "uri": post.external_id,
            "cid": post.cid,
            "author": author_view(post.author),
            "value": self.record(post),
            "labels": [],
            **_counts(post),
            "indexedAt": iso_bsky(post.at + 0.4),
            "embeds": [],
        }


def _counts(post: DemoPost) -> dict[str, int]:
    return {
        "replyCount": post.replies,
        "repostCount": post.reposts,
        "likeCount": post.likes,
        "quoteCount": post.quotes,
    }
