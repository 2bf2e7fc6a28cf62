"""Every recorded payload of the five platforms: read without surprises, the right posts counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from ediplomacy.domain.errors import MalformedRecord, UnknownFormat
from ediplomacy.ingest.formats import get_format
from ediplomacy.ingest.reader import detect_format, iter_records
from tests.conftest import shared_data_dir

FOLDERS = ("x-v2", "x-v1", "bluesky", "mastodon", "youtube")
# Distinct posts per file (referenced posts included), counted from the payloads themselves.
POSTS = {
    "x-v2/twarc-csv/brexit.jsonl": 155,
    "x-v2/twarc-csv/cashtags.jsonl": 1,
    "x-v2/twarc-csv/cotweet.jsonl": 1,
    "x-v2/twarc-csv/edited.jsonl": 1,
    "x-v2/twarc-csv/edited_after.jsonl": 1,
    "x-v2/twarc-csv/edited_before.jsonl": 1,
    "x-v2/twarc-csv/flat.jsonl": 164,
    "x-v2/twarc-csv/geo_tweets.jsonl": 3,
    "x-v2/twarc-csv/kpop.jsonl": 121,
    "x-v2/twarc-csv/many_urls.jsonl": 2,
    "x-v2/twarc-csv/media_policy_violation_off.jsonl": 161,
    "x-v2/twarc-csv/media_tweet.jsonl": 1,
    "x-v2/twarc-csv/mentions_tweet.jsonl": 2,
    "x-v2/twarc-csv/noflat.jsonl": 164,
    "x-v2/twarc-csv/quoted_edit.jsonl": 2,
    "x-v2/twarc-csv/streaming_output_with_error.jsonl": 11,
    "x-v2/twarc-csv/two_tweets.jsonl": 2,
    "x-v2/twarc-csv/verified_type.jsonl": 1,
    "x-v2/twarc-csv/withheld.jsonl": 284,
    "x-v2/tweepy/test_client_get_home_timeline__0.json": 98,
    "x-v2/tweepy/test_client_get_liked_tweets__0.json": 96,
    "x-v2/tweepy/test_client_get_list_tweets__0.json": 97,
    "x-v2/tweepy/test_client_get_quote_tweets__0.json": 9,
    "x-v2/tweepy/test_client_get_tweet__0.json": 1,
    "x-v2/tweepy/test_client_get_tweets__0.json": 2,
    "x-v2/tweepy/test_client_get_users_mentions__0.json": 10,
    "x-v2/tweepy/test_client_get_users_tweets__0.json": 2,
    "x-v2/tweepy/test_client_search_all_tweets__0.json": 10,
    "x-v2/tweepy/test_client_search_recent_tweets__0.json": 10,
    "x-v1/tweepy/testcachedresult__0.json": 1,
    "x-v1/tweepy/testcachedresult__1.json": 1,
    "x-v1/tweepy/testcachedresult__2.json": 29,
    "x-v1/tweepy/testcursornext__0.json": 21,
    "x-v1/tweepy/testgetfollowers__0.json": 2,
    "x-v1/tweepy/testgetfriends__0.json": 7,
    "x-v1/tweepy/testgetlistmember__0.json": 1,
    "x-v1/tweepy/testgetlistmembers__0.json": 20,
    "x-v1/tweepy/testgetlistsubscriber__0.json": 1,
    "x-v1/tweepy/testgetlistsubscribers__0.json": 16,
    "x-v1/tweepy/testgetretweets__0.json": 16,
    "x-v1/tweepy/testgetstatus__0.json": 1,
    "x-v1/tweepy/testgetuser__1.json": 1,
    "x-v1/tweepy/testidcursoritems__0.json": 10,
    "x-v1/tweepy/testidcursorpages__0.json": 1,
    "x-v1/tweepy/testidcursorpages__1.json": 1,
    "x-v1/tweepy/testlisttimeline__0.json": 20,
    "x-v1/tweepy/testsearchtweets__0.json": 21,
    "x-v1/tweepy/testsearchusers__0.json": 20,
    "x-v1/tweet_parser/activity_streams_examples.jsonl": 29,
    "x-v1/tweet_parser/original_format_examples.jsonl": 29,
    "x-v1/tweet_parser/public_api_sample.jsonl": 24,
    "x-v1/twitter-to-sqlite/tweets_extended_mode.json": 5,
    "bluesky/bskyr/getActorLikes.json": 11,
    "bluesky/bskyr/getAuthorFeed.json": 80,
    "bluesky/bskyr/getFeed.json": 7,
    "bluesky/bskyr/getListFeed.json": 10,
    "bluesky/bskyr/getPostThread.json": 1,
    "bluesky/bskyr/getPosts.json": 1,
    "bluesky/bskyr/getQuotes.json": 3,
    "bluesky/bskyr/getRecord.json": 1,
    "bluesky/bskyr/getTimeline.json": 50,
    "bluesky/bskyr/listNotifications.json": 18,
    "bluesky/bskyr/listRecords.json": 50,
    "bluesky/bskyr/searchPosts.json": 26,
    "bluesky/jetstream/jetstream_v1_events_150frames.jsonl": 32,
    "bluesky/jetstream/jetstream_v1_golden_10events.jsonl": 2,
    "bluesky/marshalx-atproto/extended_post_record.json": 1,
    "bluesky/marshalx-atproto/post_record.json": 1,
    "bluesky/marshalx-atproto/thread_view_post_with_embed_media.json": 2,
    "mastodon/mastodon-py/localdev_status_reblog.json": 2,
    "mastodon/mastodon-py/localdev_status_reply.json": 1,
    "mastodon/mastodon-py/localdev_status_with_quote.json": 2,
    "mastodon/mastodon-py/localdev_streaming_user_events.jsonl": 4,
    "mastodon/mastodon-py/notifications_v1.json": 1,
    "mastodon/mastodon-py/notifications_v2_grouped.json": 1,
    "mastodon/mastodon-py/search_v2.json": 2,
    "mastodon/mastodon-py/status_110446183735368325.json": 1,
    "mastodon/mastodon-py/status_110446223051565765.json": 1,
    "mastodon/mastodon-py/status_110446383900387196.json": 1,
    "mastodon/mastodon-py/status_110446983926957470_context.json": 2,
    "mastodon/mastodon-py/status_110447003454258227.json": 1,
    "mastodon/mastodon-py/status_110447012773105565.json": 1,
    "mastodon/mastodon-py/status_110447098625216345.json": 1,
    "mastodon/mastodon-py/status_110447998920481458.json": 1,
    "mastodon/mastodon-py/status_113358687695262945.json": 1,
    "mastodon/mastodon-py/status_113481707975926080.json": 1,
    "mastodon/mastodon-py/status_115044073088181107.json": 2,
    "youtube/python-youtube/comment_threads/comment_thread_single.json": 1,
    "youtube/python-youtube/comment_threads/comment_threads_all_to_me.json": 4,
    "youtube/python-youtube/comment_threads/comment_threads_by_channel.json": 2,
    "youtube/python-youtube/comment_threads/comment_threads_by_video_paged_1.json": 5,
    "youtube/python-youtube/comment_threads/comment_threads_by_video_paged_2.json": 5,
    "youtube/python-youtube/comment_threads/comment_threads_multi.json": 2,
    "youtube/python-youtube/comment_threads/comment_threads_with_search.json": 1,
    "youtube/python-youtube/comments/comments_by_parent_paged_1.json": 2,
    "youtube/python-youtube/comments/comments_by_parent_paged_2.json": 1,
    "youtube/python-youtube/comments/comments_multi.json": 2,
    "youtube/python-youtube/comments/comments_single.json": 1,
    "youtube/python-youtube/modeldata/comment_thread_with_replies.json": 2,
}
# The only surprises allowed: the truncated stream line and the API error body (both on purpose),
# and the folders' own index files, which are lists of file names rather than payloads.
READER_ERRORS = {"x-v2/twarc-csv/streaming_output_with_error.jsonl": [8]}
REJECTED = {"youtube/python-youtube/error_permission_resp.json": 1}
MALFORMED = {"x-v2/tweepy/index.json", "bluesky/bskyr/index.json"}


def sample_files() -> list[str]:
    base = shared_data_dir() / "formats"
    found = []
    for folder in FOLDERS:
        for path in sorted((base / folder).rglob("*.json*")):
            found.append(str(path.relative_to(base)))
    return found


@pytest.mark.parametrize("relative", sample_files())
def test_sample_file(formats_dir: Path, relative: str) -> None:
    fmt = relative.split("/")[0]
    parser = get_format(fmt)
    path = formats_dir / relative
    post_ids: set[str] = set()
    error_lines, rejected, malformed = [], 0, 0
    for record in iter_records(path, fmt):
        if record.error is not None:
            error_lines.append(record.line)
            continue
        try:
            parsed = parser.parse(record.document)
        except MalformedRecord:
            malformed += 1
            continue
        rejected += len(parsed.rejected)
        for post in parsed.posts:
            assert post.platform == fmt.split("-")[0]
            assert post.created_at is None or post.created_at.utcoffset() is not None
            post_ids.add(post.external_id)
        assert all(actor.platform == fmt.split("-")[0] for actor in parsed.actors)
    assert error_lines == READER_ERRORS.get(relative, [])
    assert rejected == REJECTED.get(relative, 0)
    assert malformed == (1 if relative in MALFORMED else 0)
    assert len(post_ids) == POSTS.get(relative, 0)
    try:
        detected = detect_format(path)
    except UnknownFormat:
        assert relative not in POSTS, "a file with posts must be recognised"
    else:
        assert detected == fmt
