"""Mastodon parser over recorded mastodon.social and local-server payloads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from ediplomacy.domain.errors import MalformedRecord
from ediplomacy.ingest.formats import get_format
from ediplomacy.ingest.formats.mastodon_html import html_to_text

from .conftest import Sample

Read = Callable[[str, str], Sample]
DIR = "mastodon/mastodon-py/"


def test_status_with_mention_hashtag_and_gifv(read_sample: Read) -> None:
    sample = read_sample(DIR + "status_110446223051565765.json", "mastodon")
    assert (sample.errors, sample.rejected, sample.malformed) == ([], [], [])
    [post] = sample.posts
    assert post.external_id == "110446223051565765"
    assert post.text == (
        "@halcy you're a doo-doo head\n\n"
        "edit: editing this to have the maximum amount of fields filled :trans_heart: "
        "#ThisIsAHashtag"
    )
    assert post.author_external_id == "https://icosahedron.website/@halcy"  # the same everywhere
    assert post.author_handle == "halcy@icosahedron.website"
    assert post.language == "de"
    assert post.hashtags == ["thisisahashtag"]
    assert post.mentions == ["halcy@icosahedron.website"]
    assert post.urls == []  # the mention and hashtag links are not shared links
    assert [(m.kind, m.alt_text) for m in post.media] == [
        ("animated_gif", "a furry cube breakdancing")
    ]
    assert post.metrics == {"like_count": 1, "repost_count": 0, "reply_count": 0, "quote_count": 0}
    assert post.created_at == datetime(2023, 5, 28, 12, 6, 50, tzinfo=UTC)
    assert post.url == "https://icosahedron.website/@halcy/110446222386355655"
    assert post.raw["id"] == "110446223051565765"
    [actor] = sample.actors
    assert (actor.external_id, actor.handle) == (post.author_external_id, post.author_handle)
    assert actor.description is not None and "<p>" not in actor.description


def test_link_card_and_invisible_spans(read_sample: Read) -> None:
    [post] = read_sample(DIR + "status_110447098625216345.json", "mastodon").posts
    link = "https://soundcloud.com/wakarangirl/popstars-dj-wakaran-girl-khard-bass-flex-1"
    assert post.text == f"{link} link to soundcloud that should generate a card"
    assert post.urls == [link]  # the content link and the card URL are the same


def test_reply_to_own_account_and_to_a_mentioned_one(read_sample: Read) -> None:
    [image] = read_sample(DIR + "status_110447003454258227.json", "mastodon").posts
    assert image.reply_to_external_id == "110447001287656894"
    assert image.reply_to_author_external_id == "https://mastodon.social/@halcy"  # itself
    assert [(m.kind, m.alt_text) for m in image.media] == [("photo", "furry cube")]
    [reply] = read_sample(DIR + "localdev_status_reply.json", "mastodon").posts
    assert reply.text == "@mastodonpy_test_2 same!"
    assert reply.reply_to_external_id == "117020583245459824"
    assert reply.reply_to_author_external_id == "http://localhost:3000/@mastodonpy_test_2"
    assert reply.mentions == ["mastodonpy_test_2"]


def test_reblog_is_a_post_and_so_is_the_reblogged_status(read_sample: Read) -> None:
    sample = read_sample(DIR + "localdev_status_reblog.json", "mastodon")
    reblog, original = sample.posts
    assert (reblog.external_id, reblog.text) == ("117020586027094262", "")
    assert reblog.repost_of_external_id == "117020586019094258"
    assert (original.external_id, original.text, original.language) == (
        "117020586019094258",
        "Toot!",
        "en",
    )
    assert original.raw is sample.posts[0].raw["reblog"]


def test_quote_posts(read_sample: Read) -> None:
    quote, quoted = read_sample(DIR + "localdev_status_with_quote.json", "mastodon").posts
    assert quote.text == "yoooooooo"  # the "RE: <link>" fallback paragraph is dropped
    assert quote.quote_of_external_id == "117020582917124092"
    assert (quoted.external_id, quoted.text) == ("117020582917124092", "Toot!")
    bridged = read_sample(DIR + "status_115044073088181107.json", "mastodon")
    first = bridged.posts[0]
    assert first.quote_of_external_id == "115044070560414080"
    assert first.reply_to_external_id == "115044053131672379"
    assert (
        first.text == "actual reply that quotes a post that quotes a post bsky.app/profile/h4lc..."
    )
    assert first.urls == ["https://bsky.app/profile/h4lcy.bsky.social/post/3lwlumdwf522i"]
    assert bridged.posts[1].quote_of_external_id == "115044056977193502"  # a shallow quote


def test_context_search_and_notifications(read_sample: Read) -> None:
    context = read_sample(DIR + "status_110446983926957470_context.json", "mastodon")
    assert [(p.external_id, p.text) for p in context.posts] == [
        ("110446983178245440", "first status"),
        ("110446984249325790", "final status"),
    ]
    assert context.posts[1].reply_to_external_id == "110446983926957470"
    search = read_sample(DIR + "search_v2.json", "mastodon")
    assert [p.author_handle for p in search.posts] == [
        "greg@icosahedron.website",
        "Jo@social.sublingual.xyz",
    ]
    assert len(search.actors) == 20  # 18 accounts found and the 2 authors
    notifications = read_sample(DIR + "notifications_v1.json", "mastodon")
    assert [p.external_id for p in notifications.posts] == ["116275331587890092"]
    assert len(notifications.actors) == 3
    grouped = read_sample(DIR + "notifications_v2_grouped.json", "mastodon")
    assert [p.author_handle for p in grouped.posts] == ["latencyobs@icosahedron.website"]
    assert {a.handle for a in grouped.actors} >= {"halcy@hachyderm.io", "halcy@glitch.social"}


def test_streaming_events(read_sample: Read) -> None:
    sample = read_sample(DIR + "localdev_streaming_user_events.jsonl", "mastodon")
    assert (sample.errors, sample.rejected, sample.malformed) == ([], [], [])
    # 2 updates, 2 notifications with their status, 1 status.update; the delete yields nothing.
    assert len(sample.posts) == 5
    first = sample.posts[0]
    assert (first.external_id, first.text, first.language) == (
        "117024236332527350",
        "only real cars respond.",
        "ja",
    )
    edited = [p for p in sample.posts if p.external_id == "117024236332527350"]
    assert len(edited) == 2  # the update and its later edit (status.update)


@pytest.mark.parametrize(
    "name",
    [
        "status_110446183735368325_history.json",
        "status_110446223051565765_source.json",
        "instance_v2.json",
        "nodeinfo_2.0.json",
        "trends_tags.json",
        "trends_links.json",
        "relationships.json",
    ],
)
def test_other_entities_yield_no_posts(read_sample: Read, name: str) -> None:
    sample = read_sample(DIR + name, "mastodon")
    assert (sample.posts, sample.rejected, sample.malformed) == ([], [], [])


def test_account_entity(read_sample: Read) -> None:
    [actor] = read_sample(DIR + "account.json", "mastodon").actors
    assert actor.external_id.startswith("https://")
    assert actor.external_id == actor.url
    assert actor.handle


def test_html_to_text() -> None:
    text, links = html_to_text(
        '<p>Hello &amp; welcome<br>second line<br/>third</p><p><a href="https://a.example/x">'
        '<span class="invisible">https://</span>a.example/x</a> <a href="https://m.example/tags/t"'
        ' class="mention hashtag" rel="tag">#t</a></p>'
    )
    assert text == "Hello & welcome\nsecond line\nthird\n\nhttps://a.example/x #t"
    assert links == ["https://a.example/x"]
    assert html_to_text("plain") == ("plain", [])


def test_broken_status_in_a_list_is_rejected_alone() -> None:
    good = {"id": "1", "account": {"url": "https://m.example/@a", "acct": "a"}, "content": "x"}
    bad = {"id": "2", "account": {"url": "https://m.example/@a"}, "content": "y", "tags": 5}
    parsed = get_format("mastodon").parse([good, bad, None])
    assert [post.external_id for post in parsed.posts] == ["1"]
    assert len(parsed.rejected) == 2
    with pytest.raises(MalformedRecord):
        get_format("mastodon").parse("text")
    with pytest.raises(MalformedRecord):
        get_format("mastodon").parse({"event": "update", "payload": "{not json"})
