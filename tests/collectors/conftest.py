"""Fixtures for the collector tests: a local platform server and settings pointing at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ediplomacy.config import Settings
from tests.collectors.servers import PlatformServer

X_TOKEN = "x-bearer-SECRET-0123456789"
YOUTUBE_KEY = "AIza-youtube-SECRET-key"
MASTODON_TOKEN = "mastodon-SECRET-token"
BLUESKY_PASSWORD = "abcd-efgh-SECRET-ijkl"
SECRETS = (X_TOKEN, YOUTUBE_KEY, MASTODON_TOKEN, BLUESKY_PASSWORD)


@pytest.fixture
def server() -> Iterator[PlatformServer]:
    running = PlatformServer().start()
    yield running
    running.close()


@pytest.fixture
def settings(tmp_path: Path, server: PlatformServer) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        x_api_url=server.url,
        x_bearer_token=X_TOKEN,  # type: ignore[arg-type]
        bluesky_api_url=server.url,
        mastodon_url=server.url,
        mastodon_access_token=MASTODON_TOKEN,  # type: ignore[arg-type]
        youtube_api_url=server.url,
        youtube_api_key=YOUTUBE_KEY,  # type: ignore[arg-type]
    )
