"""Bluesky search and Jetstream against local servers speaking their protocols."""

from __future__ import annotations

import json
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.ingest.collectors.base import Limits, QuietProgress
from tests.collectors.conftest import BLUESKY_PASSWORD
from tests.collectors.helpers import collect, post_ids, rejects
from tests.collectors.servers import BlueskyApi, JetstreamServer, PlatformServer, Reply

SEARCH = "/xrpc/app.bsky.feed.searchPosts"


def test_search_pages_resumes_and_then_asks_only_for_newer(
    engine: Engine, settings: Settings, server: PlatformServer
) -> None:
    api = BlueskyApi(server, page_size=10)
    first = collect(engine, settings, "bluesky", {"query": "vaccine"}, Limits(max_pages=1))
    assert first.pages == 1 and first.counts.new >= 10
    assert first.stop_reason == "reached the limit of 1 pages"
    second = collect(engine, settings, "bluesky", {"query": "vaccine"})
    assert second.resumed
    cursors = [(r.arg("cursor"), r.arg("since")) for r in server.seen(SEARCH)]
    top = api.posts[0]["indexedAt"]
    # First what is newer than the first run's newest post, then where the first run stopped.
    assert cursors == [(None, None), (None, top), ("10", None), ("20", None)]
    assert second.stop_reason == "no more results"
    stored = set(post_ids(engine, "bluesky"))
    assert {post["uri"] for post in api.posts} <= stored
    assert second.counts.unchanged == 0  # nothing fetched twice
    # A finished sweep: the next run asks only for what is newer than the newest post seen.
    third = collect(engine, settings, "bluesky", {"query": "vaccine"})
    assert server.seen(SEARCH)[-1].arg("since") == api.posts[0]["indexedAt"]
    assert third.counts.read == 0
    newer = json.loads(json.dumps(api.posts[0]))
    newer["uri"] = newer["uri"][:-3] + "new"
    newer["indexedAt"] = "2030-01-01T00:00:00.000Z"
    api.posts.insert(0, newer)
    fourth = collect(engine, settings, "bluesky", {"query": "vaccine"})
    assert fourth.counts.new == 1 and fourth.counts.read == 1


def test_search_rate_limit_then_success_and_broken_item(
    engine: Engine, settings: Settings, server: PlatformServer
) -> None:
    api = BlueskyApi(server, page_size=30)
    api.posts.insert(3, "at://did:plc:cut/app.bsky.feed.post/3l")  # an item cut short
    server.queue(SEARCH, Reply.json({"error": "RateLimitExceeded"}, 429, **{"Retry-After": "1"}))
    progress = QuietProgress()
    report = collect(engine, settings, "bluesky", {"query": "q"}, progress=progress)
    assert progress.waits and progress.waits[0][0] == 1.0
    assert "too many requests" in progress.waits[0][1]
    assert len(server.seen(SEARCH)) == 2
    assert report.counts.rejected == 1
    [reject] = rejects(report)
    assert reject["where"].startswith(server.url + SEARCH) and "q=q" in reject["where"]
    assert reject["payload"] == "at://did:plc:cut/app.bsky.feed.post/3l"
    assert len(set(post_ids(engine, "bluesky"))) >= 25  # the rest kept


def test_sign_in_with_app_password(
    engine: Engine, settings: Settings, server: PlatformServer
) -> None:
    BlueskyApi(server, password=BLUESKY_PASSWORD)
    anonymous = settings.model_copy()
    with pytest.raises(Exception, match="EDIPLOMACY_BLUESKY_HANDLE") as refused:
        collect(engine, anonymous, "bluesky", {"query": "q"})
    assert "403" in str(refused.value)
    signed = settings.model_copy(
        update={"bluesky_handle": "desk.bsky.social", "bluesky_app_password": BLUESKY_PASSWORD}
    )
    signed.bluesky_app_password = type(settings.bluesky_app_password)(BLUESKY_PASSWORD)
    report = collect(engine, signed, "bluesky", {"query": "q"})
    assert report.counts.new >= 25
    with engine.connect() as conn:
        errors = conn.execute(sa.text("SELECT error FROM collections")).scalars().all()
    assert all(BLUESKY_PASSWORD not in (error or "") for error in errors)


def test_jetstream_stores_posts_and_resumes_from_time_us(
    engine: Engine, settings: Settings
) -> None:
    jetstream = JetstreamServer().start()
    try:
        config = settings.model_copy(update={"bluesky_jetstream_url": jetstream.url})
        progress = QuietProgress()
        first = collect(
            engine, config, "bluesky-stream", {}, Limits(max_seconds=1.5), progress=progress
        )
        expected = jetstream.post_events()
        assert first.counts.read == len(expected) > 0
        assert first.counts.rejected == 1  # the frame cut short, set aside
        assert "not JSON" in progress.rejects[0][1]
        assert jetstream.connections[0]["wantedCollections"] == ["app.bsky.feed.post"]
        assert len(post_ids(engine, "bluesky")) == len(expected)
        second = collect(engine, config, "bluesky-stream", {}, Limits(max_seconds=1.0))
        last = max(event["time_us"] for event in expected)
        assert jetstream.connections[1]["cursor"] == [str(last)]
        assert second.counts.read == 0  # the replayed event at the cursor is not stored again
    finally:
        jetstream.close()


def test_jetstream_keyword_filter(engine: Engine, settings: Settings) -> None:
    jetstream = JetstreamServer(broken_frame=False).start()
    try:
        config = settings.model_copy(update={"bluesky_jetstream_url": jetstream.url})
        texts = [e["commit"]["record"].get("text", "") for e in jetstream.post_events()]
        word = next(w for text in texts for w in text.split() if len(w) > 4 and w.isalpha())
        matching = [text for text in texts if word.casefold() in text.casefold()]
        report = collect(
            engine, config, "bluesky-stream", {"keywords": [word]}, Limits(max_seconds=1.0)
        )
        assert report.counts.read == len(matching) < len(texts)
    finally:
        jetstream.close()


def test_jetstream_keeps_the_events_received_before_the_connection_closed(
    engine: Engine, settings: Settings
) -> None:
    # The first connection closes half-way, well inside one page's second: the events already
    # received are stored, and the reconnection (cursor = the last of them) does not skip any.
    jetstream = JetstreamServer(broken_frame=False, close_after=10).start()
    try:
        config = settings.model_copy(update={"bluesky_jetstream_url": jetstream.url})
        progress = QuietProgress()
        report = collect(
            engine, config, "bluesky-stream", {}, Limits(max_seconds=2.0), progress=progress
        )
        assert "Jetstream closed the connection; reconnecting" in progress.notices
        assert len(jetstream.connections) >= 2
        expected = jetstream.post_events()
        assert len(post_ids(engine, "bluesky")) == len(expected)
        assert report.counts.read == len(expected)
    finally:
        jetstream.close()


def test_every_run_starts_with_new_posts_then_goes_on_with_the_backfill(
    engine: Engine, settings: Settings, server: PlatformServer
) -> None:
    # A busy query: each run stops at its limit long before the backfill is done. New posts must
    # still be collected by the next run, not only once the backfill reaches its end.
    api = BlueskyApi(server, page_size=5)
    collect(engine, settings, "bluesky", {"query": "q"}, Limits(max_pages=1))
    newer = json.loads(json.dumps(api.posts[0]))
    newer["uri"] = newer["uri"][:-3] + "new"
    newer["indexedAt"] = "2030-01-01T00:00:00.000Z"
    api.posts.insert(0, newer)
    collect(engine, settings, "bluesky", {"query": "q"}, Limits(max_pages=2))
    assert newer["uri"] in post_ids(engine, "bluesky")
    # The second page of that run went on with the backfill where the first run stopped.
    assert server.seen(SEARCH)[-1].arg("cursor") == "5"
    rest = collect(engine, settings, "bluesky", {"query": "q"})
    assert rest.stop_reason == "no more results"
    assert {post["uri"] for post in api.posts if isinstance(post, dict)} <= set(
        post_ids(engine, "bluesky")
    )
    assert rest.counts.unchanged == 0  # no page read twice
    with engine.connect() as conn:
        state = conn.execute(
            sa.text("SELECT state FROM collector_cursors WHERE source = 'bluesky'")
        ).scalar_one()
    saved = json.loads(state)
    assert saved["gaps"] == [] and saved["newest"] == newer["indexedAt"]


class _FrozenAfterReject(QuietProgress):
    """Progress that stops the run right after a reject is written, before the page commits."""

    def __init__(self) -> None:
        super().__init__()
        self.frozen = threading.Event()
        self.release = threading.Event()

    def reject(self, where: str, reason: str) -> None:
        self.frozen.set()
        self.release.wait(30)
        raise SystemExit("killed before the page's transaction")


def _reject_lines(settings: Settings) -> list[dict[str, object]]:
    lines = []
    for path in sorted((settings.data_dir / "rejects").glob("*.jsonl")):
        lines += [json.loads(line) for line in path.read_bytes().splitlines()]
    return lines


def test_a_reject_is_kept_once_when_a_run_dies_before_its_page_commits(
    engine: Engine, settings: Settings, server: PlatformServer
) -> None:
    api = BlueskyApi(server, page_size=30)
    api.posts.insert(0, "at://did:plc:cut/app.bsky.feed.post/3l")  # an item cut short
    # A run frozen between writing its reject and committing the page, as kill -9 leaves it.
    progress = _FrozenAfterReject()

    def dying_run() -> None:
        with pytest.raises(SystemExit):
            collect(engine, settings, "bluesky", {"query": "q"}, progress=progress)

    first = threading.Thread(target=dying_run, daemon=True)
    first.start()
    try:
        assert progress.frozen.wait(20)
        assert len(_reject_lines(settings)) == 1  # written before the commit: never lost
        rerun = collect(engine, settings, "bluesky", {"query": "q"})
        assert rerun.counts.rejected == 1 and len(rejects(rerun)) == 1
        assert [line["payload"] for line in _reject_lines(settings)] == [api.posts[0]]
    finally:
        progress.release.set()
        first.join(20)
    assert len(_reject_lines(settings)) == 1  # the dead run's own cleanup keeps it so
