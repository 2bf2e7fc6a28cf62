"""X API v2 recent search and filtered stream against a local server speaking v2."""

from __future__ import annotations

import time

import orjson
import pytest
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.ingest.collectors.base import CollectorError, Limits, QuietProgress
from ediplomacy.store import cursors as cursor_store
from tests.collectors.conftest import X_TOKEN
from tests.collectors.helpers import collect, post_ids, rejects
from tests.collectors.servers import PlatformServer, Reply, XApi

SEARCH = "/2/tweets/search/recent"


def test_recent_search_pages_with_next_token_then_since_id(
    engine: Engine, settings: Settings, server: PlatformServer
) -> None:
    api = XApi(server, token=X_TOKEN)
    first = collect(engine, settings, "x", {"query": "brexit"}, Limits(max_pages=2))
    collect(engine, settings, "x", {"query": "brexit"})
    tokens = [r.arg("next_token") for r in server.seen(SEARCH)]
    assert tokens == [None, "page-10", None, "page-20"]  # what is new first, then the rest
    assert server.seen(SEARCH)[2].arg("since_id") == api.tweets[0]["id"]
    assert first.counts.read >= 20  # the 20 tweets and those they quote or reply to
    stored = set(post_ids(engine, "x"))
    assert {tweet["id"] for tweet in api.tweets} <= stored
    third = collect(engine, settings, "x", {"query": "brexit"})
    assert server.seen(SEARCH)[-1].arg("since_id") == api.tweets[0]["id"]
    assert third.counts.read == 0
    request = server.seen(SEARCH)[0]
    assert "author_id" in (request.arg("expansions") or "")
    assert request.headers["authorization"] == f"Bearer {X_TOKEN}"


def test_rate_limit_reset_header_is_waited_out(
    engine: Engine, settings: Settings, server: PlatformServer
) -> None:
    XApi(server, token=X_TOKEN, page_size=100)
    reset = str(int(time.time()) + 2)
    server.queue(
        SEARCH,
        Reply.json(
            {"title": "Too Many Requests", "status": 429},
            429,
            **{"x-rate-limit-remaining": "0", "x-rate-limit-reset": reset},
        ),
    )
    progress = QuietProgress()
    started = time.monotonic()
    report = collect(engine, settings, "x", {"query": "brexit"}, progress=progress)
    assert time.monotonic() - started >= 1.0
    assert 0 < progress.waits[0][0] <= 2.0
    assert report.counts.new >= 30


def test_bad_token_is_refused_without_showing_it(
    engine: Engine, settings: Settings, server: PlatformServer
) -> None:
    XApi(server, token="another-token")
    with pytest.raises(CollectorError) as refused:
        collect(engine, settings, "x", {"query": "q"})
    message = str(refused.value)
    assert "401" in message and "EDIPLOMACY_X_BEARER_TOKEN" in message
    assert X_TOKEN not in message


def test_filtered_stream_adds_rules_reads_ndjson_and_sets_aside_a_cut_line(
    engine: Engine, settings: Settings, server: PlatformServer
) -> None:
    api = XApi(server, token=X_TOKEN)
    progress = QuietProgress()
    report = collect(engine, settings, "x-stream", {"rules": ["covid lang:en"]},
                     Limits(max_seconds=1.5), progress=progress)  # fmt: skip
    assert [rule["value"] for rule in api.rules] == ["covid lang:en"]
    assert "rule added: covid lang:en" in progress.notices
    tweets = [line for line in api.stream_lines if line.strip()]
    assert report.counts.rejected == 1  # the last line is cut short
    [reject] = rejects(report)
    assert reject["where"].endswith(f"(line {len(tweets)})")
    assert len(post_ids(engine, "x")) >= len(tweets) - 1


def test_filtered_stream_without_rules_says_how_to_add_one(
    engine: Engine, settings: Settings, server: PlatformServer
) -> None:
    XApi(server, token=X_TOKEN)
    with pytest.raises(CollectorError, match="--rule"):
        collect(engine, settings, "x-stream", {}, Limits(max_seconds=1))


def test_filtered_stream_keeps_the_tweets_read_before_it_broke_off(
    engine: Engine, settings: Settings, server: PlatformServer
) -> None:
    api = XApi(server, token=X_TOKEN, cut_first_stream=True)
    progress = QuietProgress()
    collect(engine, settings, "x-stream", {"rules": ["covid"]}, Limits(max_seconds=2.5),
            progress=progress)  # fmt: skip
    assert "the X stream broke off; reconnecting" in progress.notices
    assert api.streams >= 2
    sent = [orjson.loads(line)["data"]["id"] for line in api.stream_lines[:-1] if line.strip()]
    assert set(sent) <= set(post_ids(engine, "x"))


def test_a_long_query_is_saved_under_a_key_that_fits(
    engine: Engine, settings: Settings, server: PlatformServer
) -> None:
    # X allows 1024-character queries; collector_cursors.key holds 500 (PostgreSQL refuses more).
    XApi(server, token=X_TOKEN, page_size=10)
    words = " OR ".join(f"word{n:04d}" for n in range(120))
    query, other = f"({words}) lang:en", f"({words}) lang:id"
    assert len(query) > 1000
    collect(engine, settings, "x", {"query": query}, Limits(max_pages=1))
    collect(engine, settings, "x", {"query": other}, Limits(max_pages=1))
    with engine.connect() as conn:
        saved = cursor_store.list_cursors(conn)
        assert len(saved) == 2 and all(len(row.key) <= 500 for row in saved)
        found = cursor_store.load_cursor(conn, "x", query)
    assert found is not None and found.state["gaps"]  # the first run's position, found again
    again = collect(engine, settings, "x", {"query": query})
    assert again.resumed
    assert server.seen(SEARCH)[-1].arg("query") == query  # the whole query is still sent
