"""`ediplomacy collect` as a user runs it, against local servers: output, resume, kill -9."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.collectors.conftest import SECRETS, X_TOKEN, YOUTUBE_KEY
from tests.collectors.servers import BlueskyApi, PlatformServer, Reply, XApi, YouTubeApi

SEARCH = "/xrpc/app.bsky.feed.searchPosts"


def environment(data: Path, server: PlatformServer, **extra: str) -> dict[str, str]:
    env = {**os.environ, "EDIPLOMACY_DATA_DIR": str(data), "COLUMNS": "200"}
    env.pop("EDIPLOMACY_DATABASE_URL", None)
    for name in ("X_API_URL", "BLUESKY_API_URL", "MASTODON_URL", "YOUTUBE_API_URL"):
        env[f"EDIPLOMACY_{name}"] = server.url
    env.update({f"EDIPLOMACY_{name}": value for name, value in extra.items()})
    return env


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ediplomacy", *args], env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip


def count(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(db) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def test_collect_prints_progress_resumes_and_hints(tmp_path: Path, server: PlatformServer) -> None:
    BlueskyApi(server, page_size=10)
    env = environment(tmp_path / "data", server)
    first = cli(env, "collect", "bluesky", "--query", "vaccine", "--pages", "1")
    assert first.returncode == 0, first.stderr
    assert "page 1: " in first.stderr and "new" in first.stderr
    assert "stopped: reached the limit of 1 pages" in first.stderr
    assert "ediplomacy analyze" in first.stderr
    second = cli(env, "collect", "bluesky", "--query", "vaccine")
    assert second.returncode == 0, second.stderr
    assert "continued from the saved cursor" in second.stderr
    assert [r.arg("cursor") for r in server.seen(SEARCH)] == [None, None, "10", "20"]
    cursors = cli(env, "collect", "cursors")
    assert cursors.stdout.startswith("bluesky\tvaccine\t")


def test_missing_credentials_is_one_line_naming_the_variable(
    tmp_path: Path, server: PlatformServer
) -> None:
    env = environment(tmp_path / "data", server)
    for args, variable in (
        (("x", "--query", "q"), "EDIPLOMACY_X_BEARER_TOKEN"),
        (("youtube", "--video", "abc"), "EDIPLOMACY_YOUTUBE_API_KEY"),
        (("mastodon-stream", "--hashtag", "q"), "EDIPLOMACY_MASTODON_ACCESS_TOKEN"),
    ):
        done = cli(env, "collect", *args)
        assert done.returncode == 1
        assert done.stderr.strip().count("\n") == 0, done.stderr
        assert variable in done.stderr and "Traceback" not in done.stderr


def test_secrets_never_appear_in_output_rejects_or_database(
    tmp_path: Path, server: PlatformServer
) -> None:
    XApi(server, token="the-server-wants-another-token")
    youtube = YouTubeApi(server, key=YOUTUBE_KEY)
    data = tmp_path / "data"
    env = environment(data, server, X_BEARER_TOKEN=X_TOKEN, YOUTUBE_API_KEY=YOUTUBE_KEY)
    refused = cli(env, "collect", "x", "--query", "q")
    assert refused.returncode == 1 and "401" in refused.stderr
    server.queue(
        "/commentThreads", Reply.json({"error": {"code": 429}}, 429, **{"Retry-After": "1"})
    )
    collected = cli(env, "collect", "youtube", "--video", "F1UP7wRCPH8")
    assert collected.returncode == 0, collected.stderr
    assert "waiting 1 s" in collected.stderr and "too many requests" in collected.stderr
    youtube.quota_spent = True
    spent = cli(env, "collect", "youtube", "--video", "other")
    assert spent.returncode == 1 and "quota exceeded" in spent.stderr
    written = [refused.stdout, refused.stderr, collected.stdout, collected.stderr, spent.stderr]
    written += [
        path.read_bytes().decode("utf-8", "replace") for path in data.rglob("*") if path.is_file()
    ]
    for secret in SECRETS:
        assert all(secret not in text for text in written), secret


def test_kill_9_mid_collection_then_rerun_loses_and_duplicates_nothing(
    tmp_path: Path, server: PlatformServer
) -> None:
    api = BlueskyApi(server, page_size=1, delay=0.25)
    data = tmp_path / "data"
    env = environment(data, server)
    child = subprocess.Popen(
        [sys.executable, "-m", "ediplomacy", "collect", "bluesky", "--query", "vaccine"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    db = data / "ediplomacy.db"
    deadline = time.monotonic() + 60
    while count(db, "SELECT count(*) FROM posts") < 4:
        assert child.poll() is None, "the collection finished before it could be killed"
        assert time.monotonic() < deadline, "the collection never got going"
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    saved = count(db, "SELECT CAST(cursor AS INTEGER) FROM collector_cursors")
    assert 0 < saved < len(api.posts)
    before = len(server.requests)
    done = cli(env, "collect", "bluesky", "--query", "vaccine")
    assert done.returncode == 0, done.stderr
    assert server.requests[before].arg("since") is not None  # first what is new, then
    assert server.requests[before + 1].arg("cursor") == str(saved)  # continued, nothing re-read
    assert " 0 unchanged" in done.stderr.split("collected")[-1]
    uris = {post["uri"] for post in api.posts}
    with sqlite3.connect(db) as conn:
        stored = [row[0] for row in conn.execute("SELECT external_id FROM posts")]
        statuses = [row[0] for row in conn.execute("SELECT status FROM collections ORDER BY id")]
    assert uris <= set(stored) and len(stored) == len(set(stored))
    assert statuses == ["interrupted", "done"]


def test_scheduled_once(tmp_path: Path, server: PlatformServer) -> None:
    BlueskyApi(server)
    schedule = tmp_path / "collectors.toml"
    schedule.write_text('[[collector]]\nsource = "bluesky"\nquery = "vaccine"\nevery = "1h"\n')
    env = environment(tmp_path / "data", server, COLLECTORS_FILE=str(schedule))
    first = cli(env, "collect", "scheduled", "--once")
    assert first.returncode == 0, first.stderr
    assert "bluesky-1" in first.stderr and "collected Bluesky search" in first.stderr
    again = cli(env, "collect", "scheduled", "--once")
    assert again.returncode == 0 and "collected" not in again.stderr
