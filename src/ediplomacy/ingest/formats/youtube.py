"""YouTube Data API v3 comments: commentThreads and comments list responses, single threads."""

from __future__ import annotations

import re
from typing import Any

from ediplomacy.domain.errors import MalformedRecord
from ediplomacy.domain.posts import Actor, Parsed, Post
from ediplomacy.ingest.formats.building import PageBuilder, clean_text, count, text_or_none
from ediplomacy.ingest.formats.mastodon_html import html_to_text
from ediplomacy.ingest.timeparse import parse_iso

PLATFORM = "youtube"
_ITEM_ERRORS = (AttributeError, TypeError, KeyError, ValueError, IndexError)
_COMMENT_KINDS = ("youtube#commentThread", "youtube#comment")
_LISTS = ("youtube#commentThreadListResponse", "youtube#commentListResponse")
# Comments carry no entities: hashtags and links are read from the text itself.
_HASHTAG = re.compile(r"(?<![\w&])#(\w+)")
_LINK = re.compile(r"https?://[^\s<>\"']+")


class YouTubeFormat:
    """Comments and replies of the YouTube Data API v3."""

    name = "youtube"

    def sniff(self, document: Any) -> bool:
        """Whether the document is a YouTube Data API response."""
        if not isinstance(document, dict):
            return False
        kind = document.get("kind")
        if type(kind) is str and kind.startswith("youtube#"):
            return True
        error = document.get("error")
        return isinstance(error, dict) and "youtube" in str(error.get("errors", ""))

    def parse(self, document: Any) -> Parsed:
        """Comments (as Posts) and their authors of one response; other responses yield nothing."""
        if not isinstance(document, dict):
            raise MalformedRecord(
                f"a YouTube API record is a JSON object, not a {type(document).__name__}"
            )
        builder = PageBuilder()
        error = document.get("error")
        if isinstance(error, dict) and "kind" not in document:
            message = text_or_none(error.get("message")) or "no message"
            builder.reject(f"the YouTube API returned an error instead of data: {message}", error)
            return builder.parsed
        kind = document.get("kind")
        if kind in _LISTS:
            items = document.get("items")
            items = items if isinstance(items, list) else []
        elif kind in _COMMENT_KINDS:
            items = [document]
        else:
            return builder.parsed  # videos, search results, channels: no comments in them
        for item in items:
            if not isinstance(item, dict):
                builder.reject("an item is not a JSON object", item)
                continue
            try:
                _item(item, builder)
            except _ITEM_ERRORS as exc:
                builder.reject(f"could not read a comment: {exc!r}", item)
        return builder.parsed


def _item(item: dict[str, Any], builder: PageBuilder) -> None:
    if item.get("kind") == "youtube#comment" or "topLevelComment" not in (
        item.get("snippet") or {}
    ):
        _emit(item, item, None, None, builder)
        return
    snippet = item["snippet"]
    thread_id = text_or_none(item.get("id"))
    video_id = text_or_none(snippet.get("videoId"))
    top = snippet["topLevelComment"]
    if isinstance(top, dict):
        post = _emit(top, item, video_id, thread_id, builder)
        replies_count = count(snippet.get("totalReplyCount"))
        if post is not None and replies_count is not None:
            post.metrics["reply_count"] = replies_count
    replies = item.get("replies")
    for reply in (replies.get("comments") if isinstance(replies, dict) else None) or ():
        if isinstance(reply, dict):
            _emit(reply, reply, video_id, thread_id, builder)
        else:
            builder.reject("a reply is not a JSON object", reply)


def _emit(
    comment: dict[str, Any],
    raw: dict[str, Any],
    video_id: str | None,
    thread_id: str | None,
    builder: PageBuilder,
) -> Post | None:
    comment_id = text_or_none(comment.get("id"))
    snippet = comment.get("snippet")
    if comment_id is None or not isinstance(snippet, dict):
        builder.reject("a comment has no id or no snippet", comment)
        return None
    if builder.has_post(comment_id):
        return None
    display = snippet.get("textDisplay")
    shown, links = html_to_text(display) if type(display) is str else ("", [])
    text = clean_text(text_or_none(snippet.get("textOriginal")) or shown)
    links += [link for link in _LINK.findall(text) if link not in links]
    channel = snippet.get("authorChannelId")
    author_id = text_or_none(channel.get("value") if isinstance(channel, dict) else channel)
    name = text_or_none(snippet.get("authorDisplayName"))
    handle = name[1:] if name and name.startswith("@") else name
    video_id = text_or_none(snippet.get("videoId")) or video_id
    parent_id = text_or_none(snippet.get("parentId"))
    metrics = {}
    likes = count(snippet.get("likeCount"))
    if likes is not None:
        metrics["like_count"] = likes
    if author_id is not None:
        builder.add_actor(
            Actor(
                platform=PLATFORM,
                external_id=author_id,
                handle=handle,
                name=name,
                url=text_or_none(snippet.get("authorChannelUrl")),
            )
        )
    post = Post(
        platform=PLATFORM,
        external_id=comment_id,
        text=text,
        author_external_id=author_id,
        author_handle=handle,
        created_at=parse_iso(snippet.get("publishedAt")),
        url=f"https://www.youtube.com/watch?v={video_id}&lc={comment_id}" if video_id else None,
        conversation_id=parent_id or thread_id or comment_id,
        reply_to_external_id=parent_id,
        urls=links,
        hashtags=_HASHTAG.findall(text),
        metrics=metrics,
        raw=raw,
    )
    builder.add_post(post)
    return post
