"""YouTube Data API v3 parser: comment threads and comments, other responses ignored."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from ediplomacy.domain.errors import MalformedRecord
from ediplomacy.ingest.formats import get_format

from .conftest import Sample

Read = Callable[[str, str], Sample]
DIR = "youtube/python-youtube/"


def test_threads_by_video(read_sample: Read) -> None:
    sample = read_sample(DIR + "comment_threads/comment_threads_by_video_paged_1.json", "youtube")
    assert (sample.errors, sample.rejected, sample.malformed) == ([], [], [])
    assert len(sample.posts) == 5
    first = sample.posts[0]
    assert first.external_id == "UgyZ1jqkHKYvi1-ruOZ4AaABAg"
    assert first.text == "Google.com"  # textOriginal, not the HTML of textDisplay
    assert first.urls == ["http://google.com/"]  # the link YouTube made of it
    assert first.author_external_id == "UCzj-CjKYmGlZ7vTL-vOe57A"
    assert first.author_handle == "himani agarwal"
    assert first.url == "https://www.youtube.com/watch?v=F1UP7wRCPH8&lc=UgyZ1jqkHKYvi1-ruOZ4AaABAg"
    assert first.created_at == datetime(2019, 11, 26, 15, 51, 44, tzinfo=UTC)
    assert first.metrics == {"like_count": 0, "reply_count": 0}
    assert (first.reply_to_external_id, first.language) == (None, None)
    assert first.raw["kind"] == "youtube#commentThread"
    assert sample.posts[1].metrics == {"like_count": 1, "reply_count": 0}
    summit = [post for post in sample.posts if "#ChromeDevSummit" in post.text]
    assert summit[0].hashtags == ["ChromeDevSummit", "chromedevsummit"]
    assert sample.actor("UCzj-CjKYmGlZ7vTL-vOe57A").url is not None


def test_thread_with_replies(read_sample: Read) -> None:
    sample = read_sample(DIR + "modeldata/comment_thread_with_replies.json", "youtube")
    top, reply = sample.posts
    assert (top.external_id, top.text, top.metrics) == (
        "UgydxWWoeA7F1OdqypJ4AaABAg",
        "Actions.ai",
        {"like_count": 0, "reply_count": 1},
    )
    assert reply.external_id == "UgydxWWoeA7F1OdqypJ4AaABAg.8wWQ3tdHcFx8xcDheui-qb"
    assert reply.reply_to_external_id == top.external_id
    assert reply.conversation_id == top.external_id
    assert (reply.author_external_id, reply.author_handle) == (
        "UCsl2A_QzcSnFD2hpCyVwXxA",
        "Dian Anggraeni",
    )
    assert reply.text == "#"
    assert reply.hashtags == []
    assert reply.raw["kind"] == "youtube#comment"


def test_comment_lists(read_sample: Read) -> None:
    replies = read_sample(DIR + "comments/comments_by_parent_paged_1.json", "youtube")
    assert [p.text for p in replies.posts] == [
        "this is the third reply!",
        "this is the second reply!",
    ]
    assert {p.reply_to_external_id for p in replies.posts} == {"Ugw5zYU6n9pmIgAZWvN4AaABAg"}
    assert replies.posts[0].url is None  # a reply listed alone does not say its video
    multi = read_sample(DIR + "comments/comments_multi.json", "youtube")
    assert [(p.external_id, p.text) for p in multi.posts] == [
        ("UgyUBI0HsgL9emxcZpR4AaABAg", "Hello"),
        ("Ugzi3lkqDPfIOirGFLh4AaABAg", "exceptional content!"),
    ]


@pytest.mark.parametrize(
    "name",
    [
        "videos/videos_info_single.json",
        "videos/videos_chart_paged_1.json",
        "search/search_by_keywords_p1.json",
        "channels/info_multiple.json",
        "playlist_items/playlist_items_paged_1.json",
        "activities/activities_by_channel_p1.json",
    ],
)
def test_responses_without_comments_yield_nothing(read_sample: Read, name: str) -> None:
    sample = read_sample(DIR + name, "youtube")
    assert (sample.posts, sample.actors, sample.rejected, sample.malformed) == ([], [], [], [])


def test_error_body_is_one_reject(read_sample: Read) -> None:
    sample = read_sample(DIR + "error_permission_resp.json", "youtube")
    assert sample.posts == []
    assert [r.reason for r in sample.rejected] == [
        "the YouTube API returned an error instead of data: The caller does not have permission"
    ]


def test_broken_items() -> None:
    parsed = get_format("youtube").parse(
        {"kind": "youtube#commentListResponse", "items": [{"id": "x"}, 3]}
    )
    assert parsed.posts == [] and len(parsed.rejected) == 2
    with pytest.raises(MalformedRecord):
        get_format("youtube").parse([])
