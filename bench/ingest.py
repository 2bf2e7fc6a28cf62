"""Benchmark: import generated X API v2 posts into SQLite and PostgreSQL; posts/s and peak memory.

    .venv/bin/python bench/ingest.py [--posts 1000000] [--databases sqlite,postgresql]

Each import runs in a child process (the real `ediplomacy ingest` code path, progress bar off),
so its peak resident memory is measured on its own. Runs at two file sizes show whether memory
stays flat as the file grows. Prints a table and writes bench/out/ingest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from ediplomacy.demo.bulk import write_x_v2_bulk

PG_ADMIN = os.environ.get(
    "EDIPLOMACY_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
CHILD = """
import sys, time
from pathlib import Path
from ediplomacy.ingest.importer import Importer
from ediplomacy.store.migrate import open_database
engine = open_database(sys.argv[1])
start = time.perf_counter()
importer = Importer(engine, data_dir=Path(sys.argv[3]), batch_size=int(sys.argv[4]))
report = importer.run([sys.argv[2]])
elapsed = time.perf_counter() - start
print(report.counts.new, report.counts.rejected, elapsed)
"""


def run_import(url: str, path: Path, work: Path, batch_size: int) -> dict[str, float]:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, str(path), str(work), str(batch_size)],
        stdout=subprocess.PIPE,
        text=True,
    )
    _, status, usage = os.wait4(child.pid, 0)
    output = child.stdout.read() if child.stdout else ""
    if status != 0:
        raise SystemExit(f"import into {url} failed with status {status}")
    new, rejected, elapsed = output.split()
    return {
        "posts": int(new),
        "rejected": int(rejected),
        "seconds": float(elapsed),
        "posts_per_s": int(new) / float(elapsed),
        "peak_rss_mb": usage.ru_maxrss / 1024,
    }


def fresh_database(kind: str, work: Path) -> tuple[str, str | None]:
    if kind == "sqlite":
        db = work / f"bench-{uuid.uuid4().hex[:8]}.db"
        return f"sqlite:///{db}", None
    name = f"ediplomacy_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return sa.engine.make_url(PG_ADMIN).set(database=name).render_as_string(False), name


def drop_database(name: str | None) -> None:
    if name is None:
        return
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000, help="smaller file, for memory")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=1, help="runs per database (median)")
    parser.add_argument("--batch-size", type=int, default=5000)
    args = parser.parse_args()
    out = Path(__file__).with_name("out")
    out.mkdir(exist_ok=True)
    results: dict[str, object] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "posts": args.posts,
    }
    with tempfile.TemporaryDirectory(prefix="ediplomacy-bench-") as tmp:
        work = Path(tmp)
        files = {}
        for size in sorted({args.small, args.posts}):
            path = work / f"x_v2_{size}.jsonl"
            start = time.perf_counter()
            write_x_v2_bulk(path, size, seed=7)
            files[size] = path
            print(f"generated {size:,} posts ({path.stat().st_size / 1e6:.0f} MB) "
                  f"in {time.perf_counter() - start:.1f} s", flush=True)  # fmt: skip
        for kind in args.databases.split(","):
            for size, path in files.items():
                runs = []
                for _ in range(args.repeat):
                    url, name = fresh_database(kind, work)
                    try:
                        runs.append(run_import(url, path, work, args.batch_size))
                    finally:
                        drop_database(name)
                rate = statistics.median(run["posts_per_s"] for run in runs)
                peak = max(run["peak_rss_mb"] for run in runs)
                results[f"{kind}_{size}"] = {"runs": runs, "median_posts_per_s": rate,
                                             "peak_rss_mb": peak}  # fmt: skip
                print(f"{kind:<10} {size:>9,} posts  {rate:>9,.0f} posts/s  "
                      f"peak RSS {peak:,.0f} MB  ({len(runs)} run(s))", flush=True)  # fmt: skip
    (out / "ingest.json").write_text(json.dumps(results, indent=2))
    print(f"figures written to {out / 'ingest.json'}")


if __name__ == "__main__":
    main()
