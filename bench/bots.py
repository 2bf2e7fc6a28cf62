"""Benchmark: `score_accounts` (ediplomacy bots score) on many generated accounts.

    .venv/bin/python bench/bots.py [--accounts 100000] [--bots 0.05] [--database sqlite|postgresql]

Generates accounts and their posts straight into a fresh database (outside the timing): people
post a few times, mostly in their waking hours and in bursts, with varied texts; a share of
bots post at a fixed period with a few seconds of jitter and copy their texts. Then times one
full `score_accounts` run and a second one (scores replaced, nothing doubled), and prints
accounts per second, the CPU seconds of this process, the peak resident memory, and ROC-AUC
of the score against the planted bots.
Writes bench/out/bots.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa

from ediplomacy.config import Settings
from ediplomacy.integrity import bots
from ediplomacy.store.migrate import open_database
from ediplomacy.store.schema import actors, collections, posts

REPO = Path(__file__).resolve().parents[1]
START = datetime(2026, 3, 2, tzinfo=UTC).timestamp()
WEEK = 7 * 86_400.0
WORDS = (
    "the", "embassy", "flight", "visa", "news", "today", "people", "help", "city", "water",
    "price", "school", "road", "rain", "market", "team", "game", "music", "family", "friends",
    "weekend", "food", "election", "minister",
)  # fmt: skip
POSTGRES_URL = os.environ.get(
    "EDIPLOMACY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _text(rng: np.random.Generator) -> str:
    return " ".join(rng.choice(WORDS, size=int(rng.integers(6, 18))))


def generate(engine: sa.Engine, accounts: int, bot_share: float, seed: int) -> set[tuple[str, str]]:
    """Write the accounts and posts; return the planted bots."""
    rng = np.random.default_rng(seed)
    now = datetime.now(UTC)
    with engine.begin() as connection:
        collection = connection.execute(
            collections.insert().values(name="bench", kind="file", source="bench", status="done",
                                        started_at=now, tool_version="bench")
            .returning(collections.c.id)
        ).scalar_one()  # fmt: skip
    planted: set[tuple[str, str]] = set()
    actor_rows: list[dict[str, Any]] = []
    post_rows: list[dict[str, Any]] = []
    serial = 0

    def flush(force: bool = False) -> None:
        if force or len(post_rows) >= 50_000:
            with engine.begin() as connection:
                if actor_rows:
                    connection.execute(actors.insert(), actor_rows)
                if post_rows:
                    connection.execute(posts.insert(), post_rows)
            actor_rows.clear()
            post_rows.clear()

    for index in range(accounts):
        account = f"u{index}"
        bot = rng.random() < bot_share
        if bot:
            planted.add(("x", account))
            n = int(rng.integers(8, 60))
            period = float(rng.choice([300, 600, 900, 1800, 3600]))
            begin = START + rng.uniform(0, WEEK - n * period)
            times = begin + np.arange(n) * period + rng.uniform(-2, 2, n)
            templates = [_text(rng) for _ in range(3)]
            texts = [templates[int(rng.integers(0, 3))] + f" {int(rng.integers(0, 99))}"
                     for _ in range(n)]  # fmt: skip
            handle = f"user{int(rng.integers(10**7, 10**8))}"
            created = START - rng.uniform(1, 60) * 86_400
            followers, following = int(rng.integers(0, 30)), int(rng.integers(100, 900))
            statuses, description = int(rng.integers(2_000, 40_000)), ""
        else:
            n = max(1, int(rng.lognormal(1.6, 1.0)))
            days = rng.integers(0, 7, n)
            hours = rng.normal(14, 3.5, n) % 24  # waking hours
            times = np.sort(START + days * 86_400 + hours * 3600 + rng.uniform(0, 3600, n))
            texts = [_text(rng) for _ in range(n)]
            handle = f"person_{index}"
            created = START - rng.uniform(60, 4_000) * 86_400
            followers, following = int(rng.lognormal(5.3, 1.5)), int(rng.lognormal(5.5, 1.0))
            statuses, description = int(rng.lognormal(7.0, 1.6)), "I write about things"
        actor_rows.append({
            "platform": "x", "external_id": account, "handle": handle, "name": f"Name {index}",
            "description": description, "created_at": datetime.fromtimestamp(created, UTC),
            "followers_count": followers, "following_count": following, "posts_count": statuses,
            "verified": False, "first_seen_at": now, "updated_at": now,
        })  # fmt: skip
        for at, text in zip(times, texts, strict=True):
            serial += 1
            post_rows.append({
                "platform": "x", "external_id": str(serial), "author_external_id": account,
                "author_handle": handle, "text": text,
                "created_at": datetime.fromtimestamp(float(at), UTC),
                "raw": "{}", "content_hash": f"{serial:032x}", "collection_id": collection,
                "source": "bench", "retrieved_at": now, "tool_version": "bench",
                "imported_at": now, "updated_at": now,
            })  # fmt: skip
        flush()
    flush(force=True)
    return planted


def _database(kind: str, folder: Path) -> tuple[str, sa.Engine | None]:
    if kind == "sqlite":
        return f"sqlite:///{folder / 'bench.db'}", None
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"ediplomacy_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(POSTGRES_URL).set(database=name)
    return url.render_as_string(hide_password=False), admin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--bots", type=float, default=0.05, help="share of bots")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url, admin = _database(args.database, Path(folder))
        engine = open_database(url)
        started = time.perf_counter()
        planted = generate(engine, args.accounts, args.bots, args.seed)
        with engine.connect() as connection:
            post_count = connection.execute(sa.select(sa.func.count()).select_from(posts))
            post_total = int(post_count.scalar_one())
        print(f"generated {args.accounts:,} accounts, {post_total:,} posts "
              f"({len(planted):,} bots) in {time.perf_counter() - started:.0f} s")  # fmt: skip
        settings = Settings(data_dir=Path(folder))
        cpu = time.process_time()
        first = bots.score_accounts(engine, settings)
        cpu = time.process_time() - cpu
        second = bots.score_accounts(engine, settings)
        evaluation = bots.evaluate(engine, planted)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result = {
            "database": args.database,
            "accounts": args.accounts,
            "posts": post_total,
            "bots": len(planted),
            "first_run_s": round(first.seconds, 2),
            "first_run_cpu_s": round(cpu, 2),  # this process (SQLite runs in it, PostgreSQL not)
            "second_run_s": round(second.seconds, 2),
            "accounts_per_s": round(first.scored / first.seconds),
            "peak_rss_mb": round(peak_mb),
            "roc_auc": evaluation.roc_auc,
            "precision_at_k": evaluation.precision_at_k,
            "recall_at_k": evaluation.recall_at_k,
        }
        print(json.dumps(result, indent=1))
        engine.dispose()
        if admin is not None:
            with admin.connect() as connection:
                name = sa.engine.make_url(url).database
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    out = REPO / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "bots.json").write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
