"""Property tests: on any JSON-ish input a parser returns well-typed output or MalformedRecord."""

from __future__ import annotations

import copy
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ediplomacy.domain.errors import MalformedRecord
from ediplomacy.domain.posts import Parsed
from ediplomacy.ingest.formats import FORMATS, get_format
from ediplomacy.ingest.reader import iter_records
from tests.conftest import shared_data_dir

# Keys the parsers look for, so that generated objects reach past the first checks.
KEYS = [
    "data", "includes", "users", "tweets", "media", "places", "errors", "id", "id_str", "text",
    "full_text", "author_id", "author", "username", "entities", "hashtags", "mentions", "urls",
    "tag", "expanded_url", "referenced_tweets", "type", "public_metrics", "lang", "created_at",
    "geo", "place_id", "attachments", "media_keys", "edit_history_tweet_ids", "note_tweet",
    "__twarc", "retrieved_at", "user", "screen_name", "retweeted_status", "quoted_status",
    "extended_tweet", "verb", "actor", "object", "long_object", "feed", "post", "posts", "uri",
    "record", "value", "did", "handle", "facets", "features", "$type", "index", "byteStart",
    "byteEnd", "embed", "reply", "parent", "root", "reason", "thread", "replies", "kind",
    "commit", "operation", "collection", "rkey", "time_us", "subject", "account", "acct",
    "content", "reblog", "quote", "quoted_status_id", "tags", "name", "card", "url", "event",
    "payload", "status", "ancestors", "statuses", "items", "snippet", "topLevelComment",
    "textOriginal", "textDisplay", "authorChannelId", "parentId", "comments", "error",
]  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**64),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(
        [
            "app.bsky.feed.post",
            "create",
            "commit",
            "retweeted",
            "quoted",
            "replied_to",
            "at://did:plc:x/app.bsky.feed.post/1",
            "app.bsky.richtext.facet#mention",
            "youtube#commentThreadListResponse",
            "youtube#comment",
            "update",
            "share",
            "tag:search.twitter.com,2005:1",
            "2021-09-22T16:37:29.000Z",
            "<p>hi <a href='x'>x</a></p>",
        ]
    ),
)
KEY = st.one_of(st.sampled_from(KEYS), st.text(max_size=5))
JSONISH = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(KEY, children, max_size=6),
    ),
    max_leaves=40,
)


def check(fmt: str, document: Any) -> None:
    try:
        parsed = get_format(fmt).parse(document)
    except MalformedRecord:
        return
    assert isinstance(parsed, Parsed)
    for post in parsed.posts:
        assert type(post.external_id) is str and post.external_id
        assert type(post.text) is str
        assert post.platform == FORMATS[fmt].name.split("-")[0] or fmt == "csv"
        for value in (post.author_external_id, post.author_handle, post.language, post.url):
            assert value is None or type(value) is str
        for value in (
            post.reply_to_external_id,
            post.repost_of_external_id,
            post.quote_of_external_id,
            post.conversation_id,
            post.place,
            post.country_code,
        ):
            assert value is None or type(value) is str
        for items in (post.urls, post.hashtags, post.mentions):
            assert all(type(item) is str for item in items)
        assert all(type(value) is int for value in post.metrics.values())
        for moment in (post.created_at, post.retrieved_at):
            assert moment is None or isinstance(moment, datetime)
            assert moment is None or moment.utcoffset() is not None
        assert isinstance(post.raw, dict)
    for actor in parsed.actors:
        assert type(actor.external_id) is str and actor.external_id
        assert actor.handle is None or type(actor.handle) is str
        assert actor.verified in (None, True, False)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=JSONISH)
def test_parsers_take_anything(fmt: str, document: Any) -> None:
    check(fmt, document)


def _samples() -> list[tuple[str, Any]]:
    """Real documents (the first record of some sample files) to mutate."""
    base = shared_data_dir() / "formats"
    chosen = {
        "x-v2": ["x-v2/twarc-csv/media_tweet.jsonl", "x-v2/twarc-csv/flat.jsonl"],
        "x-v1": [
            "x-v1/tweet_parser/original_format_examples.jsonl",
            "x-v1/tweet_parser/activity_streams_examples.jsonl",
        ],
        "bluesky": ["bluesky/bskyr/getQuotes.json", "bluesky/bskyr/getPostThread.json"],
        "mastodon": ["mastodon/mastodon-py/localdev_status_with_quote.json"],
        "youtube": ["youtube/python-youtube/modeldata/comment_thread_with_replies.json"],
    }
    found = []
    for fmt, paths in chosen.items():
        for relative in paths:
            path: Path = base / relative
            if path.exists():
                found.append((fmt, next(iter_records(path, fmt)).document))
    return found


SAMPLES = _samples()


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


@pytest.mark.skipif(not SAMPLES, reason="shared data not found")
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_parsers_survive_damaged_real_payloads(data: st.DataObject) -> None:
    fmt, original = data.draw(st.sampled_from(SAMPLES))
    document = copy.deepcopy(original)
    paths = [path for path in _paths(document) if path]
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        path = data.draw(st.sampled_from(paths))
        parent = document
        try:
            for step in path[:-1]:
                parent = parent[step]
            parent[path[-1]] = data.draw(JSONISH)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed this path
    check(fmt, document)


def test_csv_parser_takes_any_row() -> None:
    @settings(max_examples=200, deadline=None)
    @given(
        row=st.dictionaries(
            st.sampled_from(["id", "text", "created_at", "platform", "urls", "hashtags", "x"]),
            st.text(max_size=20),
        )
    )
    def run(row: dict[str, str]) -> None:
        check("csv", row)

    run()
