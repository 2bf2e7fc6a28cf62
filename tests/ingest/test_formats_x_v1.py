"""X API v1.1 parser: REST and streaming tweets, Gnip Activity Streams, user lists."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from ediplomacy.domain.errors import MalformedRecord
from ediplomacy.ingest.formats import get_format

from .conftest import Sample

Read = Callable[[str, str], Sample]
PARSER = "x-v1/tweet_parser/"
TWEEPY = "x-v1/tweepy/"


def test_original_format_streaming_tweets(read_sample: Read) -> None:
    sample = read_sample(PARSER + "original_format_examples.jsonl", "x-v1")
    assert (sample.errors, sample.rejected, sample.malformed) == ([], [], [])
    assert len(sample.post_ids) == 29  # 25 lines, plus the retweeted and quoted tweets inside
    own = [sample.last(tweet_id) for tweet_id in sample.post_ids]
    assert sum(post.quote_of_external_id is not None for post in own) == 8
    assert sum(post.repost_of_external_id is not None for post in own) == 3
    assert sum(post.place is not None for post in own) >= 15

    geo = sample.post("887453193294282752")
    assert geo.text == "N) A Tweet with explicit geo coordinates https://t.co/XkcFAgHhsj"
    assert (geo.author_external_id, geo.author_handle) == ("815279070241955840", "RobotPrincessFi")
    assert (geo.place, geo.country_code, geo.language) == ("Boulder, CO", "US", "en")
    assert geo.created_at == datetime(2017, 7, 18, 23, 25, 4, tzinfo=UTC)

    extended = sample.post("867479301360205824")
    assert len(extended.text) == 164  # extended_tweet.full_text, not the 140-character text
    assert extended.text.endswith("Magic! https://t.co/5PU0FLFRYz")
    assert extended.quote_of_external_id == "861652051016663040"
    assert extended.urls == ["https://twitter.com/notFromShrek/status/861652051016663040"]

    reply = sample.post("867837275152842752")
    assert reply.reply_to_external_id == "861645830863822848"
    assert reply.reply_to_author_external_id == "2382763597"

    retweet = sample.post("867478524235366400")
    assert retweet.repost_of_external_id == "861651727614746624"
    assert sample.post("861651727614746624").author_handle == "notFromShrek"
    assert sample.actor("2382763597").handle == "notFromShrek"


def test_activity_streams_give_the_same_tweets(read_sample: Read) -> None:
    original = read_sample(PARSER + "original_format_examples.jsonl", "x-v1")
    activities = read_sample(PARSER + "activity_streams_examples.jsonl", "x-v1")
    assert (activities.errors, activities.rejected, activities.malformed) == ([], [], [])
    assert activities.post_ids == original.post_ids
    # A quoted tweet nested in another activity does not say what it quotes itself.
    assert activities.post("867479301360205824").quote_of_external_id is None
    for tweet_id in ("867479301360205824", "867473446648676352", "887453193294282752"):
        mine, theirs = activities.last(tweet_id), original.last(tweet_id)
        assert mine.text == theirs.text  # long_object.body is the full text
        assert mine.author_external_id == theirs.author_external_id
        assert mine.reply_to_external_id == theirs.reply_to_external_id
        assert mine.quote_of_external_id == theirs.quote_of_external_id
        assert mine.created_at == theirs.created_at
    share = activities.post("867478524235366400")
    assert share.repost_of_external_id == "861651727614746624"
    assert share.author_handle == "RobotPrincessFi"
    quoted = activities.post("861652051016663040")
    assert (quoted.place, quoted.country_code) == ("Boulder, CO", "US")  # not "United States"
    assert quoted.reply_to_external_id == "861651727614746624"  # from the inReplyTo link
    actor = activities.actor("2382763597")
    assert (actor.handle, actor.followers_count, actor.verified) == ("notFromShrek", 401, False)


def test_public_api_sample(read_sample: Read) -> None:
    sample = read_sample(PARSER + "public_api_sample.jsonl", "x-v1")
    assert (sample.errors, sample.rejected, sample.malformed) == ([], [], [])
    assert len(sample.post_ids) == 24
    assert Counter(post.language for post in {p.external_id: p for p in sample.posts}.values()) == {
        "en": 23,
        "fr": 1,
    }


def test_float_rounded_ids_are_ignored_for_id_str(read_sample: Read) -> None:
    sample = read_sample("x-v1/twitter-to-sqlite/tweets_extended_mode.json", "x-v1")
    assert (sample.errors, sample.rejected, sample.malformed) == ([], [], [])
    # The numeric `id` fields say ...700, ...400 and ...000: rounded by a float parser.
    assert [post.external_id for post in sample.posts] == [
        "1169246717864136705",
        "1169242008432644097",
        "1169196446043664385",
        "1168529001599533057",
        "861696799362478085",
    ]
    retweet = sample.post("1169246717864136705")
    assert retweet.repost_of_external_id == "1169242008432644097"
    assert retweet.text.startswith("RT @drvox: My new post: an explainer on “carbon capture & ")
    assert sample.post("1169242008432644097").author_handle == "drvox"
    reply = sample.post("1169196446043664385")
    assert reply.reply_to_external_id == "1169079390577319937"
    assert reply.reply_to_author_external_id == "82016165"
    assert [media.kind for media in reply.media] == ["photo"]
    assert reply.urls == [
        "http://www.owlsnearme.com",
        "https://24ways.org/2018/observable-notebooks-and-inaturalist/",
    ]
    assert reply.mentions[:4] == ["scientiffic", "Wikipedia", "unsplash", "cagarrity"]
    assert (reply.place, reply.country_code) == ("Manhattan, NY", "US")
    quote = sample.post("1168529001599533057")
    assert quote.quote_of_external_id == "861696799362478085"
    assert quote.metrics == {"like_count": 31, "repost_count": 4}
    assert sample.actor("12497").handle == "simonw"


def test_tweepy_responses(read_sample: Read) -> None:
    search = read_sample(TWEEPY + "testsearchtweets__0.json", "x-v1")
    assert len(search.posts) == 21  # 15 statuses, plus the tweets they retweet or quote
    first = search.posts[0]
    assert (first.external_id, first.author_handle) == ("1149825924029980674", "tweepy_pie")
    assert Counter(post.language for post in search.posts)["nl"] == 2

    status = read_sample(TWEEPY + "testgetstatus__0.json", "x-v1").post("266367358078169089")
    assert status.author_handle == "Twitter"
    assert status.text.startswith("RT @TwitterEng: Bolstering our infrastructure.")

    user = read_sample(TWEEPY + "testgetuser__1.json", "x-v1")
    twitter = user.actor("783214")
    assert (twitter.handle, twitter.followers_count, twitter.following_count) == (
        "Twitter",
        59112521,
        0,
    )
    assert (twitter.posts_count, twitter.verified) == (14045, True)
    latest = user.post("1358867490210734088")  # the status inside the user object
    assert (latest.author_external_id, latest.author_handle) == ("783214", "Twitter")
    assert "user" not in latest.raw

    timeline = read_sample(TWEEPY + "testlisttimeline__0.json", "x-v1")
    languages = Counter(post.language for post in timeline.posts[:20])
    assert (languages["pt"], languages["ja"], languages["ar"]) == (4, 1, 1)

    places = read_sample(TWEEPY + "testcachedresult__2.json", "x-v1")
    found = {(post.place, post.country_code) for post in places.posts}
    assert ("Kingston upon Thames, London", "GB") in found

    followers = read_sample(TWEEPY + "testgetfollowers__0.json", "x-v1")
    assert len(followers.actors) == 2
    for name in ("testgeoapis__0", "testgetoembed__0", "testgetretweeterids__0"):
        nothing = read_sample(f"{TWEEPY}{name}.json", "x-v1")
        assert (nothing.posts, nothing.actors, nothing.rejected) == ([], [], [])


def test_broken_items_are_rejected_alone() -> None:
    parsed = get_format("x-v1").parse(
        {
            "statuses": [
                {"id_str": "1", "text": "ok", "user": {"id_str": "7", "screen_name": "seven"}},
                {"id": 2.5e18, "text": "no id_str and a float id", "user": {}},
                7,
            ]
        }
    )
    assert [post.external_id for post in parsed.posts] == ["1"]
    assert parsed.posts[0].created_at is None
    assert len(parsed.rejected) == 2
    with pytest.raises(MalformedRecord):
        get_format("x-v1").parse("a string")
