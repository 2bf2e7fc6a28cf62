"""Bluesky (AT Protocol): AppView feeds, searches and threads, raw records, Jetstream events."""

from __future__ import annotations

from typing import Any

from ediplomacy.domain.errors import MalformedRecord
from ediplomacy.domain.posts import Actor, Parsed
from ediplomacy.ingest.formats.bluesky_records import (
    PLATFORM,
    POST_COLLECTION,
    REPOST_COLLECTION,
    collection_of,
    did_of,
    record_to_post,
    repost_to_post,
)
from ediplomacy.ingest.formats.building import PageBuilder, count, text_or_none
from ediplomacy.ingest.timeparse import from_unix, parse_iso

_ITEM_ERRORS = (AttributeError, TypeError, KeyError, ValueError, IndexError, UnicodeError)
# Response keys that hold lists of profiles rather than posts.
_PROFILE_LISTS = ("followers", "follows", "profiles", "repostedBy", "actors")
# Thread views nest replies in replies; a bound keeps garbage from running forever.
_MAX_NODES = 100_000


def profile_to_actor(profile: object) -> Actor | None:
    """An actor profile view (or a bare DID) as an Actor."""
    if type(profile) is str and profile.startswith("did:"):
        return Actor(platform=PLATFORM, external_id=profile)
    if not isinstance(profile, dict):
        return None
    did = text_or_none(profile.get("did"))
    if did is None:
        return None
    handle = text_or_none(profile.get("handle"))
    verification = profile.get("verification")
    return Actor(
        platform=PLATFORM,
        external_id=did,
        handle=handle,
        name=text_or_none(profile.get("displayName")),
        description=text_or_none(profile.get("description")),
        created_at=parse_iso(profile.get("createdAt")),
        followers_count=count(profile.get("followersCount")),
        following_count=count(profile.get("followsCount")),
        posts_count=count(profile.get("postsCount")),
        verified=(
            verification.get("verifiedStatus") == "valid"
            if isinstance(verification, dict)
            else None
        ),
        url=f"https://bsky.app/profile/{handle or did}",
    )


class BlueskyFormat:
    """Posts, reposts and profiles from Bluesky's XRPC responses and Jetstream."""

    name = "bluesky"

    def sniff(self, document: Any) -> bool:
        """Whether the document looks like Bluesky output."""
        if not isinstance(document, dict):
            return False
        if "did" in document and "kind" in document and "time_us" in document:
            return True  # Jetstream
        for key in ("feed", "posts", "notifications", "records"):
            items = document.get(key)
            if isinstance(items, list):
                first = items[0] if items else {}
                return isinstance(first, dict) and ("post" in first or "uri" in first or not first)
        thread = document.get("thread")
        if isinstance(thread, dict):
            return "post" in thread
        for key in _PROFILE_LISTS:
            profiles = document.get(key)
            if isinstance(profiles, list) and profiles:
                return isinstance(profiles[0], dict) and "did" in profiles[0]
        uri = document.get("uri")
        return type(uri) is str and uri.startswith("at://")

    def parse(self, document: Any) -> Parsed:
        """Posts and actors of one response page or Jetstream event."""
        if not isinstance(document, dict):
            raise MalformedRecord(
                f"a Bluesky record is a JSON object, not a {type(document).__name__}"
            )
        builder = PageBuilder()
        try:
            self._parse(document, builder)
        except _ITEM_ERRORS as exc:
            raise MalformedRecord(f"unreadable Bluesky record: {exc!r}") from exc
        return builder.parsed

    def _parse(self, document: dict[str, Any], builder: PageBuilder) -> None:
        if "kind" in document and "did" in document:
            _jetstream(document, builder)
            return
        feed = document.get("feed")
        if isinstance(feed, list):
            for item in feed:
                _guarded(_feed_item, item, builder)
        for key in ("posts", "notifications", "records"):
            items = document.get(key)
            if isinstance(items, list):
                for item in items:
                    _guarded(_post_like, item, builder)
        thread = document.get("thread")
        if isinstance(thread, dict):
            _thread(thread, builder)
        for key in _PROFILE_LISTS:
            for profile in document.get(key) or ():
                builder.add_actor(profile_to_actor(profile))
        for key in ("subject", "actor"):
            if isinstance(document.get(key), dict):
                builder.add_actor(profile_to_actor(document[key]))
        for like in document.get("likes") or ():
            if isinstance(like, dict):
                builder.add_actor(profile_to_actor(like.get("actor")))
        if "uri" in document and ("record" in document or "value" in document):
            _guarded(_post_like, document, builder)


def _guarded(handler: Any, item: object, builder: PageBuilder) -> None:
    """Run a per-item handler; a broken item is set aside and the page goes on."""
    if not isinstance(item, dict):
        builder.reject("an item is not a JSON object", item)
        return
    try:
        handler(item, builder)
    except _ITEM_ERRORS as exc:
        builder.reject(f"could not read an item: {exc!r}", item)


def _feed_item(item: dict[str, Any], builder: PageBuilder) -> None:
    """A feed view item: the post, its reply context and, for reposts, the repost itself."""
    post = item.get("post")
    if isinstance(post, dict):
        _post_like(post, builder)
    reason = item.get("reason")
    if isinstance(reason, dict) and isinstance(post, dict):
        repost_uri = text_or_none(reason.get("uri"))
        if repost_uri and reason.get("$type", "").endswith("reasonRepost"):
            by = reason.get("by")
            actor = profile_to_actor(by)
            builder.add_actor(actor)
            builder.add_post(
                repost_to_post(repost_uri, actor, text_or_none(post.get("uri")), reason, item)
            )
    reply = item.get("reply")
    if isinstance(reply, dict):
        for key in ("parent", "root"):
            context = reply.get(key)
            if isinstance(context, dict):
                _post_like(context, builder)
        builder.add_actor(profile_to_actor(reply.get("grandparentAuthor")))


def _thread(root: dict[str, Any], builder: PageBuilder) -> None:
    """Every post of a thread view: the anchor, its parents and all replies."""
    stack: list[Any] = [root]
    seen = 0
    while stack and seen < _MAX_NODES:
        node = stack.pop()
        seen += 1
        if not isinstance(node, dict):
            continue
        post = node.get("post")
        if isinstance(post, dict):
            _guarded(_post_like, post, builder)
        stack.append(node.get("parent"))
        replies = node.get("replies")
        if isinstance(replies, list):
            stack.extend(replies)


def _post_like(view: dict[str, Any], builder: PageBuilder) -> None:
    """A post view, an embedded view record, a notification or a raw {uri, value} record."""
    uri = text_or_none(view.get("uri"))
    record = view.get("record")
    if not isinstance(record, dict):
        record = view.get("value")
    if uri is None or not isinstance(record, dict):
        return  # notFoundPost, blockedPost, or a like/follow notification
    if record.get("$type", POST_COLLECTION) != POST_COLLECTION:
        return
    if collection_of(uri) != POST_COLLECTION or builder.has_post(uri):
        return
    author = profile_to_actor(view.get("author")) or profile_to_actor(did_of(uri))
    builder.add_actor(author)
    builder.add_post(record_to_post(uri, record, author, view, view))
    for embedded in _embedded_views(view.get("embed")):
        _post_like(embedded, builder)
    for embeds in view.get("embeds") or ():
        for embedded in _embedded_views(embeds):
            _post_like(embedded, builder)


def _embedded_views(embed: object) -> list[dict[str, Any]]:
    """The quoted-post view records inside an embed view (record or recordWithMedia)."""
    if not isinstance(embed, dict):
        return []
    record = embed.get("record")
    if isinstance(record, dict) and isinstance(record.get("record"), dict):
        record = record["record"]  # recordWithMedia#view nests the record view once more
    return [record] if isinstance(record, dict) and "value" in record else []


def _jetstream(event: dict[str, Any], builder: PageBuilder) -> None:
    """A Jetstream event: post and repost creations; every other event carries no post."""
    commit = event.get("commit")
    if event.get("kind") != "commit" or not isinstance(commit, dict):
        return
    if commit.get("operation") != "create":
        return
    collection = commit.get("collection")
    did = text_or_none(event.get("did"))
    rkey = text_or_none(commit.get("rkey"))
    record = commit.get("record")
    if did is None or rkey is None or not isinstance(record, dict):
        if collection in (POST_COLLECTION, REPOST_COLLECTION):
            builder.reject("a Jetstream create event lacks its did, rkey or record", event)
        return
    uri = f"at://{did}/{collection}/{rkey}"
    actor = Actor(platform=PLATFORM, external_id=did)
    micros = event.get("time_us")
    retrieved_at = from_unix(micros / 1_000_000) if type(micros) is int else None
    if collection == POST_COLLECTION:
        post = record_to_post(uri, record, actor, {}, event)
    elif collection == REPOST_COLLECTION:
        subject = record.get("subject")
        subject_uri = text_or_none(subject.get("uri")) if isinstance(subject, dict) else None
        post = repost_to_post(uri, actor, subject_uri, record, event)
    else:
        return
    post.retrieved_at = retrieved_at
    builder.add_actor(actor)
    builder.add_post(post)
