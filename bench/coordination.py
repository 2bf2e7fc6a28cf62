"""Benchmark: `ediplomacy coordination` beside the Coordination Network Toolkit 1.5.2, one run.

    .venv/bin/python bench/coordination.py [--posts 1000000] [--groups 10] [--runs 3]

The toolkit is not a dependency: it runs from its own virtual environment, given by
EDIPLOMACY_CNT_PYTHON (default /root/bw/cnt-venv/bin/python; make one with
`python3 -m venv cnt && cnt/bin/pip install coordination-network-toolkit==1.5.2`).

Both sides run end to end in a fresh process, `--runs` times each, alternating (the medians are
reported): the toolkit CSV in, the edge list out (the toolkit's preprocess into a fresh SQLite
database, its compute with `--cpus` workers, its `get_edge_rows` written as CSV; ours
`compute_file` (Arrow's streamed CSV reader, numpy) and `save_edges_csv`). The two edge files
are compared byte for byte. Inputs, converted to the toolkit's CSV format outside the timing:

- ../shared/data/coordination/coortweet/russian_coord_tweets.csv (CooRTweet's sample: object_id,
  account_id, content_id, timestamp_share; content_id is the shared item, so co-repost);
- ../shared/data/coordination/coortweet/german_elections.csv (one row per post and item; the
  posts with a url_id become toolkit rows with their URLs, co-link);
- `--posts` generated posts with `--groups` planted groups of 20 accounts
  (bench/coordination_data.py: as dense as the issue's measurement, about 15 million co-retweet
  edges at window 60 for 1,000,000 posts); co-repost, and co-link in compatibility mode (the
  toolkit links every URL-less post through the empty URL '', so `--compat` is what gives its
  answer; ours without it is timed too).

Planted groups: the clusters of our co-repost network (ediplomacy.integrity.coordination_clusters,
pairs with a mutual weight of at least `--cluster-weight`) are matched to the planted groups; a
group is found when a cluster holds at least 80% of it and is at least 80% that group.
Prints seconds, ratios, peak resident memory of each side (the process's own high-water mark,
VmHWM, and for the toolkit also its workers'); writes bench/out/coordination.json.
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from coordination_data import generate
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
own = [int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")][0]
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # its workers
print("PEAK_KB", max(own, kids), file=sys.stderr)
"""

OURS = """
import sys
from pathlib import Path
from ediplomacy.integrity.coordination import Network, compute_file
from ediplomacy.integrity.coordination_export import save_edges_csv
source, network, window, min_weight, out, compat = sys.argv[1:]
edges, problems, posts = compute_file(Path(source), Network(network), window=float(window),
                                      min_weight=int(min_weight), compat=compat == "1")
save_edges_csv(edges, Path(out))
own = [int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")][0]
print("PEAK_KB", own, file=sys.stderr)
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


def run(command: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{command[:3]} failed:\n{done.stderr[-3000:]}")
    peak = [line for line in done.stderr.splitlines() if line.startswith("PEAK_KB")]
    return seconds, int(peak[-1].split()[1]) if peak else 0


def lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle) - 1


def compare(
    label: str, source: Path, network: str, args: argparse.Namespace, toolkit: str,
    scratch: Path, *, compat: bool = False,
) -> dict[str, Any]:  # fmt: skip
    """Ours and the toolkit, `runs` times each, alternating; the medians."""
    tag = f"{label}_{network}{'_compat' if compat else ''}"
    ours_out, theirs_out = scratch / f"{tag}_ours.csv", scratch / f"{tag}_cnt.csv"
    db = scratch / f"{tag}.db"
    ours: list[tuple[float, int]] = []
    theirs: list[tuple[float, int]] = []
    for _ in range(args.runs):
        ours.append(run([sys.executable, "-c", OURS, str(source), network, str(args.window), "1",
                         str(ours_out), "1" if compat else "0"]))  # fmt: skip
        db.unlink(missing_ok=True)
        if toolkit:
            theirs.append(run([toolkit, "-c", TOOLKIT, str(db), str(source),
                               TOOLKIT_NAMES[network], str(args.window), "1", str(theirs_out),
                               str(args.cpus)]))  # fmt: skip
    ours_s = statistics.median(seconds for seconds, _ in ours)
    result: dict[str, Any] = {
        "input": label, "network": network, "compat": compat, "window": args.window,
        "edges": lines(ours_out), "ours_s": round(ours_s, 2),
        "ours_runs_s": [round(seconds, 2) for seconds, _ in ours],
        "ours_peak_mb": round(max(kb for _, kb in ours) / 1024),
    }  # fmt: skip
    line = (
        f"{label:>10} {network:<9}{' compat' if compat else '       '} edges {result['edges']:>9}"
    )
    line += f"  ours {ours_s:6.2f} s {result['ours_peak_mb']:5} MB"
    if theirs:
        theirs_s = statistics.median(seconds for seconds, _ in theirs)
        result.update({
            "same_edges": filecmp.cmp(ours_out, theirs_out, shallow=False),
            "toolkit_s": round(theirs_s, 2),
            "toolkit_runs_s": [round(seconds, 2) for seconds, _ in theirs],
            "toolkit_peak_mb": round(max(kb for _, kb in theirs) / 1024),
            "ratio": round(theirs_s / ours_s, 1),
        })  # fmt: skip
        line += (f"   toolkit {theirs_s:7.2f} s {result['toolkit_peak_mb']:5} MB   "
                 f"x{result['ratio']:5.1f}  identical {result['same_edges']}")  # fmt: skip
    print(line, flush=True)
    return result


def planted_found(
    source: Path, planted: dict[str, list[str]], window: int, weight: int
) -> dict[str, Any]:
    """Clusters of our co-repost network matched to the planted groups."""
    from ediplomacy.integrity.coordination import Network, edges_of, file_events
    from ediplomacy.integrity.coordination_clusters import find_clusters

    started = time.perf_counter()
    events, _ = file_events(source, Network.CO_REPOST, window=window)
    edges = edges_of(events, window=window)
    detection = find_clusters({"co-repost": (events, edges)}, window=window, min_weight=weight)
    found = 0
    for members in planted.values():
        group = set(members)
        for cluster in detection.clusters:
            common = len(group & set(cluster.members))
            if common >= 0.8 * len(group) and common >= 0.8 * len(cluster.members):
                found += 1
                break
    planted_members = {m for members in planted.values() for m in members}
    scores = [c.score for c in detection.clusters
              if set(c.members) & planted_members]  # fmt: skip
    others = [c.score for c in detection.clusters if not set(c.members) & planted_members]
    return {
        "planted": len(planted), "found": found, "clusters": len(detection.clusters),
        "planted_scores": [min(scores, default=0), max(scores, default=0)],
        "other_cluster_scores": others, "cluster_weight": weight,
        "seconds": round(time.perf_counter() - started, 1),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--groups", type=int, default=10)
    parser.add_argument("--window", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cpus", type=int, default=os.cpu_count() or 1, help="toolkit workers")
    parser.add_argument("--cluster-weight", type=int, default=5)
    parser.add_argument("--no-toolkit", action="store_true", help="time ours only")
    args = parser.parse_args()
    toolkit = "" if args.no_toolkit else os.environ.get(
        "EDIPLOMACY_CNT_PYTHON", "/root/bw/cnt-venv/bin/python")  # fmt: skip
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        russian = scratch / "russian.csv"
        rows = convert_coortweet(
            SHARED / "coordination/coortweet/russian_coord_tweets.csv", russian
        )
        print(f"coortweet russian_coord_tweets: {rows} rows", flush=True)
        results.append(compare("coortweet", russian, "co-repost", args, toolkit, scratch))
        german = scratch / "german.csv"
        rows = convert_german(SHARED / "coordination/coortweet/german_elections.csv", german)
        print(f"coortweet german_elections: {rows} posts with URLs", flush=True)
        results.append(compare("german", german, "co-link", args, toolkit, scratch))
        generated = scratch / "generated.csv"
        planted = generate(generated, args.posts, args.groups).groups
        print(f"generated: {args.posts} posts, {args.groups} planted groups of 20", flush=True)
        results.append(compare("generated", generated, "co-repost", args, toolkit, scratch))
        results.append(compare("generated", generated, "co-link", args, toolkit, scratch,
                               compat=True))  # fmt: skip
        results.append(compare("generated", generated, "co-link", args, "", scratch))
        groups = planted_found(generated, planted, args.window, args.cluster_weight)
        print(f"planted groups found by the clusters: {groups['found']} of {groups['planted']} "
              f"({groups['clusters']} clusters, {groups['seconds']} s)", flush=True)  # fmt: skip
    out = REPO / "bench" / "out" / "coordination.json"
    out.parent.mkdir(exist_ok=True)
    body = {"posts": args.posts, "runs": args.runs, "cpus": args.cpus, "results": results,
            "planted": groups}  # fmt: skip
    out.write_text(json.dumps(body, indent=2) + "\n")
    print(f"written {out}")


if __name__ == "__main__":
    main()
