"""generate(): same seed, same bytes; the sizes, languages and platform shares asked for."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ediplomacy.demo import DemoSizeError, generate
from ediplomacy.demo.world import LANGUAGES
from tests.demo.conftest import SMALL, Written

FILES = ("x_v2.jsonl", "bluesky.jsonl", "mastodon.jsonl", "ground_truth.json")
SHARES = {"x-v2": 0.60, "bluesky": 0.25, "mastodon": 0.15}


def test_the_same_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    generate(tmp_path / "a", posts=1_500)
    generate(tmp_path / "b", posts=1_500)
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_another_seed_writes_another_week(tmp_path: Path) -> None:
    generate(tmp_path / "a", posts=1_500, seed=1)
    generate(tmp_path / "b", posts=1_500, seed=2)
    assert (tmp_path / "a" / "x_v2.jsonl").read_bytes() != (
        tmp_path / "b" / "x_v2.jsonl"
    ).read_bytes()


def test_a_second_run_replaces_the_files_and_leaves_no_partial_ones(tmp_path: Path) -> None:
    generate(tmp_path, posts=1_200)
    manifest = generate(tmp_path, posts=1_200)
    expected = [*FILES, "listen.toml", "fact_checks.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(expected)
    assert [f.path.name for f in manifest.files] == list(FILES)


def test_too_few_posts_is_refused_with_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(DemoSizeError, match="at least"):
        generate(tmp_path, posts=100)
    assert not any(tmp_path.iterdir())


def test_the_manifest_counts_what_the_files_hold(small_demo: Written) -> None:
    manifest = small_demo.manifest
    assert manifest.posts == SMALL
    by_file = {f.format: f.posts for f in manifest.files}
    assert by_file["x-v2"] == len(small_demo.tweets)
    assert by_file["bluesky"] == len(small_demo.bluesky_posts)
    assert by_file["mastodon"] == len(small_demo.statuses)
    assert sum(manifest.posts_by_platform.values()) == SMALL
    assert sum(manifest.posts_by_language.values()) == SMALL
    assert manifest.actors == small_demo.truth["scenario"]["actors"] == round(SMALL * 0.15)


def test_every_account_posts_at_least_once(small_demo: Written) -> None:
    actors = small_demo.actor_ids()
    authors = {
        "x": {t["author_id"] for t in small_demo.tweets},
        "bluesky": {p["author"]["did"] for p in small_demo.bluesky_posts},
        "mastodon": {s["account"]["url"] for s in small_demo.statuses},
    }
    assert sum(len(a) for a in authors.values()) == small_demo.manifest.actors
    assert authors["x"] == actors["x"]


def test_a_later_start_moves_the_whole_week(tmp_path: Path) -> None:
    start = datetime(2027, 3, 1)  # naive: taken as UTC
    generate(tmp_path, posts=1_200, start=start)
    truth = json.loads((tmp_path / "ground_truth.json").read_text())
    quake = datetime.fromisoformat(truth["timeline"]["earthquake"]["at"])
    assert quake == start.replace(tzinfo=UTC) + timedelta(days=2, hours=11, minutes=37, seconds=12)


def test_full_size_week(full_demo: Written) -> None:
    """About 20,000 posts from about 3,000 accounts, in seven languages, on three platforms."""
    manifest = full_demo.manifest
    assert manifest.posts == 20_000
    assert manifest.actors == 3_000
    assert set(manifest.posts_by_language) == set(LANGUAGES)
    for lang in LANGUAGES:
        assert manifest.posts_by_language[lang] >= 0.03 * manifest.posts, lang
    for platform, share in SHARES.items():
        assert manifest.posts_by_platform[platform] / manifest.posts == pytest.approx(
            share, abs=0.04
        )
    per_author = Counter(t["author_id"] for t in full_demo.tweets)
    busiest = per_author.most_common(30)
    assert busiest[0][1] > 20 * sorted(per_author.values())[len(per_author) // 2]  # heavy tail
