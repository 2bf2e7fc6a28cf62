"""The files are the formats they claim: shaped like the real samples, read by the importer."""

from __future__ import annotations

import json
import re
from collections import Counter
from urllib.parse import urlsplit

import pytest

from ediplomacy.ingest.formats import get_format
from tests.demo.conftest import Written

TWEET_KEYS = {"id", "text", "author_id", "created_at", "conversation_id", "lang", "public_metrics"}
USER_KEYS = {"id", "username", "name", "created_at", "description", "public_metrics", "verified"}
POST_VIEW_KEYS = {"uri", "cid", "author", "record", "replyCount", "repostCount", "likeCount",
                  "quoteCount", "indexedAt"}  # fmt: skip
STATUS_KEYS = {"id", "uri", "url", "created_at", "account", "content", "language",
               "in_reply_to_id", "in_reply_to_account_id", "reblog", "tags", "mentions", "card",
               "media_attachments", "favourites_count", "reblogs_count", "replies_count",
               "visibility"}  # fmt: skip
ACCOUNT_KEYS = {"id", "username", "acct", "display_name", "url", "note", "created_at",
                "followers_count", "following_count", "statuses_count", "bot"}  # fmt: skip
X_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$")
DID = re.compile(r"^did:plc:[a-z2-7]{24}$")
FICTIONAL_HOSTS = (".example", "t.co", "twitter.com", "bsky.app")


def test_x_pages_are_twarc2_search_pages(small_demo: Written) -> None:
    pages = small_demo.x_pages
    for number, page in enumerate(pages):
        assert set(page) == {"data", "includes", "meta", "__twarc"}
        assert 0 < len(page["data"]) <= 100
        assert page["meta"]["result_count"] == len(page["data"])
        assert page["meta"]["newest_id"] == page["data"][0]["id"]
        assert ("next_token" in page["meta"]) == (number < len(pages) - 1)
        assert page["__twarc"]["version"] == "2.14.0"
        assert page["__twarc"]["url"].startswith("https://api.twitter.com/2/tweets/search/all?")
        ids = [int(t["id"]) for t in page["data"]]
        assert ids == sorted(ids, reverse=True)  # newest first, as search returns them


def test_x_tweets_and_their_expansions(small_demo: Written) -> None:
    for page in small_demo.x_pages:
        users = {u["id"]: u for u in page["includes"]["users"]}
        included = {t["id"] for t in page["includes"].get("tweets", [])}
        places = {p["id"] for p in page["includes"].get("places", [])}
        for tweet in [*page["data"], *page["includes"].get("tweets", [])]:
            assert set(tweet) >= TWEET_KEYS
            assert X_TIME.match(tweet["created_at"])
            assert tweet["author_id"] in users
            for ref in tweet.get("referenced_tweets", []):
                assert ref["type"] in ("replied_to", "retweeted", "quoted")
                if tweet in page["data"]:
                    assert ref["id"] in included
            if "in_reply_to_user_id" in tweet:
                assert tweet["in_reply_to_user_id"] in users
            for mention in tweet.get("entities", {}).get("mentions", []):
                if tweet in page["data"]:  # mentions expand for the page's own tweets
                    assert mention["id"] in users
            if "geo" in tweet and tweet in page["data"]:  # places expand for the page's own tweets
                assert tweet["geo"]["place_id"] in places
        for user in users.values():
            assert set(user) >= USER_KEYS
            assert set(user["public_metrics"]) == {"followers_count", "following_count",
                                                   "tweet_count", "listed_count"}  # fmt: skip


def test_x_entities_point_at_their_text(small_demo: Written) -> None:
    for tweet in small_demo.tweets:
        text = tweet["text"]
        entities = tweet.get("entities", {})
        for tag in entities.get("hashtags", []):
            assert text[tag["start"] : tag["end"]] == "#" + tag["tag"]
        for mention in entities.get("mentions", []):
            assert text[mention["start"] : mention["end"]] == "@" + mention["username"]
        for url in entities.get("urls", []):
            assert text[url["start"] : url["end"]] == url["url"]
            assert url["url"].startswith("https://t.co/")


def test_x_retweets_read_like_the_api(small_demo: Written) -> None:
    retweets = [t for t in small_demo.tweets if t.get("referenced_tweets", [{}])[0].get("type")
                == "retweeted"]  # fmt: skip
    assert retweets
    for tweet in retweets:
        assert tweet["text"].startswith("RT @")
        assert len(tweet["text"]) <= 140
        assert tweet["public_metrics"]["like_count"] == 0


def test_replies_and_reposts_come_after_what_they_refer_to(small_demo: Written) -> None:
    when = {t["id"]: t["created_at"] for t in small_demo.tweets}
    for tweet in small_demo.tweets:
        for ref in tweet.get("referenced_tweets", []):
            assert when[ref["id"]] <= tweet["created_at"]
    statuses = {s["id"]: s["created_at"] for s in small_demo.statuses}
    for status in small_demo.statuses:
        earlier = status["in_reply_to_id"] or (status["reblog"] or {}).get("id")
        if earlier:
            assert statuses[earlier] < status["created_at"]


def test_bluesky_pages_are_search_posts_responses(small_demo: Written) -> None:
    pages = small_demo.bluesky_pages
    uris = {post["uri"] for post in small_demo.bluesky_posts}
    for number, page in enumerate(pages):
        assert 0 < len(page["posts"]) <= 100
        assert ("cursor" in page) == (number < len(pages) - 1)
        for view in page["posts"]:
            assert set(view) >= POST_VIEW_KEYS
            assert DID.match(view["author"]["did"])
            assert view["uri"].startswith(f"at://{view['author']['did']}/app.bsky.feed.post/")
            assert view["cid"].startswith("bafyrei") and len(view["cid"]) == 59
            record = view["record"]
            assert record["$type"] == "app.bsky.feed.post"
            assert record["langs"] and record["createdAt"].endswith("Z")
            raw = record["text"].encode("utf-8")
            for facet in record.get("facets", []):
                shown = raw[facet["index"]["byteStart"] : facet["index"]["byteEnd"]].decode()
                feature = facet["features"][0]
                if feature["$type"].endswith("#tag"):
                    assert shown == "#" + feature["tag"]
                elif feature["$type"].endswith("#mention"):
                    assert shown.startswith("@") and DID.match(feature["did"])
                else:
                    assert feature["$type"].endswith("#link")
            if "reply" in record:
                assert record["reply"]["parent"]["uri"] in uris
                assert record["reply"]["root"]["uri"] in uris


def test_mastodon_pages_are_lists_of_statuses(small_demo: Written) -> None:
    ids = {status["id"] for status in small_demo.statuses}
    for page in small_demo.mastodon_pages:
        assert isinstance(page, list) and 0 < len(page) <= 40
        for status in page:
            assert set(status) >= STATUS_KEYS
            assert set(status["account"]) >= ACCOUNT_KEYS
            assert status["visibility"] == "public"
            if status["reblog"] is None:
                assert status["content"].startswith("<p>") and status["content"].endswith("</p>")
            else:
                assert status["content"] == "" and status["reblog"]["id"] in ids
            if status["in_reply_to_id"] is not None:
                assert status["in_reply_to_id"] in ids
            for tag in status["tags"]:
                assert tag["name"] == tag["name"].lower() and "#<span>" in status["content"]
            for mention in status["mentions"]:
                assert f'href="{mention["url"]}"' in status["content"]


def test_every_link_leads_to_a_fictional_or_platform_site(small_demo: Written) -> None:
    links = [u["expanded_url"] for t in small_demo.tweets
             for u in t.get("entities", {}).get("urls", [])]  # fmt: skip
    links += [f["features"][0]["uri"] for p in small_demo.bluesky_posts
              for f in p["record"].get("facets", []) if "uri" in f["features"][0]]  # fmt: skip
    links += re.findall(r'href="([^"]+)"', json.dumps([s["content"] for s in small_demo.statuses]))
    assert links
    for link in links:
        host = urlsplit(link.replace('\\"', "")).netloc
        assert host.endswith(FICTIONAL_HOSTS), link
    utm = [link for link in links if "utm_" in link]
    shortened = [
        link for link in links if urlsplit(link).netloc.startswith(("lnk.", "cutt.", "s."))
    ]
    assert utm and shortened


@pytest.mark.parametrize("name", ["x-v2", "bluesky", "mastodon"])
def test_the_importer_reads_every_page(small_demo: Written, name: str) -> None:
    """The project's own importer parses each line, rejects nothing and counts every post."""
    fmt = get_format(name)
    demo_file = next(f for f in small_demo.manifest.files if f.format == name)
    posts: set[str] = set()
    kinds: Counter[str] = Counter()
    for line in demo_file.path.read_text(encoding="utf-8").splitlines():
        document = json.loads(line)
        assert fmt.sniff(document)
        parsed = fmt.parse(document)
        assert not parsed.rejected
        for post in parsed.posts:
            posts.add(post.external_id)
            kinds["repost"] += post.repost_of_external_id is not None
            kinds["reply"] += post.reply_to_external_id is not None
            kinds["hashtags"] += bool(post.hashtags)
    assert len(posts) == demo_file.posts
    assert kinds["reply"] and kinds["hashtags"]
    assert kinds["repost"] or name == "bluesky"  # Bluesky's search results carry no reposts
