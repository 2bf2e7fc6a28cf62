"""X API v2 parser over the recorded twarc2 and tweepy payloads."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import fields
from datetime import UTC, datetime

import pytest

from ediplomacy.domain.errors import MalformedRecord
from ediplomacy.domain.posts import Actor, Post
from ediplomacy.ingest.formats import get_format
from ediplomacy.ingest.formats.x_v2 import XV2Format
from ediplomacy.ingest.reader import iter_records
from tests.conftest import shared_data_dir

from .conftest import Sample

Read = Callable[[str, str], Sample]
TWARC = "x-v2/twarc-csv/"
TWEEPY = "x-v2/tweepy/"


def test_post_and_actor_field_order_is_what_the_fast_constructors_assume() -> None:
    # x_v2 builds Post and Actor with positional arguments for speed.
    assert [f.name for f in fields(Post)][:22] == [
        "platform", "external_id", "text", "author_external_id", "author_handle", "created_at",
        "language", "url", "conversation_id", "reply_to_external_id",
        "reply_to_author_external_id", "repost_of_external_id", "quote_of_external_id", "urls",
        "hashtags", "mentions", "media", "metrics", "place", "country_code", "retrieved_at", "raw",
    ]  # fmt: skip
    assert [f.name for f in fields(Actor)][:12] == [
        "platform", "external_id", "handle", "name", "description", "location", "created_at",
        "followers_count", "following_count", "posts_count", "verified", "url",
    ]  # fmt: skip


def test_brexit_search_page(read_sample: Read) -> None:
    sample = read_sample(TWARC + "brexit.jsonl", "x-v2")
    assert (sample.errors, sample.rejected, sample.malformed) == ([], [], [])
    # 100 tweets in data plus the 59 included referenced tweets, 4 of which are also in data.
    assert len(sample.posts) == 155
    assert len(sample.actors) == 177
    data_ids = [post.external_id for post in sample.posts[:100]]
    data = sample.posts[:100]
    assert sum(post.repost_of_external_id is not None for post in data) == 67
    assert sum(post.quote_of_external_id is not None for post in data) == 11
    assert sum(post.reply_to_external_id is not None for post in data) == 10
    assert Counter(post.language for post in data) == {"en": 92, "de": 4, None: 3, "es": 1}
    assert len(set(data_ids)) == 100

    first = sample.post("1440716895355764743")
    assert first.author_external_id == "4203239195"
    assert first.author_handle == "WarmongerHodges"
    assert first.hashtags == ["PeoplesVote", "Brexit"]
    assert first.text.startswith("The same Labour MPs that were happy to cite party members")
    assert first.created_at == datetime(2021, 9, 22, 16, 37, 29, tzinfo=UTC)
    assert first.retrieved_at == datetime(2021, 9, 22, 16, 38, 9, tzinfo=UTC)
    assert first.url == "https://x.com/WarmongerHodges/status/1440716895355764743"
    assert first.metrics == {"like_count": 0, "repost_count": 0, "reply_count": 0, "quote_count": 0}
    assert first.raw["context_annotations"][0]["entity"]["name"] == "Jeremy Corbyn"

    retweet = sample.post("1440716856763977732")
    assert retweet.author_handle == "jacquip537"
    assert retweet.repost_of_external_id == "1440713161355583489"
    assert retweet.text.startswith("RT @carolJhedges: . #BorisJohnson has revealed")
    assert "1440713161355583489" in sample.post_ids  # the retweeted tweet, from the includes

    quote = sample.post("1440715975020584960")
    assert quote.quote_of_external_id == "1440660748275834882"
    assert quote.urls == ["https://twitter.com/paulafr68963440/status/1440660748275834882"]

    reply = sample.post("1440716745577140229")
    assert reply.reply_to_external_id == "1440621713281093641"
    assert reply.reply_to_author_external_id == "1717521084"
    assert reply.conversation_id == "1440621713281093641"
    assert reply.mentions == ["AndrewKnight226"]
    assert [(m.kind, m.preview_url) for m in reply.media] == [
        ("animated_gif", "https://pbs.twimg.com/tweet_video_thumb/E_50PPpUYAIE3uX.jpg")
    ]

    author = sample.actor("4203239195")
    assert (author.handle, author.followers_count, author.posts_count) == (
        "WarmongerHodges",
        34920,
        108443,
    )
    assert author.verified is False
    assert author.created_at == datetime(2015, 11, 16, 17, 3, 41, tzinfo=UTC)


def test_media_links_to_the_tweet_itself_are_not_urls(read_sample: Read) -> None:
    sample = read_sample(TWARC + "kpop.jsonl", "x-v2")
    for post in sample.posts:
        assert not any("pic.twitter.com" in url or "/photo/" in url for url in post.urls)
    with_media = sample.post("1440716277845139456")
    assert with_media.place == "Soledad, Colombia"
    assert with_media.country_code == "CO"


def test_kpop_languages_and_deprecated_codes(read_sample: Read) -> None:
    sample = read_sample(TWARC + "kpop.jsonl", "x-v2")
    assert (sample.rejected, sample.malformed) == ([], [])
    data = sample.posts[:100]
    languages = Counter(post.language for post in data)
    assert languages["ko"] == 26
    assert languages["id"] == 5  # X writes Indonesian as the withdrawn code "in"
    assert "in" not in languages
    assert sum(post.repost_of_external_id is not None for post in data) == 78
    korean = sample.post("1440717136192626696")
    assert korean.text.startswith("RT @itsLIVEofficial: #원호 의 #잇츠라이브")
    assert korean.author_handle == "Esperanza6390"
    assert len(sample.posts) == 121  # the page's `errors` (a suspended user) are not rejects


def test_flatten_output_gives_the_same_posts_as_the_raw_page(read_sample: Read) -> None:
    raw = read_sample(TWARC + "noflat.jsonl", "x-v2")
    flat = read_sample(TWARC + "flat.jsonl", "x-v2")
    assert (flat.errors, flat.rejected, flat.malformed) == ([], [], [])
    assert raw.post_ids == flat.post_ids
    assert len(raw.post_ids) == 164
    flat_by_id = {post.external_id: post for post in flat.posts}
    for post in raw.posts:
        other = flat_by_id[post.external_id]
        assert (other.text, other.author_handle, other.repost_of_external_id) == (
            post.text,
            post.author_handle,
            post.repost_of_external_id,
        )
    first = flat.post("1380242611781386245")
    assert first.author_handle == "Alexandravm12"
    assert first.repost_of_external_id == "1380175475545362437"
    original = flat.post("1380175475545362437")
    assert original.author_handle == "williamserafino"
    assert original.language == "es"
    assert flat.actor("2718660392").name == "William Serafino"


def test_withheld_tweets_keep_their_withholding_in_raw(read_sample: Read) -> None:
    sample = read_sample(TWARC + "withheld.jsonl", "x-v2")
    assert (sample.errors, sample.rejected, sample.malformed) == ([], [], [])
    assert len({post.external_id for post in sample.posts}) == 284
    withheld = [post for post in sample.posts if "withheld" in post.raw]
    assert len(withheld) >= 13
    assert sample.post("1388424788171841537").raw["withheld"]["country_codes"] == ["IN"]
    languages = {post.language for post in sample.posts}
    assert {"ta", "ar", "ru"} <= languages


@pytest.mark.parametrize("name", ["edited.jsonl", "edited_after.jsonl", "edited_before.jsonl"])
def test_edited_tweet_keeps_its_latest_version(read_sample: Read, name: str) -> None:
    sample = read_sample(TWARC + name, "x-v2")
    assert [post.external_id for post in sample.posts] == ["1576994789110992896"]
    latest = sample.posts[0]
    assert latest.text == "hey :) https://t.co/rnwEIoNuqd"
    assert latest.author_handle == "wongmjane"
    assert latest.language is None  # "qst": a quote without text of its own
    assert latest.urls == []  # its only link is the "read more" link to itself


def test_quote_of_an_edited_tweet_points_at_the_latest_version(read_sample: Read) -> None:
    sample = read_sample(TWARC + "quoted_edit.jsonl", "x-v2")
    quote = sample.post("1576995594388000768")
    assert quote.quote_of_external_id == "1576994789110992896"
    assert quote.reply_to_external_id == "1576994789110992896"
    assert "1576994746135764992" not in sample.post_ids  # the first version is superseded


def test_streaming_output_and_its_truncated_last_line(read_sample: Read) -> None:
    sample = read_sample(TWARC + "streaming_output_with_error.jsonl", "x-v2")
    assert len(sample.errors) == 1
    line, reason = sample.errors[0]
    assert line == 8
    assert "JSON" in reason
    assert (sample.rejected, sample.malformed) == ([], [])
    data_ids = [
        "1377650090978992134",
        "1377650093109743620",
        "1377650277642338305",
        "1377650387579248643",
        "1377650459033280516",
        "1377650500687044618",
        "1377650529766154240",
    ]
    assert set(data_ids) <= sample.post_ids
    assert len(sample.post_ids) == 11  # and 4 included tweets
    assert sample.post("1377650090978992134").quote_of_external_id == "1377640162566496258"
    places = [(sample.post(i).place, sample.post(i).country_code) for i in data_ids]
    assert places == [
        ("Malawi", "MW"),
        ("Bournemouth, England", "GB"),
        ("Huntsville, AL", "US"),
        ("Wandsworth, London", "GB"),
        ("Denver, CO", "US"),
        ("Chicago, IL", "US"),
        ("Greensboro, NC", "US"),
    ]


def test_single_tweet_files(read_sample: Read) -> None:
    cashtags = read_sample(TWARC + "cashtags.jsonl", "x-v2").post("1611077073803841538")
    assert cashtags.hashtags[:4] == ["business", "NFT", "StockMarket", "option"]
    assert "$AMD" in cashtags.hashtags and "$META" in cashtags.hashtags
    mentions = read_sample(TWARC + "mentions_tweet.jsonl", "x-v2").post("1589681856941002753")
    assert mentions.mentions == ["S3NT1N3L17"]
    assert mentions.repost_of_external_id == "1589671906718134272"
    verified = read_sample(TWARC + "verified_type.jsonl", "x-v2")
    assert [(actor.handle, actor.verified) for actor in verified.actors] == [("TwitterDev", True)]
    geo = read_sample(TWARC + "geo_tweets.jsonl", "x-v2")
    polish = geo.post("1249702384659554308")
    assert (polish.language, polish.author_handle) == ("pl", "kamanonickname")
    assert "zostańwdomu" in polish.hashtags
    assert geo.post("1501963039859363843").country_code == "DE"
    many = read_sample(TWARC + "many_urls.jsonl", "x-v2").post("1610692575752601600")
    assert many.urls == ["https://uiadrian.gumroad.com/l/web-design-guide/?offer_code=twk0uc9f7"]
    video = read_sample(TWARC + "media_tweet.jsonl", "x-v2").post("1558553189766631429")
    assert [media.kind for media in video.media] == ["video"]
    assert video.media[0].url is not None and "1280x720" in video.media[0].url  # best bit rate


def test_user_lookup_yields_actors_only(read_sample: Read) -> None:
    sample = read_sample(TWARC + "users.jsonl", "x-v2")
    assert sample.posts == []  # pinned tweets in the includes are not what was asked for
    assert len(sample.actors) == 91  # 96 users, 5 of them listed twice
    assert sample.actor("119369819").handle == "DoDirty78"
    assert sample.actor("119369819").posts_count == 55186
    assert sample.rejected == []


@pytest.mark.parametrize(
    "name", ["counts.jsonl", "lists.jsonl", "tweets_compliance.jsonl", "users_compliance.jsonl"]
)
def test_counts_lists_and_compliance_yield_nothing(read_sample: Read, name: str) -> None:
    sample = read_sample(TWARC + name, "x-v2")
    assert (sample.posts, sample.actors, sample.rejected) == ([], [], [])
    assert (sample.errors, sample.malformed) == ([], [])


def test_tweepy_minimal_responses(read_sample: Read) -> None:
    tweet = read_sample(TWEEPY + "test_client_get_tweet__0.json", "x-v2")
    assert [post.external_id for post in tweet.posts] == ["1293593516040269825"]
    only = tweet.posts[0]
    assert only.text.startswith("It\u2019s finally here! 🥁 Say hello to the new #TwitterAPI.")
    assert (only.author_external_id, only.author_handle, only.created_at) == (None, None, None)
    users = read_sample(TWEEPY + "test_client_get_users__0.json", "x-v2")
    assert [(a.external_id, a.handle) for a in users.actors] == [
        ("783214", "Twitter"),
        ("2244994945", "TwitterDev"),
    ]
    assert len(read_sample(TWEEPY + "test_client_get_home_timeline__0.json", "x-v2").posts) == 98
    for name in ("get_space__0", "get_spaces__0", "get_all_tweets_count__0", "get_list__0"):
        nothing = read_sample(f"{TWEEPY}test_client_{name}.json", "x-v2")
        assert (nothing.posts, nothing.actors, nothing.rejected) == ([], [], [])


def test_a_bad_tweet_is_rejected_and_the_rest_of_the_page_kept() -> None:
    page = {
        "data": [
            {"id": "1", "text": "fine &amp; well", "author_id": "9", "lang": "EN"},
            {"text": "no id", "author_id": "9"},
            {"id": "3", "text": "bad entities", "entities": {"hashtags": 7}},
            "not an object",
        ],
        "includes": {"users": [{"id": "9", "username": "nine"}]},
    }
    parsed = get_format("x-v2").parse(page)
    assert [post.external_id for post in parsed.posts] == ["1"]
    assert parsed.posts[0].text == "fine & well"
    assert parsed.posts[0].language == "en"
    assert parsed.posts[0].author_handle == "nine"
    assert len(parsed.rejected) == 3
    assert parsed.rejected[0].reason == "an item of 'data' is not a JSON object"


def test_referenced_tweets_can_be_left_out(read_sample: Read) -> None:
    page = next(iter_records(shared_data_dir() / "formats" / TWARC / "brexit.jsonl", "x-v2"))
    only_data = XV2Format(referenced=False).parse(page.document)
    assert len(only_data.posts) == 100  # not the 55 included tweets that are not in data
    assert len(only_data.actors) == 177  # their authors are still actors


def test_flattened_user_lookup_line_is_an_actor() -> None:
    parsed = get_format("x-v2").parse({"id": "9", "username": "nine", "__twarc": {}})
    assert [(a.external_id, a.handle) for a in parsed.actors] == [("9", "nine")]
    assert parsed.posts == []


def test_nul_characters_are_dropped_from_text() -> None:
    # PostgreSQL cannot store U+0000 in text; platforms do send it now and then.
    parsed = get_format("x-v2").parse({"data": {"id": "1", "text": "a\u0000b &amp; c"}})
    assert parsed.posts[0].text == "ab & c"


def test_error_only_response_is_one_reject_and_garbage_is_malformed() -> None:
    fmt = get_format("x-v2")
    parsed = fmt.parse({"errors": [{"title": "Not Found Error", "detail": "Could not find"}]})
    assert parsed.posts == []
    assert [r.reason for r in parsed.rejected] == [
        "the X API returned errors instead of data: Could not find"
    ]
    with pytest.raises(MalformedRecord):
        fmt.parse([1, 2])
    with pytest.raises(MalformedRecord):
        fmt.parse({"hello": "world"})
    with pytest.raises(MalformedRecord):
        fmt.parse({"data": 5})
