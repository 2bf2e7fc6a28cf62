"""Bluesky parser: AppView responses from bsky.social, raw records and Jetstream events."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from ediplomacy.domain.errors import MalformedRecord
from ediplomacy.ingest.formats import get_format

from .conftest import Sample

Read = Callable[[str, str], Sample]
BSKYR = "bluesky/bskyr/"
JETSTREAM = "bluesky/jetstream/"
MARSHALX = "bluesky/marshalx-atproto/"
CHRIS = "did:plc:wpe35pganb6d4pg4ekmfy6u5"


def test_author_feed(read_sample: Read) -> None:
    sample = read_sample(BSKYR + "getAuthorFeed.json", "bluesky")
    assert (sample.errors, sample.rejected, sample.malformed) == ([], [], [])
    # 50 feed posts, plus the posts they reply to and quote.
    assert len(sample.posts) == 80
    assert len(sample.actors) == 23
    first = sample.posts[0]
    assert first.external_id == f"at://{CHRIS}/app.bsky.feed.post/3lof7sovfok2h"
    assert (first.author_external_id, first.author_handle) == (CHRIS, "chriskenny.bsky.social")
    assert first.url == "https://bsky.app/profile/chriskenny.bsky.social/post/3lof7sovfok2h"
    assert first.language == "en"
    assert first.created_at == datetime(2025, 5, 5, 1, 30, 17, 912000, tzinfo=UTC)
    parent = "at://did:plc:z4cp3uwgxiioi7uaxn2boq47/app.bsky.feed.post/3lobj4swhjo2x"
    assert first.reply_to_external_id == parent
    assert first.reply_to_author_external_id == "did:plc:z4cp3uwgxiioi7uaxn2boq47"
    assert first.conversation_id == parent
    assert first.metrics == {"like_count": 0, "repost_count": 0, "reply_count": 1, "quote_count": 0}
    assert first.raw["cid"] == "bafyreidgyvluiuegoiwctviyvw3ikiajujmukh2j5f5rc7lr6dam57v2ja"

    replied = sample.post(parent)  # the reply context is a post of its own
    assert replied.author_handle == "smachlis.bsky.social"
    assert replied.hashtags == ["RStats"]
    assert [m.kind for m in replied.media] == ["photo"]
    assert replied.media[0].alt_text is not None
    assert replied.media[0].alt_text.startswith("Bar chart of daily #RStats posts.")

    reposted = sample.post("at://did:plc:n65dhyosfrm6t7jhzum76exq/app.bsky.feed.post/3lnneysi3ps2c")
    assert reposted.author_handle == "mickael.canouil.fr"  # reposted by Chris; no repost uri
    quote = sample.post(f"at://{CHRIS}/app.bsky.feed.post/3lktjjvxvdk2g")
    quoted = "at://did:plc:5c2r73erhng4bszmxlfdtscf/app.bsky.feed.post/3lktj6pstuy2n"
    assert quote.quote_of_external_id == quoted
    assert sample.post(quoted).urls == ["https://github.com/christopherkenny/bskyr/pull/18"]
    link = sample.post(f"at://{CHRIS}/app.bsky.feed.post/3lo7irc7njk2p")
    assert link.urls == ["https://github.com/christopherkenny/harvard-diss"]

    own = [p for p in sample.posts if p.author_external_id == CHRIS]
    assert len(own) == 43  # the other 7 feed posts are reposts of other people's posts
    assert sum(p.reply_to_external_id is not None for p in own) == 24
    assert sample.actor(CHRIS).handle == "chriskenny.bsky.social"


def test_search_posts(read_sample: Read) -> None:
    sample = read_sample(BSKYR + "searchPosts.json", "bluesky")
    assert (sample.errors, sample.rejected, sample.malformed) == ([], [], [])
    assert len(sample.posts) == 26  # 25 results and one quoted post
    bot = sample.posts[0]
    assert bot.external_id.endswith("/app.bsky.feed.post/3lpk2u6qo222m")
    assert bot.author_handle == "socpaperbot.bsky.social"
    assert bot.language is None  # the record declares no langs
    assert bot.text.startswith("Ends Versus Means: Public Opinion on Congressional Redistricting")
    assert bot.urls and bot.urls[0].startswith("https://osf.io/")
    second = sample.posts[1]
    assert (second.author_handle, second.language) == ("cjtackett.bsky.social", "en")
    assert second.metrics["like_count"] == 4


def test_mentions_resolve_to_handles_and_quotes(read_sample: Read) -> None:
    sample = read_sample(BSKYR + "getQuotes.json", "bluesky")
    first = sample.posts[0]
    assert first.author_handle == "randvegan.bsky.social"
    assert first.mentions == ["bskyr.bsky.social", "chriskenny.bsky.social"]  # not their DIDs
    assert first.hashtags == ["rstats"]
    assert first.quote_of_external_id == (
        "at://did:plc:5c2r73erhng4bszmxlfdtscf/app.bsky.feed.post/3lc5c5qv72r2w"
    )


def test_thread_views(read_sample: Read) -> None:
    thread = read_sample(BSKYR + "getPostThread.json", "bluesky")
    [post] = thread.posts
    assert post.author_handle == "soubhikbarari.bsky.social"
    assert post.urls == ["http://localview.net", "https://rstats.ai/gov.html"]
    assert post.media[0].url is not None and post.media[0].url.endswith("@jpeg")
    assert post.metrics["like_count"] == 4
    media = read_sample(MARSHALX + "thread_view_post_with_embed_media.json", "bluesky")
    anchor = media.post("at://did:plc:kvwvcn5iqfooopmyzvb4qzba/app.bsky.feed.post/3kaheyt6vpc22")
    assert anchor.author_handle == "test.marshal.dev"
    assert anchor.quote_of_external_id == (
        "at://did:plc:kvwvcn5iqfooopmyzvb4qzba/app.bsky.feed.post/3kahesw26il2z"
    )
    assert [m.kind for m in anchor.media] == ["photo"]
    assert len(media.posts) == 2  # the anchor and the post it quotes with media


def test_raw_records_and_notifications(read_sample: Read) -> None:
    records = read_sample(BSKYR + "listRecords.json", "bluesky")
    assert len(records.posts) == 50
    assert {post.author_external_id for post in records.posts} == {CHRIS}
    assert records.posts[0].author_handle is None  # raw records carry no handle
    assert records.posts[0].url == f"https://bsky.app/profile/{CHRIS}/post/3lof7sovfok2h"
    notifications = read_sample(BSKYR + "listNotifications.json", "bluesky")
    # 11 mentions and 7 quotes carry a post record; likes, reposts and follows do not.
    assert len(notifications.posts) == 18
    extended = read_sample("bluesky/marshalx-atproto/extended_post_record.json", "bluesky")
    assert [post.text for post in extended.posts] == ["regress test"]
    for name in ("custom_record", "like_record", "feed_record", "did_doc", "resolve_handle"):
        other = read_sample(f"bluesky/marshalx-atproto/{name}.json", "bluesky")
        assert other.posts == [] and other.rejected == []


def test_profile_lists_yield_actors(read_sample: Read) -> None:
    followers = read_sample(BSKYR + "getFollowers.json", "bluesky")
    assert (len(followers.posts), len(followers.actors)) == (0, 49)  # 48 and the subject
    assert all(actor.external_id.startswith("did:") for actor in followers.actors)
    assert len(read_sample(BSKYR + "getProfiles.json", "bluesky").actors) == 1
    assert len(read_sample(BSKYR + "getLikes.json", "bluesky").actors) == 4


def test_jetstream_posts_and_reposts(read_sample: Read) -> None:
    sample = read_sample(JETSTREAM + "jetstream_v1_events_150frames.jsonl", "bluesky")
    assert (sample.errors, sample.rejected, sample.malformed) == ([], [], [])
    posts = [p for p in sample.posts if "/app.bsky.feed.post/" in p.external_id]
    reposts = [p for p in sample.posts if "/app.bsky.feed.repost/" in p.external_id]
    assert (len(posts), len(reposts)) == (17, 15)  # likes, follows, deletes... yield nothing
    assert Counter(p.language for p in posts) == {
        "en": 7,
        "tr": 3,
        "ja": 1,
        "ko": 1,
        "de": 1,
        "en-us": 1,
        None: 1,
        "ru": 1,
        "es": 1,
    }
    assert sum(p.reply_to_external_id is not None for p in posts) == 8
    first = posts[0]
    assert first.external_id == (
        "at://did:plc:dclwtltrt2ggsryagfzk7dp4/app.bsky.feed.post/3mptbyoeyc22k"
    )
    assert first.urls == ["https://www.youtube.com/watch?v=V5lDo-jw8mA"]
    assert first.retrieved_at == datetime(2026, 7, 4, 14, 38, 8, 90631, tzinfo=UTC)
    assert first.raw["kind"] == "commit"
    repost = reposts[0]
    assert repost.external_id == (
        "at://did:plc:5er4dj3kkwyj4cy5gdnzn56w/app.bsky.feed.repost/3mptbypowzs2e"
    )
    assert repost.repost_of_external_id == (
        "at://did:plc:lthsfxxeghkgg44eummxtvbe/app.bsky.feed.post/3mpt6c57uy22u"
    )
    assert (repost.text, repost.author_external_id) == ("", "did:plc:5er4dj3kkwyj4cy5gdnzn56w")
    golden = read_sample(JETSTREAM + "jetstream_v1_golden_10events.jsonl", "bluesky")
    assert len(golden.posts) == 2
    assert golden.posts[0].text == "Try RSV for a good time !!"


def test_reposts_in_a_feed_with_a_uri_are_posts() -> None:
    item = {
        "post": {
            "uri": "at://did:plc:a/app.bsky.feed.post/1",
            "author": {"did": "did:plc:a", "handle": "a.test"},
            "record": {"text": "hello", "createdAt": "2025-01-01T00:00:00Z"},
        },
        "reason": {
            "$type": "app.bsky.feed.defs#reasonRepost",
            "uri": "at://did:plc:b/app.bsky.feed.repost/2",
            "by": {"did": "did:plc:b", "handle": "b.test"},
            "indexedAt": "2025-01-02T00:00:00Z",
        },
    }
    parsed = get_format("bluesky").parse({"feed": [item, "junk"]})
    assert [post.external_id for post in parsed.posts] == [
        "at://did:plc:a/app.bsky.feed.post/1",
        "at://did:plc:b/app.bsky.feed.repost/2",
    ]
    repost = parsed.posts[1]
    assert repost.repost_of_external_id == "at://did:plc:a/app.bsky.feed.post/1"
    assert (repost.author_handle, repost.created_at) == ("b.test", datetime(2025, 1, 2, tzinfo=UTC))
    assert [actor.handle for actor in parsed.actors] == ["a.test", "b.test"]
    assert len(parsed.rejected) == 1
    with pytest.raises(MalformedRecord):
        get_format("bluesky").parse(["a list"])
