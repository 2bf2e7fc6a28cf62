"""CSV rows: ediplomacy's own export, twarc-csv output and Coordination Network Toolkit input."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ediplomacy.domain.errors import MalformedRecord
from ediplomacy.domain.posts import Parsed
from ediplomacy.ingest.formats import get_format
from ediplomacy.ingest.formats.csv_rows import COLUMNS
from ediplomacy.ingest.reader import detect_format, iter_records

# The tweet columns twarc-csv writes by default (DocNow/twarc-csv, dataframe_converter.py).
TWARC_CSV_COLUMNS = (
    "id,conversation_id,referenced_tweets.replied_to.id,referenced_tweets.retweeted.id,"
    "referenced_tweets.quoted.id,author_id,in_reply_to_user_id,in_reply_to_username,"
    "retweeted_user_id,retweeted_username,quoted_user_id,quoted_username,created_at,text,lang,"
    "source,public_metrics.impression_count,public_metrics.reply_count,"
    "public_metrics.retweet_count,public_metrics.quote_count,public_metrics.like_count,"
    "reply_settings,edit_history_tweet_ids,edit_controls.edits_remaining,"
    "edit_controls.editable_until,edit_controls.is_edit_eligible,possibly_sensitive,"
    "withheld.scope,withheld.copyright,withheld.country_codes,entities.annotations,"
    "entities.cashtags,entities.hashtags,entities.mentions,entities.urls,context_annotations,"
    "attachments.media,attachments.media_keys,attachments.poll.duration_minutes,"
    "attachments.poll.end_datetime,attachments.poll.id,attachments.poll.options,"
    "attachments.poll.voting_status,attachments.poll_ids,author.id,author.created_at,"
    "author.username,author.name,author.description,author.entities.description.cashtags,"
    "author.entities.description.hashtags,author.entities.description.mentions,"
    "author.entities.description.urls,author.url,author.location,author.pinned_tweet_id,"
    "author.profile_image_url,author.protected,author.public_metrics.followers_count,"
    "author.public_metrics.following_count,author.public_metrics.listed_count,"
    "author.public_metrics.tweet_count,author.verified,author.withheld.scope,"
    "author.withheld.copyright,author.withheld.country_codes,geo.coordinates.coordinates,"
    "geo.coordinates.type,geo.country,geo.country_code,geo.full_name,geo.geo.bbox,geo.geo.type,"
    "geo.id,geo.name,geo.place_id,geo.place_type,matching_rules,__twarc.retrieved_at,"
    "__twarc.url,__twarc.version"
)
TWARC_CSV_HEADER = TWARC_CSV_COLUMNS.split(",")
EXPORT_HEADER = [
    "id", "platform", "external_id", "author_external_id", "author_handle", "text", "language",
    "language_confidence", "detected_language", "url", "conversation_id", "reply_to_external_id",
    "repost_of_external_id", "quote_of_external_id", "place", "country_code", "source",
    "created_at", "retrieved_at", "urls", "canonical_urls", "hashtags", "mentions", "like_count",
    "repost_count", "reply_count", "quote_count", "view_count", "collection_id",
]  # fmt: skip
CNT_HEADER = ["message_id", "user_id", "username", "repost_id", "reply_id", "message", "timestamp",
              "urls"]  # fmt: skip


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(name, "") for name in header])
    return path


def read(path: Path) -> list[Parsed]:
    fmt = get_format("csv")
    results = []
    for record in iter_records(path, "csv"):
        assert record.error is None, record.error
        results.append(fmt.parse(record.document))
    return results


def test_own_export_reads_back(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "export.csv",
        EXPORT_HEADER,
        [
            {
                "id": "17",
                "platform": "bluesky",
                "external_id": "at://did:plc:a/app.bsky.feed.post/1",
                "author_external_id": "did:plc:a",
                "author_handle": "a.bsky.social",
                "text": "Line one\nline two, with a comma",
                "language": "id",
                "detected_language": "ms",
                "created_at": "2025-05-05T01:30:17.912Z",
                "retrieved_at": "2025-05-06T00:00:00Z",
                "urls": "https://a.example/x https://b.example/y",
                "canonical_urls": "https://a.example/x",
                "hashtags": "Diplomasi $TSLA",
                "mentions": "b.bsky.social c.bsky.social",
                "like_count": "5",
                "repost_count": "0",
                "country_code": "id",
                "source": "file.jsonl:3",
            },
            {
                "platform": "mastodon",
                "external_id": "99",
                "text": "",  # a media-only post: empty text is real in an export
                "repost_of_external_id": "",
            },
        ],
    )
    assert detect_format(path) == "csv"
    first, media_only = read(path)
    [post] = first.posts
    assert post.platform == "bluesky"
    assert post.external_id == "at://did:plc:a/app.bsky.feed.post/1"  # not the database id 17
    assert post.text == "Line one\nline two, with a comma"
    assert post.language == "id"  # declared, not detected
    assert post.created_at == datetime(2025, 5, 5, 1, 30, 17, 912000, tzinfo=UTC)
    assert post.retrieved_at == datetime(2025, 5, 6, tzinfo=UTC)
    assert post.urls == ["https://a.example/x", "https://b.example/y"]
    assert post.hashtags == ["Diplomasi", "$TSLA"]
    assert post.mentions == ["b.bsky.social", "c.bsky.social"]
    assert post.metrics == {"like_count": 5, "repost_count": 0}
    assert post.country_code == "ID"
    assert post.raw["source"] == "file.jsonl:3"
    assert [(a.platform, a.external_id, a.handle) for a in first.actors] == [
        ("bluesky", "did:plc:a", "a.bsky.social")
    ]
    assert [(p.platform, p.text) for p in media_only.posts] == [("mastodon", "")]


def test_twarc_csv_output(tmp_path: Path) -> None:
    row = {
        "id": "1440716856763977732",
        "conversation_id": "1440716856763977732",
        "referenced_tweets.retweeted.id": "1440713161355583489",
        "author_id": "1234",
        "created_at": "2021-09-22T16:37:19.000Z",
        "text": r"The same text\non two lines",
        "lang": "en",
        "public_metrics.retweet_count": "3",
        "public_metrics.like_count": "0",
        "public_metrics.impression_count": "",
        "entities.hashtags": '["#BorisJohnson", "#Brexit"]',
        "entities.cashtags": '["$TSLA"]',
        "entities.mentions": '["@carolJhedges"]',
        "entities.urls": '["https://example.org/a?utm_source=twitter"]',
        "author.username": "jacquip537",
        "geo.country_code": "GB",
        "geo.full_name": "London, England",
        "__twarc.retrieved_at": "2021-09-22T16:38:09+00:00",
    }
    [parsed] = read(write_csv(tmp_path / "twarc.csv", TWARC_CSV_HEADER, [row]))
    [post] = parsed.posts
    assert post.platform == "x"  # the default when there is no platform column
    assert (post.external_id, post.author_external_id, post.author_handle) == (
        "1440716856763977732",
        "1234",
        "jacquip537",
    )
    assert post.text == "The same text\non two lines"  # twarc-csv escapes newlines
    assert post.repost_of_external_id == "1440713161355583489"
    assert post.hashtags == ["BorisJohnson", "Brexit", "$TSLA"]
    assert post.mentions == ["carolJhedges"]
    assert post.urls == ["https://example.org/a?utm_source=twitter"]
    assert post.metrics == {"like_count": 0, "repost_count": 3}
    assert (post.place, post.country_code) == ("London, England", "GB")
    assert post.retrieved_at == datetime(2021, 9, 22, 16, 38, 9, tzinfo=UTC)


def test_coordination_network_toolkit_input(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "cnt.csv",
        CNT_HEADER,
        [
            {
                "message_id": "m1",
                "user_id": "u1",
                "username": "alice",
                "message": "Read this",
                "timestamp": "1600000000",
                "urls": "https://a.example/1 https://b.example/2",
            },
            {
                "message_id": "m2",
                "user_id": "u2",
                "username": "bob",
                "repost_id": "m1",
                "message": "",
                "timestamp": "1600000060.5",
            },
            {
                "message_id": "m3",
                "user_id": "u3",
                "reply_id": "m1",
                "message": "No!",
                "timestamp": "1600000120",
            },
        ],
    )
    posts = [parsed.posts[0] for parsed in read(path)]
    assert [p.external_id for p in posts] == ["m1", "m2", "m3"]
    assert posts[0].created_at == datetime(2020, 9, 13, 12, 26, 40, tzinfo=UTC)
    assert posts[0].urls == ["https://a.example/1", "https://b.example/2"]
    assert (posts[1].repost_of_external_id, posts[1].text) == ("m1", "")  # a repost: text optional
    assert posts[1].created_at == datetime(2020, 9, 13, 12, 27, 40, 500000, tzinfo=UTC)
    assert posts[2].reply_to_external_id == "m1"
    assert posts[2].author_handle is None


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"id": "", "text": "x"}, "column 'id' (the post id) is empty"),
        ({"id": "1", "text": "  "}, "column 'text' (the post text) is empty"),
        ({"id": "1", "text": "x", "created_at": "soon"}, "column 'created_at' has 'soon'"),
        ({"id": "1", "text": "x", "platform": "myspace"}, "column 'platform' has 'myspace'"),
    ],
)
def test_rows_that_are_rejected(row: dict[str, str], reason: str) -> None:
    parsed = get_format("csv").parse(
        {"id": "", "text": "", "created_at": "", "platform": "", **row}
    )
    assert parsed.posts == []
    [rejected] = parsed.rejected
    assert rejected.reason.startswith(reason)
    assert rejected.payload["id"] == row["id"]


def test_missing_columns_are_named() -> None:
    [no_id] = get_format("csv").parse({"message": "hi", "username": "a"}).rejected
    assert no_id.reason.startswith("no id column: name one of 'external_id', 'id', 'message_id'")
    [no_text] = get_format("csv").parse({"id": "1", "username": "a"}).rejected
    assert no_text.reason.startswith("no text column: name one of 'text', 'message'")


def test_platform_names_and_unknown_columns() -> None:
    parsed = get_format("csv").parse(
        {"ID": "5", " Text ": "hello", "Platform": "Twitter", "favourite_colour": "blue"}
    )
    [post] = parsed.posts
    assert (post.platform, post.external_id, post.text) == ("x", "5", "hello")
    assert get_format("csv").sniff({"message_id": "1", "message": "x"})
    assert not get_format("csv").sniff({"foo": "1"})
    with pytest.raises(MalformedRecord):
        get_format("csv").parse(["not", "a", "row"])


def test_every_column_alias_is_documented(shared_docs: str) -> None:
    for field, aliases in COLUMNS.items():
        assert f"`{field}`" in shared_docs, field
        for alias in aliases:
            assert f"`{alias}`" in shared_docs, alias


@pytest.fixture
def shared_docs() -> str:
    return (Path(__file__).resolve().parents[2] / "docs" / "formats.md").read_text("utf-8")
