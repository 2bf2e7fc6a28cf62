"""Benchmark: `ediplomacy coordination` beside the Coordination Network Toolkit 1.5.2, one run.

    .venv/bin/python bench/coordination.py [--posts 200000] [--groups 10] [--window 60]

The toolkit is not a dependency: it runs from its own virtual environment, given by
EDIPLOMACY_CNT_PYTHON (default /root/bw/cnt-venv/bin/python; make one with
`python3 -m venv cnt && cnt/bin/pip install coordination-network-toolkit==1.5.2`).

Both sides run end to end in a fresh process: the toolkit CSV in, the edge list out (the
toolkit's preprocess into its SQLite database, its compute, its `get_edge_rows` written as CSV;
ours `compute_file` (Arrow's CSV reader, numpy), `write_edges`). Inputs are converted to the
toolkit's CSV format first, outside the timing:

- ../shared/data/coordination/coortweet/russian_coord_tweets.csv (CooRTweet's sample: object_id,
  account_id, content_id, timestamp_share; content_id is the shared item, so co-repost);
- ../shared/data/coordination/coortweet/german_elections.csv (one row per post and item; the
  posts with a url_id become toolkit rows with their URLs, co-link);
- `--posts` generated X posts with `--groups` planted groups of 20 accounts that co-retweet and
  post near-duplicates seconds apart (src/ediplomacy/demo/bulk.py); co-repost and co-tweet.

Prints seconds, the ratio, peak resident memory of each side, whether the edge lists are the
same, and, for generated posts, how many planted groups are found (a group is found when at
least 16 of its 20 accounts are joined by edges between members).
Writes bench/out/coordination.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from ediplomacy.demo.bulk import write_x_v2_bulk
from ediplomacy.integrity.coordination import CNT_COLUMNS

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EDIPLOMACY_SHARED_DATA", REPO.parent / "shared" / "data"))
HEADER = list(CNT_COLUMNS)
TOOLKIT_NAMES = {"co-repost": "co_retweet", "co-tweet": "co_tweet", "co-link": "co_link"}

TOOLKIT = """
import csv, resource, sys
from coordination_network_toolkit.preprocess import preprocess_csv_files
from coordination_network_toolkit import compute_networks as cn
from coordination_network_toolkit.graph import get_edge_rows
db, source, network, window, min_weight, out, cpus = sys.argv[1:]
window, min_weight, cpus = int(window), int(min_weight), int(cpus)
preprocess_csv_files(db, [source])
if network == "co_retweet":
    cn.compute_co_retweet_parallel(db, window, n_threads=cpus, min_edge_weight=min_weight)
elif network == "co_tweet":
    cn.compute_co_tweet_network(db, window, min_edge_weight=min_weight, n_threads=cpus)
else:
    cn.compute_co_link_network(db, window, n_threads=cpus, min_edge_weight=min_weight)
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\\n")
    w.writerow(["user_1", "user_2", "weight"])
    w.writerows(row[:3] for row in get_edge_rows(db, network, loops=False))
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print("PEAK_KB", max(own, kids), file=sys.stderr)
"""

OURS = """
import resource, sys
from pathlib import Path
from ediplomacy.integrity.coordination import Network, compute_file, write_edges
source, network, window, min_weight, out = sys.argv[1:]
edges, problems, posts = compute_file(Path(source), Network(network), window=float(window),
                                      min_weight=int(min_weight))
with open(out, "w", encoding="utf-8", newline="") as f:
    write_edges(edges, f)
print("PEAK_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def convert_coortweet(source: Path, target: Path) -> int:
    with (
        source.open(encoding="utf-8", newline="") as inp,
        target.open("w", encoding="utf-8", newline="") as out,
    ):
        reader = csv.DictReader(inp)
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(HEADER)
        count = 0
        for row in reader:
            writer.writerow([row["object_id"], row["account_id"], row["account_id"],
                             row["content_id"], "", "", row["timestamp_share"], ""])  # fmt: skip
            count += 1
    return count


def convert_german(source: Path, target: Path) -> int:
    """CooRTweet's german_elections (one row per post and item): posts with URLs, co-link."""
    posts: dict[str, tuple[str, str, list[str]]] = {}
    with source.open(encoding="utf-8", newline="") as inp:
        for row in csv.DictReader(inp):
            key = row["account_id"] + "/" + row["post_id"]
            entry = posts.setdefault(key, (row["account_id"], row["timestamp"], []))
            if row["url_id"] and row["url_id"] not in entry[2]:
                entry[2].append(row["url_id"])
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(HEADER)
        count = 0
        for key, (account, stamp, urls) in posts.items():
            if urls:
                writer.writerow([key, account, account, "", "", "", stamp, " ".join(urls)])
                count += 1
    return count


def convert_bulk(source: Path, target: Path) -> int:
    """X v2 pages to toolkit rows (retweet and reply ids from referenced_tweets)."""
    from datetime import datetime

    count = 0
    with (
        source.open(encoding="utf-8") as inp,
        target.open("w", encoding="utf-8", newline="") as out,
    ):
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(HEADER)
        for line in inp:
            page = json.loads(line)
            handles = {user["id"]: user["username"] for user in page["includes"]["users"]}
            for tweet in page["data"]:
                repost = reply = ""
                for ref in tweet.get("referenced_tweets", []):
                    if ref["type"] == "retweeted":
                        repost = ref["id"]
                    elif ref["type"] == "replied_to":
                        reply = ref["id"]
                stamp = datetime.fromisoformat(tweet["created_at"].replace("Z", "+00:00"))
                writer.writerow([tweet["id"], tweet["author_id"], handles[tweet["author_id"]],
                                 repost, reply, tweet["text"], stamp.timestamp(), ""])  # fmt: skip
                count += 1
    return count


def run(command: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{command[:3]} failed:\n{done.stderr[-3000:]}")
    peak = [line for line in done.stderr.splitlines() if line.startswith("PEAK_KB")]
    return seconds, int(peak[-1].split()[1]) if peak else 0


def edges(path: Path) -> set[tuple[str, str, int]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return {(a, b, int(w)) for a, b, w in rows[1:]}


def planted_found(found: set[tuple[str, str, int]], handles: dict[str, str], groups: int) -> int:
    """Groups with at least 16 of 20 members joined by edges between members."""
    links: dict[str, set[str]] = defaultdict(set)
    for a, b, _ in found:
        ga, gb = handles.get(a, ""), handles.get(b, "")
        if ga.startswith("net") and ga.split("_")[0] == gb.split("_")[0]:
            links[a].add(b)
            links[b].add(a)
    best: dict[str, int] = defaultdict(int)
    seen: set[str] = set()
    for start in links:
        if start in seen:
            continue
        stack, component = [start], set()
        while stack:
            node = stack.pop()
            if node in component:
                continue
            component.add(node)
            stack.extend(links[node] - component)
        seen |= component
        group = handles[start].split("_")[0]
        best[group] = max(best[group], len(component))
    return sum(1 for size in best.values() if size >= 16)


def compare(
    label: str, source: Path, network: str, window: int, toolkit: str, scratch: Path, cpus: int
) -> dict[str, Any]:
    ours_out = scratch / f"{label}_{network}_ours.csv"
    theirs_out = scratch / f"{label}_{network}_cnt.csv"
    db = scratch / f"{label}_{network}.db"
    ours_s, ours_kb = run([sys.executable, "-c", OURS, str(source), network, str(window), "1",
                           str(ours_out)])  # fmt: skip
    theirs_s, theirs_kb = run([toolkit, "-c", TOOLKIT, str(db), str(source),
                               TOOLKIT_NAMES[network], str(window), "1", str(theirs_out),
                               str(cpus)])  # fmt: skip
    ours, theirs = edges(ours_out), edges(theirs_out)
    result = {
        "input": label, "network": network, "window": window, "edges": len(ours),
        "same_edges": ours == theirs, "ours_s": round(ours_s, 2), "toolkit_s": round(theirs_s, 2),
        "ratio": round(theirs_s / ours_s, 1), "ours_peak_mb": round(ours_kb / 1024),
        "toolkit_peak_mb": round(theirs_kb / 1024), "_edges": ours,
    }  # fmt: skip
    print(f"{label:>12} {network:<10} edges {len(ours):>9}  same {ours == theirs!s:<5} "
          f"ours {ours_s:6.2f} s {ours_kb / 1024:6.0f} MB   toolkit {theirs_s:7.2f} s "
          f"{theirs_kb / 1024:6.0f} MB   x{theirs_s / ours_s:5.1f}", flush=True)  # fmt: skip
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--groups", type=int, default=10)
    parser.add_argument("--window", type=int, default=60)
    parser.add_argument("--cpus", type=int, default=os.cpu_count() or 1, help="toolkit workers")
    args = parser.parse_args()
    toolkit = os.environ.get("EDIPLOMACY_CNT_PYTHON", "/root/bw/cnt-venv/bin/python")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        russian = scratch / "russian.csv"
        rows = convert_coortweet(
            SHARED / "coordination/coortweet/russian_coord_tweets.csv", russian
        )
        print(f"coortweet russian_coord_tweets: {rows} rows", flush=True)
        results.append(compare("coortweet", russian, "co-repost", args.window, toolkit, scratch,
                               args.cpus))  # fmt: skip
        german = scratch / "german.csv"
        rows = convert_german(SHARED / "coordination/coortweet/german_elections.csv", german)
        print(f"coortweet german_elections: {rows} posts with URLs", flush=True)
        results.append(compare("german", german, "co-link", args.window, toolkit, scratch,
                               args.cpus))  # fmt: skip
        bulk = scratch / "bulk.jsonl"
        write_x_v2_bulk(bulk, args.posts, seed=3, coordinated_groups=args.groups)
        generated = scratch / "generated.csv"
        rows = convert_bulk(bulk, generated)
        with generated.open(encoding="utf-8", newline="") as handle:
            handles = {row[1]: row[2] for row in csv.reader(handle)}
        print(f"generated: {rows} posts, {args.groups} planted groups of 20", flush=True)
        for network in ("co-repost", "co-tweet"):
            result = compare("generated", generated, network, args.window, toolkit, scratch,
                             args.cpus)  # fmt: skip
            result["planted_found"] = planted_found(result["_edges"], handles, args.groups)
            result["planted"] = args.groups
            print(f"{'':>12} planted groups found: {result['planted_found']} of {args.groups}")
            results.append(result)
    for result in results:
        result.pop("_edges")
    out = REPO / "bench" / "out" / "coordination.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"posts": args.posts, "cpus": args.cpus, "results": results},
                              indent=2) + "\n")  # fmt: skip
    print(f"written {out}")


if __name__ == "__main__":
    main()
