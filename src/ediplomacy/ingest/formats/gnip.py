"""Gnip Activity Streams tweets (`verb`, `object`, `actor`, `long_object`) as Posts."""

from __future__ import annotations

from typing import Any

from ediplomacy.domain.posts import Actor, Media, Post
from ediplomacy.ingest.formats.building import (
    clean_text,
    count,
    flag,
    language_code,
    text_or_none,
)
from ediplomacy.ingest.timeparse import parse_iso

PLATFORM = "x"
_MEDIA_KINDS = {"photo": "photo", "video": "video", "animated_gif": "animated_gif"}
_MAX_DEPTH = 8


def is_activity(document: dict[str, Any]) -> bool:
    """Whether an object is a Gnip activity (a tweet, retweet or quote in Activity Streams)."""
    activity_id = document.get("id")
    return (
        "verb" in document
        and type(activity_id) is str
        and activity_id.startswith("tag:")
        and ("actor" in document or "object" in document)
    )


def _tail(value: object, separator: str) -> str | None:
    """The last piece of an Activity Streams id or link: the tweet or user id."""
    if type(value) is not str or not value:
        return None
    return value.rstrip("/").rpartition(separator)[2] or None


def activity_to_posts(activity: dict[str, Any], depth: int = 0) -> list[tuple[Post, Actor | None]]:
    """The post of an activity and its author, then those of the tweets it shares or quotes."""
    if activity.get("verb") not in ("post", "share"):
        return []  # deletes, scrub_geo and other compliance activities carry no post
    post_id = _tail(activity.get("id"), ":")
    if post_id is None:
        return []
    actor_object = activity.get("actor")
    actor = _actor(actor_object) if isinstance(actor_object, dict) else None
    found: list[tuple[Post, Actor | None]] = []
    shared = activity.get("object")
    quoted = activity.get("twitter_quoted_status")
    post = _post(activity, post_id, actor)
    if isinstance(shared, dict) and shared.get("objectType") == "activity":
        post.repost_of_external_id = _tail(shared.get("id"), ":")
    if isinstance(quoted, dict):
        post.quote_of_external_id = _tail(quoted.get("id"), ":")
    found.append((post, actor))
    if depth < _MAX_DEPTH:
        for nested in (shared, quoted):
            if isinstance(nested, dict) and is_activity(nested):
                found.extend(activity_to_posts(nested, depth + 1))
    return found


def _actor(actor: dict[str, Any]) -> Actor | None:
    actor_id = _tail(actor.get("id"), ":")
    if actor_id is None:
        return None
    handle = text_or_none(actor.get("preferredUsername"))
    location = actor.get("location")
    return Actor(
        platform=PLATFORM,
        external_id=actor_id,
        handle=handle,
        name=text_or_none(actor.get("displayName")),
        description=text_or_none(actor.get("summary")),
        location=text_or_none(location.get("displayName")) if isinstance(location, dict) else None,
        created_at=parse_iso(actor.get("postedTime")),
        followers_count=count(actor.get("followersCount")),
        following_count=count(actor.get("friendsCount")),
        posts_count=count(actor.get("statusesCount")),
        verified=flag(actor.get("verified")),
        url=f"https://x.com/{handle}" if handle else None,
    )


def _post(activity: dict[str, Any], post_id: str, actor: Actor | None) -> Post:
    long_object = activity.get("long_object")
    if not isinstance(long_object, dict):
        long_object = {}
    text = long_object.get("body") or activity.get("body") or ""
    if type(text) is not str:
        text = ""
    elif "&" in text or "\x00" in text:
        text = clean_text(text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
    entities = long_object.get("twitter_entities") or activity.get("twitter_entities") or {}
    hashtags = [tag.get("text") for tag in entities.get("hashtags") or ()]
    hashtags += ["$" + tag["text"] for tag in entities.get("symbols") or () if tag.get("text")]
    mentions = [mention.get("screen_name") for mention in entities.get("user_mentions") or ()]
    own_link = f"/i/web/status/{post_id}"
    urls = [
        link.get("expanded_url")
        for link in entities.get("urls") or ()
        if type(link.get("expanded_url")) is str and not link["expanded_url"].endswith(own_link)
    ]
    extended = long_object.get("twitter_extended_entities") or activity.get(
        "twitter_extended_entities"
    )
    media = []
    for item in (extended or {}).get("media") or ():
        kind = item.get("type")
        media.append(
            Media(
                kind=_MEDIA_KINDS.get(kind, "other") if type(kind) is str else "other",
                url=text_or_none(item.get("media_url_https") or item.get("media_url")),
                alt_text=text_or_none(item.get("ext_alt_text")),
            )
        )
    location = activity.get("location")
    if not isinstance(location, dict):
        location = {}
    code = location.get("twitter_country_code")
    in_reply_to = activity.get("inReplyTo")
    metrics = {}
    for source, target in (("favoritesCount", "like_count"), ("retweetCount", "repost_count")):
        value = activity.get(source)
        if type(value) is int:
            metrics[target] = value
    handle = actor.handle if actor else None
    return Post(
        platform=PLATFORM,
        external_id=post_id,
        text=text,
        author_external_id=actor.external_id if actor else None,
        author_handle=handle,
        created_at=parse_iso(activity.get("postedTime")),
        language=language_code(activity.get("twitter_lang")),
        url=f"https://x.com/{handle or 'i/web'}/status/{post_id}",
        reply_to_external_id=(
            _tail(in_reply_to.get("link"), "/") if isinstance(in_reply_to, dict) else None
        ),
        urls=urls,
        hashtags=[tag for tag in hashtags if type(tag) is str and tag],
        mentions=[name for name in mentions if type(name) is str and name],
        media=media,
        metrics=metrics,
        place=text_or_none(location.get("displayName")),
        country_code=code.upper() if type(code) is str and code else None,
        raw=activity,
    )
