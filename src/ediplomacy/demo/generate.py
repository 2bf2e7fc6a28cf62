"""The entry point: a week of fictional diplomacy traffic, in three platforms' wire formats."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from random import Random

from ediplomacy.demo.cast import CastBuilder
from ediplomacy.demo.factchecks import write_fact_checks
from ediplomacy.demo.ids import IdMaker
from ediplomacy.demo.profile import PROFILE_FILE, demo_profile_toml
from ediplomacy.demo.script import ACTORS_PER_POST, FULL_SIZE, MIN_POSTS, write_story
from ediplomacy.demo.timeline import HOUR, Timeline
from ediplomacy.demo.truth import ground_truth
from ediplomacy.demo.writers_bluesky import BlueskyWriter
from ediplomacy.demo.writers_mastodon import MastodonWriter
from ediplomacy.demo.writers_x import XWriter
from ediplomacy.domain.errors import EdiplomacyError

DEFAULT_SEED = 20261125
DEFAULT_START = datetime(2026, 11, 16, tzinfo=UTC)  # a Monday
X_QUERY = '"Sagara Jaya" OR KemluSJ_demo OR #GempaQadira OR #QadiraEarthquake OR Qadira'

X_FILE = "x_v2.jsonl"
BLUESKY_FILE = "bluesky.jsonl"
MASTODON_FILE = "mastodon.jsonl"
TRUTH_FILE = "ground_truth.json"
FACT_CHECKS_FILE = "fact_checks.csv"


class DemoSizeError(EdiplomacyError, ValueError):
    """The demo was asked for too few posts to tell its story."""


@dataclass(frozen=True, slots=True)
class DemoFile:
    """One file the generator wrote."""

    path: Path
    format: str  # x-v2 | bluesky | mastodon | ground-truth
    posts: int  # posts in the file (for the ground truth: posts it describes)


@dataclass(frozen=True, slots=True)
class DemoManifest:
    """What `generate` wrote, and the totals of the scenario."""

    out_dir: Path
    seed: int
    start: datetime
    files: tuple[DemoFile, ...]
    posts: int
    actors: int
    posts_by_platform: dict[str, int] = field(default_factory=dict)
    posts_by_language: dict[str, int] = field(default_factory=dict)
    profile: Path | None = None  # the scenario's listening profile (listen.toml)
    fact_checks: Path | None = None  # the ministry's fact-check base (fact_checks.csv)


def generate(
    out_dir: Path,
    *,
    seed: int = DEFAULT_SEED,
    posts: int = FULL_SIZE,
    start: datetime | None = None,
) -> DemoManifest:
    """Writes the demo week into `out_dir`; the same seed, size and start give the same bytes."""
    if posts < MIN_POSTS:
        raise DemoSizeError(f"the demo needs at least {MIN_POSTS} posts; ask for more than {posts}")
    start = start or DEFAULT_START
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    rng = Random(seed)
    ids = IdMaker(rng)
    timeline = Timeline(start.timestamp())
    cast = CastBuilder(rng, ids).build(round(posts * ACTORS_PER_POST), posts / FULL_SIZE)
    story = write_story(cast, timeline, rng, ids, posts)

    retrieved_at = timeline.end + 3 * HOUR
    files = []
    for name, kind, writer in (
        (X_FILE, "x-v2", XWriter(cast.actors, X_QUERY, timeline.start, timeline.end, retrieved_at)),
        (BLUESKY_FILE, "bluesky", BlueskyWriter(cast.actors)),
        (MASTODON_FILE, "mastodon", MastodonWriter(cast.actors, timeline.end)),
    ):
        path = out_dir / name
        partial = path.with_name(name + ".part")
        count = writer.write(partial, story.posts)
        os.replace(partial, path)  # a killed run leaves no half-written file under the real name
        files.append(DemoFile(path, kind, count))

    truth = ground_truth(story, seed)
    truth_path = out_dir / TRUTH_FILE
    partial = truth_path.with_name(TRUTH_FILE + ".part")
    partial.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(partial, truth_path)
    files.append(DemoFile(truth_path, "ground-truth", len(story.posts)))

    profile_path = out_dir / PROFILE_FILE
    partial = profile_path.with_name(PROFILE_FILE + ".part")
    partial.write_text(demo_profile_toml(), encoding="utf-8")
    os.replace(partial, profile_path)

    facts_path = out_dir / FACT_CHECKS_FILE
    partial = facts_path.with_name(FACT_CHECKS_FILE + ".part")
    write_fact_checks(partial, timeline)
    os.replace(partial, facts_path)

    by_language: dict[str, int] = {}
    for post in story.posts:
        by_language[post.lang] = by_language.get(post.lang, 0) + 1
    return DemoManifest(
        out_dir=out_dir,
        seed=seed,
        start=start,
        files=tuple(files),
        posts=len(story.posts),
        actors=len(cast.actors),
        posts_by_platform={f.format: f.posts for f in files if f.format != "ground-truth"},
        posts_by_language=dict(sorted(by_language.items())),
        profile=profile_path,
        fact_checks=facts_path,
    )
