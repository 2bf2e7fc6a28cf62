"""The schedule file: checked on load, due entries run once, the serve thread starts and stops."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.domain.errors import ConfigurationError
from ediplomacy.ingest.collectors.schedule import Scheduler, load_schedule, run_due
from tests.collectors.conftest import X_TOKEN
from tests.collectors.servers import BlueskyApi, PlatformServer, XApi

SCHEDULE = """
[[collector]]
name = "bluesky-vaccine"
source = "bluesky"
query = "vaccine"
every = "15m"
max = 100

[[collector]]
source = "x"
query = "brexit"
every = "1h"
"""


def test_bad_files_are_refused_with_where(tmp_path: Path) -> None:
    path = tmp_path / "collectors.toml"
    cases = {
        '[[collector]]\nsource = "myspace"\nevery = "1m"\n': "use one of",
        '[[collector]]\nsource = "x"\nquery = "q"\nevery = "often"\n': 'like "15m"',
        '[[collector]]\nsource = "x"\nquerry = "q"\nevery = "1m"\n': "not querry",
        '[[collector]]\nsource = "bluesky-stream"\nevery = "1m"\n': "seconds = N",
        "[[collector]\n": "not valid TOML",
    }
    for text, expected in cases.items():
        path.write_text(text)
        with pytest.raises(ConfigurationError, match=expected) as refused:
            load_schedule(path)
        assert str(path) in str(refused.value)


def test_due_collectors_run_once_then_wait_their_interval(
    engine: Engine, settings: Settings, server: PlatformServer, tmp_path: Path
) -> None:
    BlueskyApi(server)
    XApi(server, token=X_TOKEN)
    path = tmp_path / "collectors.toml"
    path.write_text(SCHEDULE)
    schedule = load_schedule(path)
    assert [entry.name for entry in schedule] == ["bluesky-vaccine", "x-2"]
    assert schedule[0].limits.max_items == 100 and schedule[1].every_s == 3600
    results = run_due(engine, settings, schedule)
    assert [(r.name, r.error) for r in results] == [("bluesky-vaccine", None), ("x-2", None)]
    assert all(r.report is not None and r.report.counts.new > 0 for r in results)
    assert run_due(engine, settings, schedule) == []  # nothing due yet


def test_a_failing_entry_does_not_stop_the_others(
    engine: Engine, settings: Settings, server: PlatformServer, tmp_path: Path
) -> None:
    BlueskyApi(server)
    path = tmp_path / "collectors.toml"
    path.write_text(SCHEDULE)
    config = settings.model_copy(update={"x_bearer_token": type(settings.x_bearer_token)("")})
    results = run_due(engine, config, load_schedule(path))
    assert results[0].error is None
    assert results[1].error is not None and "EDIPLOMACY_X_BEARER_TOKEN" in results[1].error


def test_scheduler_thread_collects_and_stops(
    engine: Engine, settings: Settings, server: PlatformServer, tmp_path: Path
) -> None:
    api = BlueskyApi(server)
    path = tmp_path / "collectors.toml"
    path.write_text(SCHEDULE.split("[[collector]]\nsource")[0])
    scheduler = Scheduler(engine, settings, path, tick_s=0.2)
    scheduler.start()
    try:
        for _ in range(100):
            if len(server.seen("/xrpc/app.bsky.feed.searchPosts")) >= 3:
                break
            scheduler.stop.wait(0.1)
    finally:
        scheduler.close()
    assert not scheduler.thread.is_alive()
    assert len(server.seen("/xrpc/app.bsky.feed.searchPosts")) == 3  # one sweep, then not due
    assert api.posts
