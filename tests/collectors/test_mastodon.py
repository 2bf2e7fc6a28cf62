"""Mastodon timelines (Link headers, max_id/since_id) and streaming (SSE) against a local server."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.ingest.collectors.base import (
    CollectorError,
    Limits,
    MissingCredentials,
    QuietProgress,
)
from tests.collectors.helpers import collect, post_ids, rejects
from tests.collectors.servers import MastodonApi, PlatformServer, Reply

TAG = "/api/v1/timelines/tag/diplomacy"


def test_hashtag_timeline_follows_link_next_and_resumes_with_since_id(
    engine: Engine, settings: Settings, server: PlatformServer
) -> None:
    api = MastodonApi(server, page_size=4)
    collect(engine, settings, "mastodon", {"hashtag": "#diplomacy"}, Limits(max_pages=2))
    assert {s["id"] for s in api.statuses[:8]} <= set(post_ids(engine, "mastodon"))
    second = collect(engine, settings, "mastodon", {"hashtag": "diplomacy"})
    asked = [(r.arg("max_id"), r.arg("since_id")) for r in server.seen(TAG)]
    first, fourth, eighth = (api.statuses[n]["id"] for n in (0, 3, 7))
    # The second run first asks for what is newer, then continues where the first one stopped.
    assert asked[:4] == [(None, None), (fourth, None), (None, first), (eighth, None)]
    assert second.counts.new >= 2 and second.counts.unchanged == 0
    assert {s["id"] for s in api.statuses} <= set(post_ids(engine, "mastodon"))
    third = collect(engine, settings, "mastodon", {"hashtag": "diplomacy"})
    assert server.seen(TAG)[-1].arg("since_id") == api.statuses[0]["id"]
    assert third.counts.read == 0


def test_public_local_timeline_and_server_error_backoff(
    engine: Engine, settings: Settings, server: PlatformServer
) -> None:
    MastodonApi(server, page_size=40)
    server.queue("/api/v1/timelines/public", Reply(503, {}, b"busy"))
    progress = QuietProgress()
    report = collect(
        engine, settings, "mastodon", {"public": True, "local": True}, progress=progress
    )
    assert report.counts.new >= 10
    assert [r.arg("local") for r in server.seen("/api/v1/timelines/public")] == ["true"] * 2
    assert "answered 503" in progress.waits[0][1]


def test_stream_reads_server_sent_events(
    engine: Engine, settings: Settings, server: PlatformServer
) -> None:
    api = MastodonApi(server, token=settings.mastodon_access_token.get_secret_value())
    report = collect(engine, settings, "mastodon-stream", {"hashtag": "diplomacy"},
                     Limits(max_seconds=1.5))  # fmt: skip
    assert server.seen("/api/v1/streaming/hashtag")[0].arg("tag") == "diplomacy"
    assert {s["id"] for s in api.statuses} <= set(post_ids(engine, "mastodon"))
    assert report.counts.rejected == 1  # the update whose data is not JSON
    [reject] = rejects(report)
    assert "/api/v1/streaming/hashtag?tag=diplomacy" in reject["where"]


def test_stream_without_token_names_the_variable(settings: Settings, engine: Engine) -> None:
    config = settings.model_copy(update={"mastodon_access_token": type(
        settings.mastodon_access_token)("")})  # fmt: skip
    with pytest.raises(MissingCredentials, match="EDIPLOMACY_MASTODON_ACCESS_TOKEN"):
        collect(engine, config, "mastodon-stream", {"hashtag": "x"})


def test_stream_keeps_the_statuses_read_before_it_broke_off(
    engine: Engine, settings: Settings, server: PlatformServer
) -> None:
    # The first stream sends every status then drops the connection; the next one sends none,
    # so a status is stored only if the batch read before the break is kept.
    api = MastodonApi(server, token=settings.mastodon_access_token.get_secret_value(),
                      cut_first_stream=True)  # fmt: skip
    progress = QuietProgress()
    collect(engine, settings, "mastodon-stream", {"hashtag": "diplomacy"},
            Limits(max_seconds=2.5), progress=progress)  # fmt: skip
    assert "the Mastodon stream broke off; reconnecting" in progress.notices
    assert api.streams >= 2
    assert {s["id"] for s in api.statuses} <= set(post_ids(engine, "mastodon"))


def test_stream_of_the_public_and_local_timelines(
    engine: Engine, settings: Settings, server: PlatformServer
) -> None:
    api = MastodonApi(server, token=settings.mastodon_access_token.get_secret_value())
    collect(engine, settings, "mastodon-stream", {"public": True}, Limits(max_seconds=1.2))
    collect(engine, settings, "mastodon-stream", {"public": True, "local": True},
            Limits(max_seconds=1.2))  # fmt: skip
    assert [r.path for r in server.seen("/api/v1/streaming/")] == [
        "/api/v1/streaming/public", "/api/v1/streaming/public/local",
    ]  # fmt: skip
    assert {s["id"] for s in api.statuses} <= set(post_ids(engine, "mastodon"))
    with pytest.raises(CollectorError, match="--hashtag TAG or --public"):
        collect(engine, settings, "mastodon-stream", {"hashtag": "x", "public": True})
