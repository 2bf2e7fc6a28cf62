"""The bulk X writer for the ingest benchmark: pages the importer reads, bursts seconds apart."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from ediplomacy.demo.bulk import write_x_v2_bulk
from ediplomacy.ingest.formats import get_format


def test_bulk_pages_hold_the_posts_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "bulk.jsonl"
    write_x_v2_bulk(path, 2_550, seed=5, coordinated_groups=2)
    fmt = get_format("x-v2")
    pages = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [len(p["data"]) for p in pages] == [100] * 25 + [50]
    ids = set()
    for page in pages:
        users = {u["id"] for u in page["includes"]["users"]}
        assert {t["author_id"] for t in page["data"]} <= users
        parsed = fmt.parse(page)
        assert not parsed.rejected
        ids |= {t["id"] for t in page["data"]}
        for tweet in page["data"]:
            for tag in tweet.get("entities", {}).get("hashtags", []):
                assert tweet["text"][tag["start"] : tag["end"]] == "#" + tag["tag"]
    assert len(ids) == 2_550


def test_bulk_groups_post_within_seconds(tmp_path: Path) -> None:
    path = tmp_path / "bulk.jsonl"
    write_x_v2_bulk(path, 3_000, coordinated_groups=1)
    handles: dict[str, str] = {}
    times = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        page = json.loads(line)
        handles.update({u["id"]: u["username"] for u in page["includes"]["users"]})
        for tweet in page["data"]:
            if handles[tweet["author_id"]].startswith("net1_"):
                times[tweet["created_at"][:15]].append(datetime.fromisoformat(tweet["created_at"]))
    bursts = [sorted(t) for t in times.values() if len(t) >= 5]
    assert bursts
    assert all((t[-1] - t[0]).total_seconds() < 90 for t in bursts)


def test_bulk_is_deterministic(tmp_path: Path) -> None:
    write_x_v2_bulk(tmp_path / "a.jsonl", 500, seed=9)
    write_x_v2_bulk(tmp_path / "b.jsonl", 500, seed=9)
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
