"""YouTube commentThreads against a local server: pageToken, quota errors, the key kept hidden."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.ingest.collectors.base import CollectorError, Limits
from tests.collectors.conftest import YOUTUBE_KEY
from tests.collectors.helpers import collect, post_ids
from tests.collectors.servers import PlatformServer, YouTubeApi


def test_comment_threads_page_and_resume(
    engine: Engine, settings: Settings, server: PlatformServer
) -> None:
    api = YouTubeApi(server, key=YOUTUBE_KEY)
    first = collect(engine, settings, "youtube", {"video": "F1UP7wRCPH8"}, Limits(max_pages=1))
    assert first.counts.new >= 5
    second = collect(engine, settings, "youtube", {"video": "F1UP7wRCPH8"})
    tokens = [r.arg("pageToken") for r in server.seen("/commentThreads")]
    # The newest page again (YouTube has no `since`), then on where the first run stopped.
    assert tokens == [None, None, api.pages[0]["nextPageToken"]]
    assert all(r.arg("key") is None for r in server.seen("/commentThreads"))  # header only
    assert second.stop_reason == "no more results"
    assert len(post_ids(engine, "youtube")) >= 5
    with engine.connect() as conn:
        sources = conn.execute(sa.text("SELECT source FROM posts")).scalars().all()
    assert all(YOUTUBE_KEY not in source for source in sources)


def test_quota_exceeded_stops_with_a_clear_message(
    engine: Engine, settings: Settings, server: PlatformServer
) -> None:
    api = YouTubeApi(server, key=YOUTUBE_KEY)
    api.quota_spent = True
    with pytest.raises(CollectorError, match="quota exceeded") as stopped:
        collect(engine, settings, "youtube", {"video": "F1UP7wRCPH8"})
    assert YOUTUBE_KEY not in str(stopped.value)
    with engine.connect() as conn:
        status = conn.execute(sa.text("SELECT status FROM collections")).scalar_one()
    assert status == "failed"
