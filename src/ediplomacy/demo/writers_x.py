"""X API v2 search results as twarc2 writes them: one response page of up to 100 tweets a line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from ediplomacy.demo.ids import place_id
from ediplomacy.demo.model import DemoActor, DemoPost
from ediplomacy.demo.render import Piece, display_url, pieces, stable_code
from ediplomacy.demo.world import PLACES

PAGE_SIZE = 100
TWARC_VERSION = "2.14.0"
RT_LIMIT = 140  # retweet texts are cut here, ending in an ellipsis, as the API returns them
_EXPANSIONS = (
    "author_id,in_reply_to_user_id,referenced_tweets.id,referenced_tweets.id.author_id,"
    "entities.mentions.username,attachments.poll_ids,attachments.media_keys,geo.place_id"
)
_TWEET_FIELDS = (
    "attachments,author_id,context_annotations,conversation_id,created_at,entities,geo,id,"
    "in_reply_to_user_id,lang,public_metrics,text,possibly_sensitive,referenced_tweets,"
    "reply_settings,source,withheld"
)
_USER_FIELDS = (
    "created_at,description,entities,id,location,name,pinned_tweet_id,profile_image_url,"
    "protected,public_metrics,url,username,verified,withheld"
)
_PLACE_FIELDS = "contained_within,country,country_code,full_name,geo,id,name,place_type"
DEFAULT_AVATAR = "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"


def iso_ms(at: float) -> str:
    """2026-11-17T03:04:05.000Z: X writes whole seconds with a zero fraction."""
    return datetime.fromtimestamp(int(at), UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def search_url(query: str, start: float, end: float, next_token: str | None) -> str:
    params = {
        "expansions": _EXPANSIONS,
        "tweet.fields": _TWEET_FIELDS,
        "user.fields": _USER_FIELDS,
        "place.fields": _PLACE_FIELDS,
        "max_results": "100",
        "query": query,
        "start_time": iso_ms(start).replace(".000", ""),
        "end_time": iso_ms(end).replace(".000", ""),
    }
    if next_token:
        params["next_token"] = next_token
    return "https://api.twitter.com/2/tweets/search/all?" + urlencode(params)


def user_object(actor: DemoActor) -> dict[str, Any]:
    avatar = (
        f"https://pbs.twimg.com/profile_images/{actor.external_id}/{stable_code(actor.handle, 8)}"
    )
    user: dict[str, Any] = {
        "id": actor.external_id,
        "username": actor.handle,
        "name": actor.name,
        "created_at": iso_ms(actor.created_at),
        "description": actor.bio,
        "public_metrics": {
            "followers_count": actor.followers,
            "following_count": actor.following,
            "tweet_count": actor.statuses,
            "listed_count": actor.listed,
        },
        "protected": False,
        "verified": actor.verified,
        "url": "",
        "profile_image_url": DEFAULT_AVATAR if actor.role == "bot" else f"{avatar}_normal.jpg",
    }
    if actor.location:
        user["location"] = actor.location
    if actor.role == "official":
        user["verified_type"] = "government"
    elif actor.verified:
        user["verified_type"] = "business"
    return user


class XWriter:
    """Builds tweet objects once each, then pages of them newest first."""

    def __init__(
        self, actors: list[DemoActor], query: str, start: float, end: float, retrieved_at: float
    ) -> None:
        self.actors = actors
        self.query = query
        self.start = start
        self.end = end
        self.retrieved_at = retrieved_at
        self._tweets: dict[int, dict[str, Any]] = {}  # by id() of the DemoPost

    def write(self, path: Path, posts: list[DemoPost]) -> int:
        """Writes the X posts of the story; returns how many tweets went into `data`."""
        newest_first = [p for p in reversed(posts) if p.platform == "x"]
        with path.open("w", encoding="utf-8") as out:
            for page in self.pages(newest_first):
                out.write(json.dumps(page) + "\n")
        return len(newest_first)

    def pages(self, posts: list[DemoPost]) -> Iterator[dict[str, Any]]:
        token: str | None = None
        for number, first in enumerate(range(0, len(posts), PAGE_SIZE)):
            chunk = posts[first : first + PAGE_SIZE]
            last = first + PAGE_SIZE >= len(posts)
            next_token = (
                None if last else stable_code(f"x-page-{number}-{chunk[-1].local_id}", 40).lower()
            )
            meta: dict[str, Any] = {
                "newest_id": chunk[0].local_id,
                "oldest_id": chunk[-1].local_id,
                "result_count": len(chunk),
            }
            if next_token:
                meta["next_token"] = next_token
            retrieved = datetime.fromtimestamp(self.retrieved_at + number * 1.3, UTC)
            yield {
                "data": [self.tweet(p) for p in chunk],
                "includes": self._includes(chunk),
                "meta": meta,
                "__twarc": {
                    "url": search_url(self.query, self.start, self.end, token),
                    "version": TWARC_VERSION,
                    "retrieved_at": retrieved.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
                },
            }
            token = next_token

    def _includes(self, chunk: list[DemoPost]) -> dict[str, Any]:
        users: dict[str, DemoActor] = {}
        tweets: dict[str, DemoPost] = {}
        places: dict[str, str] = {}
        for post in chunk:
            users.setdefault(post.author.external_id, post.author)
            shown = (
                post.ref if post.kind == "repost" and post.ref else post
            )  # an RT shows its original
            for piece in pieces(shown, self.actors, addressed=True):
                if piece.actor is not None:
                    users.setdefault(piece.actor.external_id, piece.actor)
            if post.ref is not None:
                tweets.setdefault(post.ref.local_id, post.ref)
                users.setdefault(post.ref.author.external_id, post.ref.author)
            if post.place:
                places.setdefault(place_id(PLACES[post.place][0]), post.place)
        includes: dict[str, Any] = {"users": [user_object(a) for a in users.values()]}
        if tweets:
            includes["tweets"] = [self.tweet(p) for p in tweets.values()]
        if places:
            includes["places"] = [_place(key) for key in places.values()]
        return includes

    def tweet(self, post: DemoPost) -> dict[str, Any]:
        cached = self._tweets.get(id(post))
        if cached is None:
            cached = self._retweet(post) if post.kind == "repost" else self._original(post)
            self._tweets[id(post)] = cached
        return cached

    def _original(self, post: DemoPost) -> dict[str, Any]:
        text, entities = self._text(post)
        tweet: dict[str, Any] = {
            "id": post.local_id,
            "text": text,
            "author_id": post.author.external_id,
            "created_at": iso_ms(post.at),
            "conversation_id": post.root.local_id,
            "lang": post.lang,
            "public_metrics": {
                "retweet_count": post.reposts,
                "reply_count": post.replies,
                "like_count": post.likes,
                "quote_count": post.quotes,
                "impression_count": post.views,
            },
            "possibly_sensitive": False,
            "reply_settings": "everyone",
            "source": post.author.app,
            "edit_history_tweet_ids": [post.local_id],
        }
        if any(entities.values()):
            tweet["entities"] = {k: v for k, v in entities.items() if v}
        if post.ref is not None:
            kind = "replied_to" if post.kind == "reply" else "quoted"
            tweet["referenced_tweets"] = [{"type": kind, "id": post.ref.local_id}]
            if post.kind == "reply":
                tweet["in_reply_to_user_id"] = post.ref.author.external_id
        if post.place:
            tweet["geo"] = {"place_id": place_id(PLACES[post.place][0])}
        return tweet

    def _text(self, post: DemoPost) -> tuple[str, dict[str, list[dict[str, Any]]]]:
        """The text with @handles and t.co links, and the entities found in it (code points)."""
        parts: list[str] = []
        entities: dict[str, list[dict[str, Any]]] = {"hashtags": [], "mentions": [], "urls": []}
        at = 0
        all_pieces = pieces(post, self.actors, addressed=True)
        if post.kind == "quote" and post.ref is not None:  # X appends the quoted tweet's URL
            quoted = f"https://twitter.com/{post.ref.author.handle}/status/{post.ref.local_id}"
            all_pieces += [Piece("text", " "), Piece("link", quoted)]
        for piece in all_pieces:
            if piece.kind == "mention" and piece.actor is not None:
                shown = "@" + piece.actor.handle
                entities["mentions"].append(
                    {
                        "start": at,
                        "end": at + len(shown),
                        "username": piece.actor.handle,
                        "id": piece.actor.external_id,
                    }
                )
            elif piece.kind == "hashtag":
                shown = "#" + piece.text
                entities["hashtags"].append(
                    {"start": at, "end": at + len(shown), "tag": piece.text}
                )
            elif piece.kind == "link":
                shown = "https://t.co/" + stable_code(f"{post.local_id}|{piece.text}", 10)
                entities["urls"].append(
                    {
                        "start": at,
                        "end": at + len(shown),
                        "url": shown,
                        "expanded_url": piece.text,
                        "display_url": display_url(piece.text),
                    }
                )
            else:
                shown = piece.text
            parts.append(shown)
            at += len(shown)
        return "".join(parts), entities

    def _retweet(self, post: DemoPost) -> dict[str, Any]:
        original = post.ref
        assert original is not None
        source = self.tweet(original)
        prefix = f"RT @{original.author.handle}: "
        text = prefix + source["text"]
        cut = len(text) > RT_LIMIT
        if cut:
            text = text[: RT_LIMIT - 1] + "…"
        limit = RT_LIMIT - 1 if cut else len(text)
        entities: dict[str, list[dict[str, Any]]] = {
            "mentions": [
                {
                    "start": 3,
                    "end": 3 + len(original.author.handle) + 1,
                    "username": original.author.handle,
                    "id": original.author.external_id,
                }
            ]
        }
        for kind, found in source.get("entities", {}).items():
            for entity in found:
                shifted = {
                    **entity,
                    "start": entity["start"] + len(prefix),
                    "end": entity["end"] + len(prefix),
                }
                if shifted["end"] <= limit:
                    entities.setdefault(kind, []).append(shifted)
        return {
            "id": post.local_id,
            "text": text,
            "author_id": post.author.external_id,
            "created_at": iso_ms(post.at),
            "conversation_id": post.local_id,
            "lang": original.lang,
            "public_metrics": {
                "retweet_count": original.reposts,
                "reply_count": 0,
                "like_count": 0,
                "quote_count": 0,
                "impression_count": 0,
            },
            "possibly_sensitive": False,
            "reply_settings": "everyone",
            "source": post.author.app,
            "edit_history_tweet_ids": [post.local_id],
            "entities": entities,
            "referenced_tweets": [{"type": "retweeted", "id": original.local_id}],
        }


def _place(key: str) -> dict[str, Any]:
    full_name, name, country, code, kind = PLACES[key]
    return {
        "full_name": full_name,
        "name": name,
        "country": country,
        "country_code": code,
        "id": place_id(full_name),
        "place_type": kind,
    }
