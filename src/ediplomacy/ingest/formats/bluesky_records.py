"""Bluesky records as Posts: post and repost records, their facets, embeds and media."""

from __future__ import annotations

from typing import Any

from ediplomacy.domain.posts import Actor, Media, Post
from ediplomacy.ingest.formats.building import clean_text, language_code, text_or_none
from ediplomacy.ingest.timeparse import parse_iso

PLATFORM = "bluesky"
POST_COLLECTION = "app.bsky.feed.post"
REPOST_COLLECTION = "app.bsky.feed.repost"
_METRICS = (
    ("likeCount", "like_count"),
    ("repostCount", "repost_count"),
    ("replyCount", "reply_count"),
    ("quoteCount", "quote_count"),
)


def did_of(uri: object) -> str | None:
    """The repository (author) DID of an at:// URI."""
    if type(uri) is not str or not uri.startswith("at://"):
        return None
    return uri[5:].partition("/")[0] or None


def collection_of(uri: object) -> str | None:
    if type(uri) is not str or not uri.startswith("at://"):
        return None
    parts = uri[5:].split("/")
    return parts[1] if len(parts) > 2 else None


def repost_to_post(
    uri: str, actor: Actor | None, subject_uri: str | None, source: dict[str, Any], raw: Any
) -> Post:
    """A repost as a post of its own: no text, pointing at the post it shares."""
    handle = actor.handle if actor else None
    did = actor.external_id if actor else did_of(uri)
    return Post(
        platform=PLATFORM,
        external_id=uri,
        text="",
        author_external_id=did,
        author_handle=handle,
        created_at=parse_iso(source.get("createdAt") or source.get("indexedAt")),
        repost_of_external_id=subject_uri,
        raw=raw if isinstance(raw, dict) else {},
    )


def record_to_post(
    uri: str, record: dict[str, Any], author: Actor | None, view: dict[str, Any], raw: Any
) -> Post:
    """A post record (with its view, when the AppView gave one) as a Post."""
    text = record.get("text")
    text = clean_text(text) if type(text) is str else ""
    did = author.external_id if author else did_of(uri)
    handle = author.handle if author else None
    langs = record.get("langs")
    hashtags: list[str] = []
    mentions: list[str] = []
    urls: list[str] = []
    facets = record.get("facets")
    if facets:
        _read_facets(facets, text, hashtags, mentions, urls)
    quote_of = None
    embed = record.get("embed")
    if isinstance(embed, dict):
        quote_of = _read_embed(embed, urls)
    reply = record.get("reply")
    reply_to = conversation = None
    if isinstance(reply, dict):
        parent, root = reply.get("parent"), reply.get("root")
        reply_to = text_or_none(parent.get("uri")) if isinstance(parent, dict) else None
        conversation = text_or_none(root.get("uri")) if isinstance(root, dict) else None
    metrics = {}
    for source, target in _METRICS:
        value = view.get(source)
        if type(value) is int:
            metrics[target] = value
    return Post(
        platform=PLATFORM,
        external_id=uri,
        text=text,
        author_external_id=did,
        author_handle=handle,
        created_at=parse_iso(record.get("createdAt")) or parse_iso(view.get("indexedAt")),
        language=language_code(langs[0]) if isinstance(langs, list) and langs else None,
        url=f"https://bsky.app/profile/{handle or did}/post/{uri.rpartition('/')[2]}",
        conversation_id=conversation or uri,
        reply_to_external_id=reply_to,
        reply_to_author_external_id=did_of(reply_to),
        quote_of_external_id=quote_of,
        urls=urls,
        hashtags=hashtags,
        mentions=mentions,
        media=_media(view.get("embed"), embed),
        metrics=metrics,
        raw=raw if isinstance(raw, dict) else {},
    )


def _read_facets(
    facets: list[Any], text: str, hashtags: list[str], mentions: list[str], urls: list[str]
) -> None:
    """Hashtags, mentions (as handles where the text shows them) and links of rich-text facets."""
    encoded: bytes | None = None
    for facet in facets:
        for feature in facet.get("features") or ():
            kind = feature.get("$type", "")
            if kind.endswith("#tag"):
                tag = feature.get("tag")
                if type(tag) is str and tag:
                    hashtags.append(tag.lstrip("#"))
            elif kind.endswith("#link"):
                link = feature.get("uri")
                if type(link) is str and link and link not in urls:
                    urls.append(link)
            elif kind.endswith("#mention"):
                if encoded is None:
                    encoded = text.encode("utf-8")
                index = facet.get("index") or {}
                shown = encoded[index.get("byteStart", 0) : index.get("byteEnd", 0)]
                handle = shown.decode("utf-8", "replace").strip().lstrip("@")
                if handle and " " not in handle and "\ufffd" not in handle:
                    mentions.append(handle)
                elif type(feature.get("did")) is str:
                    mentions.append(feature["did"])


def _read_embed(embed: dict[str, Any], urls: list[str]) -> str | None:
    """The link card URL (added to urls) and the quoted post's URI of a record's embed."""
    external = embed.get("external")
    if isinstance(external, dict):
        link = external.get("uri")
        if type(link) is str and link and link not in urls:
            urls.append(link)
    record = embed.get("record")
    if isinstance(record, dict) and isinstance(record.get("record"), dict):
        record = record["record"]  # recordWithMedia: {record: {record: strongRef}, media}
    if isinstance(record, dict):
        uri = record.get("uri")
        if collection_of(uri) == POST_COLLECTION:
            return uri
    media = embed.get("media")
    if isinstance(media, dict):
        _read_embed(media, urls)
    return None


def _media(view_embed: object, record_embed: object) -> list[Media]:
    """Images, video and link cards, with CDN URLs when the AppView's embed view has them."""
    embed = view_embed if isinstance(view_embed, dict) else record_embed
    if not isinstance(embed, dict):
        return []
    inner = embed.get("media")
    if isinstance(inner, dict):
        embed = inner
    found = []
    for image in embed.get("images") or ():
        if isinstance(image, dict):
            found.append(
                Media(
                    kind="photo",
                    url=text_or_none(image.get("fullsize")),
                    preview_url=text_or_none(image.get("thumb")),
                    alt_text=text_or_none(image.get("alt")),
                )
            )
    kind = embed.get("$type", "")
    if type(kind) is str and kind.startswith("app.bsky.embed.video"):
        found.append(
            Media(
                kind="video",
                url=text_or_none(embed.get("playlist")),
                preview_url=text_or_none(embed.get("thumbnail")),
                alt_text=text_or_none(embed.get("alt")),
            )
        )
    external = embed.get("external")
    if isinstance(external, dict):
        thumb = external.get("thumb")
        found.append(
            Media(
                kind="link",
                url=text_or_none(external.get("uri")),
                preview_url=text_or_none(thumb),
                alt_text=text_or_none(external.get("title")),
            )
        )
    return found
