"""A small demo scenario generated once for the module's tests, and its files read back."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ediplomacy.demo import DemoManifest, generate

SMALL = 2_500


@dataclass
class Written:
    """What one generate() call wrote, indexed for the tests."""

    manifest: DemoManifest
    x_pages: list[dict[str, Any]] = field(default_factory=list)
    bluesky_pages: list[dict[str, Any]] = field(default_factory=list)
    mastodon_pages: list[list[dict[str, Any]]] = field(default_factory=list)
    truth: dict[str, Any] = field(default_factory=dict)

    @property
    def tweets(self) -> list[dict[str, Any]]:
        return [tweet for page in self.x_pages for tweet in page["data"]]

    @property
    def bluesky_posts(self) -> list[dict[str, Any]]:
        return [post for page in self.bluesky_pages for post in page["posts"]]

    @property
    def statuses(self) -> list[dict[str, Any]]:
        return [status for page in self.mastodon_pages for status in page]

    def post_ids(self) -> dict[str, set[str]]:
        """The external ids an importer gives the posts, by platform."""
        return {
            "x": {t["id"] for t in self.tweets},
            "bluesky": {p["uri"] for p in self.bluesky_posts},
            "mastodon": {s["id"] for s in self.statuses},
        }

    def actor_ids(self) -> dict[str, set[str]]:
        users = {u["id"] for page in self.x_pages for u in page["includes"]["users"]}
        return {
            "x": users,
            "bluesky": {p["author"]["did"] for p in self.bluesky_posts},
            "mastodon": {s["account"]["url"] for s in self.statuses},
        }


def read(out_dir: Path, manifest: DemoManifest) -> Written:
    written = Written(manifest)
    for line in (out_dir / "x_v2.jsonl").read_text(encoding="utf-8").splitlines():
        written.x_pages.append(json.loads(line))
    for line in (out_dir / "bluesky.jsonl").read_text(encoding="utf-8").splitlines():
        written.bluesky_pages.append(json.loads(line))
    for line in (out_dir / "mastodon.jsonl").read_text(encoding="utf-8").splitlines():
        written.mastodon_pages.append(json.loads(line))
    written.truth = json.loads((out_dir / "ground_truth.json").read_text(encoding="utf-8"))
    return written


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> Written:
    out_dir = tmp_path_factory.mktemp("demo-small")
    return read(out_dir, generate(out_dir, posts=SMALL))


@pytest.fixture(scope="session")
def full_demo(tmp_path_factory: pytest.TempPathFactory) -> Written:
    out_dir = tmp_path_factory.mktemp("demo-full")
    return read(out_dir, generate(out_dir))
