"""Mastodon: Status entities alone or in lists, contexts, searches, notifications and streams."""

from __future__ import annotations

from typing import Any

import orjson

from ediplomacy.domain.errors import MalformedRecord
from ediplomacy.domain.posts import Actor, Media, Parsed, Post
from ediplomacy.ingest.formats.building import (
    PageBuilder,
    count,
    language_code,
    text_id,
    text_or_none,
)
from ediplomacy.ingest.formats.mastodon_html import html_to_text
from ediplomacy.ingest.timeparse import parse_iso

PLATFORM = "mastodon"
_METRICS = (
    ("favourites_count", "like_count"),
    ("reblogs_count", "repost_count"),
    ("replies_count", "reply_count"),
    ("quotes_count", "quote_count"),
)
_MEDIA_KINDS = {"image": "photo", "gifv": "animated_gif", "video": "video", "audio": "audio"}
_ITEM_ERRORS = (AttributeError, TypeError, KeyError, ValueError, IndexError)
_STATUS_EVENTS = ("update", "status.update")
# A reblog holds a status that may quote another: real nesting is shallow.
_MAX_DEPTH = 8


def is_status(item: dict[str, Any]) -> bool:
    """Whether an object is a Status (StatusEdit and StatusSource have no account or no id)."""
    return "id" in item and "account" in item and ("content" in item or "reblog" in item)


def _is_account(item: dict[str, Any]) -> bool:
    return "acct" in item and "username" in item and "content" not in item


def account_to_actor(account: object) -> Actor | None:
    """An Account as an Actor, identified by its profile URL, the same from every server."""
    if not isinstance(account, dict):
        return None
    url = text_or_none(account.get("url")) or text_or_none(account.get("uri"))
    if url is None:
        return None
    note = account.get("note")
    return Actor(
        platform=PLATFORM,
        external_id=url,
        handle=text_or_none(account.get("acct")),
        name=text_or_none(account.get("display_name")),
        description=html_to_text(note)[0] or None if type(note) is str else None,
        created_at=parse_iso(account.get("created_at")),
        followers_count=count(account.get("followers_count")),
        following_count=count(account.get("following_count")),
        posts_count=count(account.get("statuses_count")),
        url=url,
    )


class MastodonFormat:
    """Statuses and accounts of the Mastodon API."""

    name = "mastodon"

    def sniff(self, document: Any) -> bool:
        """Whether the document looks like Mastodon output."""
        if isinstance(document, list):
            first = document[0] if document else None
            return isinstance(first, dict) and (is_status(first) or _is_notification(first))
        if not isinstance(document, dict):
            return False
        if document.get("event") in (*_STATUS_EVENTS, "notification", "delete"):
            return "payload" in document
        if "ancestors" in document and "descendants" in document:
            return True
        statuses = document.get("statuses")
        if isinstance(statuses, list) and ("accounts" in document or "hashtags" in document):
            return True
        return is_status(document) or _is_notification(document) or _is_account(document)

    def parse(self, document: Any) -> Parsed:
        """Posts and actors of one Mastodon response or streaming event."""
        if not isinstance(document, dict | list):
            raise MalformedRecord(
                f"a Mastodon record is a JSON object or array, not a {type(document).__name__}"
            )
        builder = PageBuilder()
        try:
            self._parse(document, builder)
        except _ITEM_ERRORS as exc:
            raise MalformedRecord(f"unreadable Mastodon record: {exc!r}") from exc
        return builder.parsed

    def _parse(self, document: dict[str, Any] | list[Any], builder: PageBuilder) -> None:
        if isinstance(document, list):
            items: list[Any] = document
        elif "event" in document and "payload" in document:
            items = _stream_items(document)
        else:
            items = []
            for key in ("ancestors", "descendants", "statuses", "accounts"):
                found = document.get(key)
                if isinstance(found, list):
                    items.extend(found)
            if not items:
                items = [document]
        for item in items:
            if not isinstance(item, dict):
                builder.reject("an item is not a JSON object", item)
                continue
            try:
                _item(item, builder)
            except _ITEM_ERRORS as exc:
                builder.reject(f"could not read an item: {exc!r}", item)


def _is_notification(item: dict[str, Any]) -> bool:
    return "type" in item and "account" in item and "status" in item


def _stream_items(event: dict[str, Any]) -> list[Any]:
    """The statuses of a streaming event: 'update' and 'status.update' carry one."""
    kind = event.get("event")
    payload = event.get("payload")
    if kind not in (*_STATUS_EVENTS, "notification"):
        return []  # delete, filters_changed, announcements...
    if isinstance(payload, str | bytes):
        try:
            payload = orjson.loads(payload)
        except orjson.JSONDecodeError as exc:
            raise MalformedRecord(f"the payload of a {kind!r} event is not JSON: {exc}") from exc
    return [payload]


def _item(item: dict[str, Any], builder: PageBuilder) -> None:
    if is_status(item):
        _emit_status(item, builder, 0)
    elif _is_notification(item):
        builder.add_actor(account_to_actor(item.get("account")))
        status = item.get("status")
        if isinstance(status, dict) and is_status(status):
            _emit_status(status, builder, 0)
    elif _is_account(item):
        builder.add_actor(account_to_actor(item))


def _emit_status(status: dict[str, Any], builder: PageBuilder, depth: int) -> None:
    """Add a status, its author, and the statuses it reblogs or quotes."""
    status_id = text_id(status.get("id"))
    if status_id is None:
        builder.reject("a status has no id", status)
        return
    if builder.has_post(status_id):
        return
    account = status.get("account")
    actor = account_to_actor(account)
    builder.add_actor(actor)
    reblog = status.get("reblog")
    quoted = _quoted_status(status.get("quote"))
    builder.add_post(_status_to_post(status, status_id, actor, account, reblog, quoted))
    if depth >= _MAX_DEPTH:
        return
    for nested in (reblog, quoted):
        if isinstance(nested, dict) and is_status(nested):
            _emit_status(nested, builder, depth + 1)


def _quoted_status(quote: object) -> dict[str, Any] | str | None:
    """The quoted Status (full, when shown) or its id (shallow quote) of a `quote` object."""
    if not isinstance(quote, dict):
        return None
    quoted = quote.get("quoted_status")
    if isinstance(quoted, dict):
        return quoted
    return text_id(quote.get("quoted_status_id"))


def _status_to_post(
    status: dict[str, Any],
    status_id: str,
    actor: Actor | None,
    account: Any,
    reblog: Any,
    quoted: dict[str, Any] | str | None,
) -> Post:
    """One Status as a Post; the HTML content read into plain text and links."""
    content = status.get("content")
    text, links = html_to_text(content) if type(content) is str else ("", [])
    card = status.get("card")
    if isinstance(card, dict) and type(card.get("url")) is str and card["url"] not in links:
        links.append(card["url"])
    hashtags = [tag.get("name") for tag in status.get("tags") or ()]
    mention_list = status.get("mentions") or ()
    mentions = [mention.get("acct") for mention in mention_list]
    reply_to_account = text_id(status.get("in_reply_to_account_id"))
    reply_to_author = None
    if reply_to_account is not None:
        if isinstance(account, dict) and text_id(account.get("id")) == reply_to_account:
            reply_to_author = actor.external_id if actor else None
        for mention in mention_list:
            if text_id(mention.get("id")) == reply_to_account:
                reply_to_author = text_or_none(mention.get("url"))
    media = []
    for attachment in status.get("media_attachments") or ():
        kind = attachment.get("type")
        media.append(
            Media(
                kind=_MEDIA_KINDS.get(kind, "other") if type(kind) is str else "other",
                url=text_or_none(attachment.get("url") or attachment.get("remote_url")),
                preview_url=text_or_none(attachment.get("preview_url")),
                alt_text=text_or_none(attachment.get("description")),
            )
        )
    metrics = {}
    for source, target in _METRICS:
        value = status.get(source)
        if type(value) is int:
            metrics[target] = value
    return Post(
        platform=PLATFORM,
        external_id=status_id,
        text=text,
        author_external_id=actor.external_id if actor else None,
        author_handle=actor.handle if actor else None,
        created_at=parse_iso(status.get("created_at")),
        language=language_code(status.get("language")),
        url=text_or_none(status.get("url")) or text_or_none(status.get("uri")),
        reply_to_external_id=text_id(status.get("in_reply_to_id")),
        reply_to_author_external_id=reply_to_author,
        repost_of_external_id=text_id(reblog.get("id")) if isinstance(reblog, dict) else None,
        quote_of_external_id=text_id(quoted.get("id")) if isinstance(quoted, dict) else quoted,
        urls=[link for link in links if type(link) is str],
        hashtags=[tag for tag in hashtags if type(tag) is str and tag],
        mentions=[acct for acct in mentions if type(acct) is str and acct],
        media=media,
        metrics=metrics,
        raw=status,
    )
