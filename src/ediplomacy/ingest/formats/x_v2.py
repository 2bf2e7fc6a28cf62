"""X API v2: response pages, twarc2 JSONL and `flatten` output, filtered-stream lines."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ediplomacy.domain.errors import MalformedRecord
from ediplomacy.domain.posts import Actor, Parsed, Post
from ediplomacy.ingest.formats.building import (
    PageBuilder,
    clean_text,
    count,
    flag,
    language_code,
    text_id,
    text_or_none,
)
from ediplomacy.ingest.formats.x_entities import read_entities, read_media, unescape_text
from ediplomacy.ingest.timeparse import parse_iso

PLATFORM = "x"
_METRICS = (
    ("like_count", "like_count"),
    ("retweet_count", "repost_count"),
    ("reply_count", "reply_count"),
    ("quote_count", "quote_count"),
    ("impression_count", "view_count"),
)
# Shapes of garbage a hand-edited or truncated file can hold where an object was expected.
_ITEM_ERRORS = (AttributeError, TypeError, KeyError, ValueError, IndexError)


def is_tweet(item: dict[str, Any]) -> bool:
    """Whether a v2 object is a tweet: users, lists, spaces and counts have none of these keys."""
    return (
        "text" in item
        or "author_id" in item
        or "edit_history_tweet_ids" in item
        or "conversation_id" in item
        or "note_tweet" in item
    )


def user_to_actor(user: dict[str, Any]) -> Actor | None:
    """A v2 user object as an Actor; None without an id."""
    get = user.get
    user_id = get("id")
    if type(user_id) is not str:
        user_id = text_id(user_id)
        if user_id is None:
            return None
    username = get("username")
    if type(username) is not str or not username:
        username = None
    metrics = get("public_metrics")
    followers = following = posts = None
    if type(metrics) is dict:
        followers = count(metrics.get("followers_count"))
        following = count(metrics.get("following_count"))
        posts = count(metrics.get("tweet_count"))
    # Positional arguments: twice as fast as keywords; tests pin the field order.
    return Actor(
        PLATFORM,
        user_id,
        username,
        text_or_none(get("name")),
        text_or_none(get("description")),
        text_or_none(get("location")),
        parse_iso(get("created_at")),
        followers,
        following,
        posts,
        flag(get("verified")),
        f"https://x.com/{username}" if username else None,
    )


class _Page:
    """The lookups of one response page, built once and shared by all its tweets."""

    __slots__ = ("latest", "media", "places", "retrieved_at", "users")

    def __init__(self, document: dict[str, Any], tweets: list[dict[str, Any]]) -> None:
        includes = document.get("includes")
        if not isinstance(includes, dict):
            includes = {}
        self.users: dict[str, dict[str, Any]] = _index(includes.get("users"), "id")
        self.media: dict[str, dict[str, Any]] = _index(includes.get("media"), "media_key")
        self.places: dict[str, dict[str, Any]] = _index(includes.get("places"), "id")
        twarc = document.get("__twarc")
        self.retrieved_at = parse_iso(twarc.get("retrieved_at")) if type(twarc) is dict else None
        # Edited tweets: old version id -> id of the newest version present in this page.
        self.latest: dict[str, str] = {}
        for tweet in tweets:
            history = tweet.get("edit_history_tweet_ids")
            if type(history) is not list or len(history) < 2:
                continue
            newest = history[-1]
            if type(newest) is str and newest == tweet.get("id"):
                for old_id in history[:-1]:
                    if type(old_id) is str:
                        self.latest[old_id] = newest


def _index(items: object, key: str) -> dict[str, dict[str, Any]]:
    """Objects of an includes list by their id."""
    if not isinstance(items, list):
        return {}
    return {item[key]: item for item in items if isinstance(item, dict) and key in item}


class XV2Format:
    """X API v2 tweets, users and their expansions."""

    name = "x-v2"

    def __init__(self, referenced: bool = True) -> None:
        # Whether the tweets a page includes (retweeted, quoted, replied to) become posts too.
        self.referenced = referenced

    def sniff(self, document: Any) -> bool:
        """Whether the document looks like X API v2 output."""
        if not isinstance(document, dict) or "id_str" in document or "user" in document:
            return False
        if "data" in document:
            if "paging" in document or "kind" in document:
                return False
            data = document["data"]
            first = data[0] if isinstance(data, list) and data else data
            if isinstance(first, dict):
                return "id" in first or "tweet_count" in first
            return data == [] and ("meta" in document or "__twarc" in document)
        if "id" in document and "author_id" in document and "id_str" not in document:
            return True
        if "matching_rules" in document or "__twarc" in document:
            return True
        return document.get("action") in ("delete", "scrub_geo", "withheld", "drop")

    def parse(self, document: Any) -> Parsed:
        """Posts and actors of one v2 page or one flattened tweet."""
        if not isinstance(document, dict):
            raise MalformedRecord(
                f"an X API v2 record is a JSON object, not a {type(document).__name__}"
            )
        try:
            return self._parse(document)
        except _ITEM_ERRORS as exc:
            raise MalformedRecord(f"unreadable X API v2 record: {exc!r}") from exc

    def _parse(self, document: dict[str, Any]) -> Parsed:
        data = document.get("data")
        builder = PageBuilder()
        if data is None:
            if "id" in document and is_tweet(document):
                self._flat(document, builder)
            elif "id" in document and "username" in document:  # a flattened user lookup
                builder.add_actor(user_to_actor(document))
            elif document.get("errors") and "action" not in document:
                builder.reject(_errors_reason(document["errors"]), document)
            elif not any(key in document for key in ("action", "meta", "__twarc", "errors")):
                raise MalformedRecord("not an X API v2 record: it has no 'data' and is not a tweet")
            return builder.parsed
        if isinstance(data, list):
            items = data
        elif isinstance(data, dict):
            items = [data]
        else:
            raise MalformedRecord(f"'data' is a {type(data).__name__}, not an object or a list")
        tweets: list[dict[str, Any]] = []
        for item in items:
            if not isinstance(item, dict):
                builder.reject("an item of 'data' is not a JSON object", item)
            elif is_tweet(item):
                tweets.append(item)
            elif "username" in item:
                builder.add_actor(user_to_actor(item))
        includes = document.get("includes")
        included: Any = None  # a user lookup's pinned tweets are not what was asked for
        if tweets and self.referenced and isinstance(includes, dict):
            included = includes.get("tweets")
        if not isinstance(included, list):
            included = []
        page = _Page(document, tweets + included if included else tweets)
        for tweet in tweets:
            self._emit(tweet, page, builder)
        for tweet in included:
            if isinstance(tweet, dict):
                self._emit(tweet, page, builder)
        for user in page.users.values():
            builder.add_actor(user_to_actor(user))
        return builder.parsed

    def _flat(self, tweet: dict[str, Any], builder: PageBuilder) -> None:
        """One tweet of twarc2 `flatten` output, its expansions inlined."""
        page = _Page(tweet, [tweet])
        self._emit(tweet, page, builder)
        for candidate in (tweet.get("author"), tweet.get("in_reply_to_user")):
            if isinstance(candidate, dict):
                builder.add_actor(user_to_actor(candidate))
        for mention in (tweet.get("entities") or {}).get("mentions") or ():
            if isinstance(mention, dict) and "name" in mention:
                builder.add_actor(user_to_actor(mention))
        for referenced in tweet.get("referenced_tweets") or ():
            if isinstance(referenced, dict) and "text" in referenced:
                if self.referenced:
                    self._emit(referenced, page, builder)
                author = referenced.get("author")
                if isinstance(author, dict):
                    builder.add_actor(user_to_actor(author))

    def _emit(self, tweet: dict[str, Any], page: _Page, builder: PageBuilder) -> None:
        tweet_id = tweet.get("id")
        if type(tweet_id) is not str:
            tweet_id = text_id(tweet_id)
            if tweet_id is None:
                builder.reject("a tweet has no id", tweet)
                return
        if tweet_id in page.latest or builder.has_post(tweet_id):
            return  # a newer version of an edited tweet is in the page, or a duplicate
        try:
            builder.add_post(_tweet_to_post(tweet, tweet_id, page))
        except _ITEM_ERRORS as exc:
            builder.reject(f"tweet {tweet_id} could not be read: {exc!r}", tweet)


def _tweet_to_post(tweet: dict[str, Any], tweet_id: str, page: _Page) -> Post:
    """One v2 tweet object as a Post, its author, media and place taken from the page."""
    get = tweet.get
    text = get("text")
    entities = get("entities")
    note = get("note_tweet")
    if note:
        text = note.get("text") or text
        entities = note.get("entities") or entities
    if type(text) is not str:
        text = ""
    else:
        if "&" in text:
            text = unescape_text(text)
        if "\x00" in text:
            text = clean_text(text)

    author_id = get("author_id")
    if type(author_id) is not str:
        author_id = text_id(author_id)
    author = get("author") or page.users.get(author_id)  # type: ignore[arg-type]
    handle = author.get("username") if author else None
    if type(handle) is not str:
        handle = None

    reply_to = repost_of = quote_of = None
    references = get("referenced_tweets")
    if references:
        latest = page.latest
        for reference in references:
            ref_id = reference.get("id")
            if type(ref_id) is not str:
                ref_id = text_id(ref_id)
            if latest and ref_id is not None:
                ref_id = latest.get(ref_id, ref_id)
            kind = reference.get("type")
            if kind == "retweeted":
                repost_of = ref_id
            elif kind == "replied_to":
                reply_to = ref_id
            elif kind == "quoted":
                quote_of = ref_id

    hashtags: list[str] = []
    mentions: list[str] = []
    urls: list[str] = []
    if entities:
        read_entities(entities, tweet_id, hashtags, mentions, urls)

    attachments = get("attachments")
    media = read_media(attachments, page.media) if attachments else []

    place = country_code = None
    geo = get("geo")
    if geo:
        found = page.places.get(geo.get("place_id")) or geo  # flatten inlines the place
        place = text_or_none(found.get("full_name"))
        code = found.get("country_code")
        country_code = code.upper() if type(code) is str and code else None

    metrics: dict[str, int] = {}
    public = get("public_metrics")
    if public:
        for source, target in _METRICS:
            value = public.get(source)
            if type(value) is int:
                metrics[target] = value

    retrieved_at: datetime | None = page.retrieved_at
    twarc = get("__twarc")
    if type(twarc) is dict:
        retrieved_at = parse_iso(twarc.get("retrieved_at")) or retrieved_at
    conversation_id = get("conversation_id")
    if type(conversation_id) is not str:
        conversation_id = text_id(conversation_id)
    reply_to_author = get("in_reply_to_user_id")
    if reply_to_author is not None and type(reply_to_author) is not str:
        reply_to_author = text_id(reply_to_author)
    # Positional arguments: twice as fast as keywords; tests pin the field order.
    return Post(
        PLATFORM,
        tweet_id,
        text,
        author_id,
        handle,
        parse_iso(get("created_at")),
        language_code(get("lang")),
        f"https://x.com/{handle or 'i/web'}/status/{tweet_id}",
        conversation_id,
        reply_to,
        reply_to_author,
        repost_of,
        quote_of,
        urls,
        hashtags,
        mentions,
        media,
        metrics,
        place,
        country_code,
        retrieved_at,
        tweet,
    )


def _errors_reason(errors: object) -> str:
    """One line saying what the API reported instead of data."""
    first = errors[0] if isinstance(errors, list) and errors else errors
    if isinstance(first, dict):
        detail = first.get("detail") or first.get("message") or first.get("title") or ""
        return f"the X API returned errors instead of data: {detail}".rstrip(": ")
    return "the X API returned errors instead of data"
