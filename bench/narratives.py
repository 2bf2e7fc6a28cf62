"""Benchmark: narratives on the demo scenario against its planted ground truth.

    .venv/bin/python bench/narratives.py [--posts 20000] [--matched-every 3] [--dir DIR]
                                         [--space fast|accurate] [--others 1500]

Generates the demo (same seed as `ediplomacy demo`), imports it and embeds it in the fast space
(`--space accurate` embeds instead every false-claim post, every response to a claim, every post
of the planted bursts and `--others` random posts with multilingual-e5-small: the whole demo would
take about 6 minutes on 2 cores). A reused `--dir` keeps its database. Then, as a claim matcher
with partial recall would, it adds one fact-check per planted claim and a pending match for every
`--matched-every`-th planted post of that claim only, builds the narratives twice, and prints:

- per claim: the narrative's size, precision and recall against the planted posts (the part the
  matches alone give is `1 / matched-every`), the growth alerts and the claim's first post;
- the unlinked narratives found, with how many of their posts were planted by the network;
- the seconds of the first and second run (the second finds nothing new).

Writes bench/out/narratives.json.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa

from ediplomacy.config import Settings
from ediplomacy.demo import generate
from ediplomacy.demo.profile import install_profile
from ediplomacy.ingest.importer import Importer
from ediplomacy.integrity.narratives import build_narratives
from ediplomacy.nlp.embedders import E5Embedder
from ediplomacy.nlp.vectors import to_bytes
from ediplomacy.pipeline.runner import InProcessRunner
from ediplomacy.pipeline.stages import build_stages
from ediplomacy.pipeline.textnorm import text_for_models
from ediplomacy.store import vectors as vector_store
from ediplomacy.store.migrate import open_database
from ediplomacy.store.schema import (
    alerts,
    claim_matches,
    fact_checks,
    narrative_posts,
    narratives,
    post_vectors,
    posts,
)
from ediplomacy.store.timeutil import utcnow

OUT = Path(__file__).parent / "out"


def prepare(directory: Path, size: int, space: str, others: int) -> dict[str, Any]:
    settings = Settings(data_dir=directory)
    database = directory / "ediplomacy.db"
    fresh = not database.exists()
    manifest = generate(directory / "demo", posts=size)
    truth: dict[str, Any] = json.loads((directory / "demo" / "ground_truth.json").read_text())
    if not fresh:
        return truth
    if manifest.profile is not None:
        install_profile(manifest.profile, directory)
    engine = open_database(settings.resolved_database_url())
    files = [item.path for item in manifest.files if item.format != "ground-truth"]
    Importer(engine, data_dir=directory).run(files, collection="demo")
    stages = ["language", "geography"] + (["embed_fast"] if space == "fast" else [])
    InProcessRunner(engine).run(build_stages(settings, stages))
    if space == "accurate":
        embed_accurate_sample(engine, truth, others)
    engine.dispose()
    return truth


def embed_accurate_sample(engine: sa.Engine, truth: dict[str, Any], others: int) -> None:
    keys = {(p["platform"], p["external_id"])
            for p in truth["posts"]["false_claim"] + truth["posts"]["claim_responses"]}  # fmt: skip
    for burst in truth["bursts"]:
        keys |= {(p["platform"], p["external_id"]) for p in burst["posts"]}
    with engine.connect() as connection:
        rows = connection.execute(sa.select(posts.c.id, posts.c.platform, posts.c.external_id,
                                            posts.c.text).order_by(posts.c.id)).all()  # fmt: skip
    rest = [row for row in rows if (row.platform, row.external_id) not in keys]
    pick = [row for row in rows if (row.platform, row.external_id) in keys]
    chosen = np.random.default_rng(0).choice(len(rest), min(others, len(rest)), replace=False)
    pick += [rest[int(index)] for index in chosen]
    texts = [text_for_models(row.text) for row in pick]
    distinct = list(dict.fromkeys(texts))
    embedder = E5Embedder()
    vectors = dict(zip(distinct, embedder.embed(distinct), strict=True))
    with engine.begin() as connection:
        vector_store.write_vectors(
            connection, space="accurate", model=embedder.name, version=embedder.version,
            vectors=[(row.id, to_bytes(vectors[text]), embedder.dim)
                     for row, text in zip(pick, texts, strict=True)],
        )  # fmt: skip


def reset(engine: sa.Engine) -> None:
    with engine.begin() as connection:
        for table in (alerts, narratives, claim_matches, fact_checks):
            connection.execute(table.delete().where(alerts.c.rule_id.is_(None))
                               if table is alerts else table.delete())  # fmt: skip


def run(directory: Path, every: int, space: str) -> dict[str, Any]:
    truth = json.loads((directory / "demo" / "ground_truth.json").read_text())
    engine = open_database(f"sqlite:///{directory / 'ediplomacy.db'}")
    reset(engine)
    now = utcnow()
    with engine.begin() as connection:
        if space == "fast":  # only the space measured: the builder prefers accurate vectors
            connection.execute(post_vectors.delete().where(post_vectors.c.space == "accurate"))
        ids = {(row.platform, row.external_id): row.id for row in connection.execute(
            sa.select(posts.c.id, posts.c.platform, posts.c.external_id))}  # fmt: skip
        facts = {}
        for claim in truth["claims"]:
            facts[claim["id"]] = connection.execute(fact_checks.insert().values(
                kind="fact_check", claim_text=claim["statement_en"], verdict="false",
                summary=claim["truth_en"], language="en", url=f"https://check.example/{claim['id']}",
                sources="[]", languages='["en"]', created_at=now, updated_at=now,
            )).inserted_primary_key[0]  # type: ignore[index]  # fmt: skip
        planted = truth["posts"]["false_claim"]
        matched = [
            {"post_id": ids[(p["platform"], p["external_id"])], "fact_check_id": facts[p["claim"]],
             "score": 0.9, "similarity": 0.9, "rank": 1, "model": "bench", "model_version": "1",
             "status": "pending", "matched_at": now}
            for index, p in enumerate(planted) if index % every == 0
        ]  # fmt: skip
        connection.execute(claim_matches.insert(), matched)
    settings = Settings(data_dir=directory)
    first = build_narratives(engine, settings)
    second = build_narratives(engine, settings)
    claim_of = {ids[(p["platform"], p["external_id"])]: p["claim"] for p in planted}
    network = {ids[(p["platform"], p["external_id"])] for burst in truth["bursts"]
               if burst["topic"] == "narrative" for p in burst["posts"]}  # fmt: skip
    report: dict[str, Any] = {"space": first.space, "matched": len(matched), "claims": {},
                              "unlinked": [], "network_posts": len(network),
                              "seconds": [first.seconds, second.seconds],
                              "second_run_changes": second.near_added + second.matched_added
                              + len(second.discovered) + len(second.alerts)}  # fmt: skip
    with engine.connect() as connection:
        rows = connection.execute(sa.select(narratives)).all()
        for row in rows:
            members = set(connection.execute(sa.select(narrative_posts.c.post_id).where(
                narrative_posts.c.narrative_id == row.id)).scalars())  # fmt: skip
            growth = connection.execute(sa.select(alerts).where(
                alerts.c.kind == "narrative_growth").order_by(alerts.c.window_start))  # fmt: skip
            mark = f'"narrative_id":{row.id},'
            windows = [str(a.window_start) for a in growth if mark in a.details]
            if row.fact_check_id is None:
                found = {"label": row.label[:80], "posts": len(members),
                         "planted_by_network": len(members & network)}  # fmt: skip
                report["unlinked"].append(found)
                continue
            claim = next(c for c, f in facts.items() if f == row.fact_check_id)
            wanted = {post for post, c in claim_of.items() if c == claim}
            hit = len(wanted & members)
            report["claims"][claim] = {
                "posts": len(members), "planted": len(wanted),
                "precision": round(hit / max(1, len(members)), 3),
                "recall": round(hit / max(1, len(wanted)), 3),
                "recall_of_matches_alone": round(sum(1 for m in matched if m["post_id"] in wanted)
                                                 / max(1, len(wanted)), 3),
                "languages": dict(Counter(json.loads(row.details)["languages"])),
                "growth_alerts": windows,
                "first_post_at": truth["timeline"]["claims"][claim]["first_post_at"],
            }  # fmt: skip
    engine.dispose()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--matched-every", type=int, default=3)
    parser.add_argument("--space", choices=("fast", "accurate"), default="fast")
    parser.add_argument("--others", type=int, default=1500)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    directory = args.dir or OUT / f"narratives-demo-{args.posts}-{args.space}"
    directory.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    prepare(directory, args.posts, args.space, args.others)
    print(f"demo ready in {time.perf_counter() - started:.0f} s ({directory})")
    report = run(directory, args.matched_every, args.space)
    print(json.dumps(report, indent=1))
    OUT.mkdir(exist_ok=True)
    (OUT / "narratives.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
