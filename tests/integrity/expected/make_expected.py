"""Regenerate the coordination fixtures and the toolkit's answers on them.

    python tests/integrity/expected/make_expected.py /path/to/venv-with-cnt/bin/python

The inputs are generated here (seeded, a few hundred rows). The expected edge lists are what the
Coordination Network Toolkit 1.5.2 (`pip install coordination-network-toolkit==1.5.2`, in its
own virtual environment: it is not a dependency of this project) exports for them: its CSV
preprocess, its compute functions, then `get_edge_rows` (the rows its CSV export writes) without
self-loops. Its command line cannot write CSV in 1.5.2 (`output_gephi_csv() got an unexpected
keyword argument 'n_messages'`), so the functions are called directly.
"""

from __future__ import annotations

import csv
import random
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
NETWORKS = ("co_retweet", "co_tweet", "co_link", "co_reply")
SETTINGS = ((0, 1), (5, 1), (60, 1), (60, 2), (600, 3))

TOOLKIT_RUN = """
import csv, sys
from coordination_network_toolkit.preprocess import preprocess_csv_files
from coordination_network_toolkit import compute_networks as cn
from coordination_network_toolkit.graph import get_edge_rows
db, source, network, window, min_weight, out = sys.argv[1:]
window, min_weight = int(window), int(min_weight)
preprocess_csv_files(db, [source])
if network == "co_retweet":
    cn.compute_co_retweet_parallel(db, window, n_threads=1, min_edge_weight=min_weight)
elif network == "co_tweet":
    cn.compute_co_tweet_network(db, window, min_edge_weight=min_weight, n_threads=1)
elif network == "co_link":
    cn.compute_co_link_network(db, window, n_threads=1, min_edge_weight=min_weight)
else:
    cn.compute_co_reply_network(db, window, min_edge_weight=min_weight, n_threads=1)
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\\n")
    w.writerow(["user_1", "user_2", "weight"])
    w.writerows(row[:3] for row in get_edge_rows(db, network, loops=False))
"""


def generate(path: Path, seed: int = 7, rows: int = 400) -> None:
    """Posts by 30 accounts: reposts, replies, near-identical texts, shared and empty URLs."""
    rng = random.Random(seed)
    texts = ["Vote NOW", "vote   now @someone", "@a Vote now", "Peace talks", "peace TALKS ",
             "Read this", "", "Hello world", "#Sovereignty matters", "other"]  # fmt: skip
    urls = ["", "", "http://a.example/1", "http://b.example/2 http://a.example/1",
            "http://c.example/3", "http://a.example/1  http://d.example/4",
            "http://b.example/2"]  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["message_id", "user_id", "username", "repost_id", "reply_id",
                         "message", "timestamp", "urls"])  # fmt: skip
        for index in range(rows):
            user = rng.randrange(30)
            kind = rng.random()
            repost = f"rt{rng.randrange(12)}" if kind < 0.4 else ""
            reply = f"post{rng.randrange(8)}" if 0.4 <= kind < 0.6 else ""
            stamp: float | int = rng.randrange(0, 3000)
            if rng.random() < 0.2:
                stamp = stamp + 0.5
            message_id = str(index if rng.random() > 0.02 else max(index - 3, 0))  # duplicates
            writer.writerow([message_id, f"u{user}", f"user {user}", repost, reply,
                             rng.choice(texts), stamp, rng.choice(urls)])  # fmt: skip


def without_empty_urls(source: Path, target: Path) -> None:
    """The input as the default mode reads it: empty URL tokens removed."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(rows[0])
        for row in rows[1:]:
            urls = row[7].split()
            if urls:
                writer.writerow([*row[:7], " ".join(urls)])


def main(toolkit_python: str) -> None:
    source = HERE / "cnt_input.csv"
    generate(source)
    cleaned = HERE / "cnt_input_urls_only.csv"
    without_empty_urls(source, cleaned)
    with tempfile.TemporaryDirectory() as scratch:
        script = Path(scratch) / "run.py"
        script.write_text(TOOLKIT_RUN)
        for network in NETWORKS:
            for window, min_weight in SETTINGS:
                inputs = [(source, "")]
                if network == "co_link":
                    inputs.append((cleaned, "_urls_only"))
                for data, suffix in inputs:
                    out = HERE / f"{network}{suffix}_w{window}_m{min_weight}.csv"
                    db = Path(scratch) / f"{out.stem}.db"
                    subprocess.run(
                        [toolkit_python, str(script), str(db), str(data), network,
                         str(window), str(min_weight), str(out)],
                        check=True, capture_output=True,
                    )  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/root/bw/cnt-venv/bin/python")
