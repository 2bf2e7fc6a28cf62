"""X (Twitter) API v1.1: REST and streaming tweets, search pages, user lists, Gnip activities."""

from __future__ import annotations

from typing import Any

from ediplomacy.domain.errors import MalformedRecord
from ediplomacy.domain.posts import Actor, Media, Parsed, Post
from ediplomacy.ingest.formats.building import (
    PageBuilder,
    clean_text,
    count,
    flag,
    language_code,
    text_id,
    text_or_none,
)
from ediplomacy.ingest.formats.gnip import activity_to_posts, is_activity
from ediplomacy.ingest.formats.x_entities import unescape_text
from ediplomacy.ingest.timeparse import parse_iso, parse_twitter

PLATFORM = "x"
_METRICS = (
    ("favorite_count", "like_count"),
    ("retweet_count", "repost_count"),
    ("reply_count", "reply_count"),
    ("quote_count", "quote_count"),
)
_MEDIA_KINDS = {"photo": "photo", "video": "video", "animated_gif": "animated_gif"}
_ITEM_ERRORS = (AttributeError, TypeError, KeyError, ValueError, IndexError)
# Lists of objects that v1.1 endpoints wrap: search/tweets, followers/list, friends/list...
_WRAPPERS = ("statuses", "users", "results")
# Tweets nest tweets (a retweet of a quote); real ones go two deep, garbage may go deeper.
_MAX_DEPTH = 8


def _is_tweet(item: dict[str, Any]) -> bool:
    return "user" in item and ("text" in item or "full_text" in item or "extended_tweet" in item)


def _is_user(item: dict[str, Any]) -> bool:
    return "screen_name" in item and ("id_str" in item or "id" in item)


def _id(item: dict[str, Any]) -> str | None:
    """The id of a v1.1 object: `id_str`, because numeric ids were rounded by float parsers."""
    value = item.get("id_str")
    if type(value) is str and value:
        return value
    return text_id(item.get("id"))


def user_to_actor(user: dict[str, Any]) -> Actor | None:
    """A v1.1 user object as an Actor; None without an id."""
    user_id = _id(user)
    if user_id is None:
        return None
    screen_name = text_or_none(user.get("screen_name"))
    return Actor(
        platform=PLATFORM,
        external_id=user_id,
        handle=screen_name,
        name=text_or_none(user.get("name")),
        description=text_or_none(user.get("description")),
        location=text_or_none(user.get("location")),
        created_at=parse_twitter(user.get("created_at")),
        followers_count=count(user.get("followers_count")),
        following_count=count(user.get("friends_count")),
        posts_count=count(user.get("statuses_count")),
        verified=flag(user.get("verified")),
        url=f"https://x.com/{screen_name}" if screen_name else None,
    )


class XV1Format:
    """Tweets and users of the v1.1 API, in their original or Gnip Activity Streams shape."""

    name = "x-v1"

    def sniff(self, document: Any) -> bool:
        """Whether the document looks like v1.1 output."""
        if isinstance(document, list):
            first = document[0] if document else None
            return isinstance(first, dict) and (_is_tweet(first) or _is_user(first))
        if not isinstance(document, dict):
            return False
        if "id_str" in document and (_is_tweet(document) or _is_user(document)):
            return True
        if is_activity(document):
            return True
        if "statuses" in document and "search_metadata" in document:
            return True
        users = document.get("users")
        return "next_cursor" in document and isinstance(users, list)

    def parse(self, document: Any) -> Parsed:
        """Posts and actors of one v1.1 object, list or page."""
        if not isinstance(document, dict | list):
            raise MalformedRecord(
                f"an X API v1.1 record is a JSON object or array, not a {type(document).__name__}"
            )
        builder = PageBuilder()
        try:
            self._parse(document, builder)
        except _ITEM_ERRORS as exc:
            raise MalformedRecord(f"unreadable X API v1.1 record: {exc!r}") from exc
        return builder.parsed

    def _parse(self, document: dict[str, Any] | list[Any], builder: PageBuilder) -> None:
        if isinstance(document, list):
            items: list[Any] = document
        else:
            items = [document]
            for key in _WRAPPERS:
                wrapped = document.get(key)
                if isinstance(wrapped, list):
                    items = wrapped
                    break
        for item in items:
            if not isinstance(item, dict):
                builder.reject("an item is not a JSON object", item)
                continue
            try:
                self._item(item, builder)
            except _ITEM_ERRORS as exc:
                builder.reject(f"could not read an item: {exc!r}", item)

    def _item(self, item: dict[str, Any], builder: PageBuilder) -> None:
        if _is_tweet(item):
            _emit_tweet(item, builder, 0)
        elif is_activity(item):
            for post, actor in activity_to_posts(item):
                builder.add_post(post)
                builder.add_actor(actor)
        elif _is_user(item):
            builder.add_actor(user_to_actor(item))
            status = item.get("status")
            if isinstance(status, dict) and "user" not in status:
                _emit_tweet(status, builder, 0, author=item)
        elif isinstance(item.get("user"), dict):  # a list object: its owner
            builder.add_actor(user_to_actor(item["user"]))


def _emit_tweet(
    tweet: dict[str, Any], builder: PageBuilder, depth: int, author: dict[str, Any] | None = None
) -> None:
    """Add a tweet, then the tweets it retweets or quotes, and every author."""
    tweet_id = _id(tweet)
    if tweet_id is None:
        builder.reject("a tweet has no id_str", tweet)
        return
    if builder.has_post(tweet_id):
        return
    user = author or tweet.get("user")
    if not isinstance(user, dict):
        user = {}
    builder.add_post(_tweet_to_post(tweet, tweet_id, user))
    if user:
        builder.add_actor(user_to_actor(user))
    if depth >= _MAX_DEPTH:
        return
    for key in ("retweeted_status", "quoted_status"):
        nested = tweet.get(key)
        if isinstance(nested, dict) and _is_tweet(nested):
            _emit_tweet(nested, builder, depth + 1)


def _tweet_to_post(tweet: dict[str, Any], tweet_id: str, user: dict[str, Any]) -> Post:
    """One v1.1 tweet as a Post; extended (280-character) text and entities preferred."""
    extended = tweet.get("extended_tweet")
    if isinstance(extended, dict) and extended.get("full_text"):
        text = extended["full_text"]
        entities = extended.get("entities") or tweet.get("entities") or {}
        extended_entities = extended.get("extended_entities") or tweet.get("extended_entities")
    else:
        text = tweet.get("full_text") or tweet.get("text") or ""
        entities = tweet.get("entities") or {}
        extended_entities = tweet.get("extended_entities")
    text = clean_text(unescape_text(text)) if type(text) is str else ""

    author_id = _id(user) if user else None
    handle = text_or_none(user.get("screen_name"))

    hashtags = [tag["text"] for tag in entities.get("hashtags") or () if tag.get("text")]
    hashtags += ["$" + tag["text"] for tag in entities.get("symbols") or () if tag.get("text")]
    mentions = [
        mention["screen_name"]
        for mention in entities.get("user_mentions") or ()
        if mention.get("screen_name")
    ]
    urls = []
    own_link = f"/i/web/status/{tweet_id}"
    for link in entities.get("urls") or ():
        unwound = link.get("unwound")
        address = (unwound.get("url") if isinstance(unwound, dict) else None) or link.get(
            "expanded_url"
        )
        if type(address) is str and address and not address.endswith(own_link):
            urls.append(address)

    media = []
    media_source = extended_entities if isinstance(extended_entities, dict) else entities
    for item in media_source.get("media") or ():
        kind = item.get("type")
        media.append(
            Media(
                kind=_MEDIA_KINDS.get(kind, "other") if type(kind) is str else "other",
                url=text_or_none(item.get("media_url_https") or item.get("media_url")),
                preview_url=None,
                alt_text=text_or_none(item.get("ext_alt_text")),
            )
        )

    place = tweet.get("place")
    place_name = country_code = None
    if isinstance(place, dict):
        place_name = text_or_none(place.get("full_name"))
        code = place.get("country_code")
        country_code = code.upper() if type(code) is str and code else None

    metrics = {}
    for source, target in _METRICS:
        value = tweet.get(source)
        if type(value) is int:
            metrics[target] = value

    retweeted = tweet.get("retweeted_status")
    quoted = tweet.get("quoted_status")
    quote_of = text_id(tweet.get("quoted_status_id_str")) or (
        _id(quoted) if isinstance(quoted, dict) else None
    )
    twarc = tweet.get("__twarc")
    return Post(
        platform=PLATFORM,
        external_id=tweet_id,
        text=text,
        author_external_id=author_id,
        author_handle=handle,
        created_at=parse_twitter(tweet.get("created_at")),
        language=language_code(tweet.get("lang")),
        url=f"https://x.com/{handle or 'i/web'}/status/{tweet_id}",
        reply_to_external_id=text_id(tweet.get("in_reply_to_status_id_str")),
        reply_to_author_external_id=text_id(tweet.get("in_reply_to_user_id_str")),
        repost_of_external_id=_id(retweeted) if isinstance(retweeted, dict) else None,
        quote_of_external_id=quote_of,
        urls=urls,
        hashtags=[tag for tag in hashtags if type(tag) is str],
        mentions=[name for name in mentions if type(name) is str],
        media=media,
        metrics=metrics,
        place=place_name,
        country_code=country_code,
        retrieved_at=parse_iso(twarc.get("retrieved_at")) if isinstance(twarc, dict) else None,
        raw=tweet,
    )
