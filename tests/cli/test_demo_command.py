"""`ediplomacy demo` builds the demo database the README promises, and a re-run adds nothing."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ediplomacy.pipeline.stages import STAGE_NAMES
from tests.models import e5_onnx_spec


def demo(data: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EDIPLOMACY_DATA_DIR": str(data), "COLUMNS": "200"}
    env.pop("EDIPLOMACY_DATABASE_URL", None)
    # The accurate tier is the default int8 encoder, built once for the test session rather
    # than under this data directory (the build on first use is tested in tests/nlp).
    env["EDIPLOMACY_ACCURATE_EMBEDDER"] = e5_onnx_spec()
    done = subprocess.run(
        [sys.executable, "-m", "ediplomacy", "demo", "--no-serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        pytest.fail(f"ediplomacy demo failed:\n{done.stdout}\n{done.stderr}")
    return done


@pytest.mark.slow
def test_demo_builds_analyzes_and_prints_how_to_log_in(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = demo(data)
    truth = json.loads((data / "demo" / "ground_truth.json").read_text())
    with sqlite3.connect(data / "ediplomacy.db") as conn:
        posts = conn.execute("SELECT count(*) FROM posts").fetchone()[0]
        analyzed = conn.execute(
            "SELECT stage, count(*) FROM post_enrichments GROUP BY stage ORDER BY stage"
        ).fetchall()
        languages = {row[0] for row in conn.execute("SELECT DISTINCT detected_language FROM posts")}
        users = {row[0] for row in conn.execute("SELECT username FROM users")}
        stored_posts = set(conn.execute("SELECT platform, external_id FROM posts").fetchall())
        stored_actors = set(conn.execute("SELECT platform, external_id FROM actors").fetchall())
    assert 19_000 <= posts <= 21_000
    # Every pipeline stage, and claim matching (the `claims` entry), ran over every post.
    assert analyzed == [(name, posts) for name in sorted([*STAGE_NAMES, "claims"])]
    output = first.stdout + first.stderr
    assert "fact-checks: 17 added" in output
    for detector in (
        "claims",
        "claim_spikes",
        "narratives",
        "coordination",
        "bots",
        "polarization",
    ):
        assert f"  {detector} " in output
    assert "failed:" not in output.split("integrity detectors:")[1].split("emerging topics")[0]
    assert "emerging topics:" in first.stdout + first.stderr
    assert "watch rules: 2 checked" in first.stdout + first.stderr
    assert {"id", "en", "ms", "ar", "zh", "es", "fr"} <= languages
    assert users == {"admin", "analyst", "consul"}
    passwords = dict(
        line.split(" ", 1) for line in (data / "demo" / "accounts.txt").read_text().splitlines()
    )
    assert passwords["admin"] in first.stderr
    assert "http://127.0.0.1:8000" in first.stderr
    # the planted ground truth names posts and accounts exactly as the importers store them
    for kind, planted in truth["posts"].items():
        keys = {(item["platform"], item["external_id"]) for item in planted}
        assert keys and keys <= stored_posts, kind
    for kind, planted in truth["accounts"].items():
        keys = {(item["platform"], item["external_id"]) for item in planted}
        assert keys and keys <= stored_actors, kind

    second = demo(data)
    assert "imported: 0 new" in second.stderr
    assert passwords["admin"] in second.stderr
