"""Generated posts in the toolkit's CSV format, dense like a real X collection, with planted groups.

    .venv/bin/python bench/coordination_data.py OUT.csv [--posts 1000000] [--groups 10]

The background imitates a week of X around a big event: ordinary accounts (activity drawn from a
heavy-tailed law) post, reply, and above all retweet in cascades: a popular post is retweeted
hundreds of times, most of it in its first minutes, so strangers co-retweet it seconds apart.
At 1,000,000 posts this gives about as many co-retweet edges at window 60 as the issue measured
(14.8 million directed edges); the cascade rate is set for that.

Planted groups (accounts `net{g}_m{k}`, 20 each by default) act together again and again: a
member posts a text with a link and a hashtag, other members retweet it within seconds and post
near-copies of the text with the same link. Their edges are heavy (tens of co-actions per pair),
the background's light (a pair of strangers meets once or twice). Everything is drawn with numpy
from one seed, so a size and a seed give the same file.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pacsv

WEEK_S = 7 * 86_400
START = 1_795_000_000  # an arbitrary epoch second; only differences matter
GROUP_SIZE = 20
HEADER = ("message_id", "user_id", "username", "repost_id", "reply_id", "message", "timestamp",
          "urls")  # fmt: skip
WORDS = (  # noqa: SIM905 (a paragraph is easier to read than a list)
    "earthquake qadira evacuation flight embassy consulate citizens help shelter water news "
    "minister statement support solidarity rescue team hospital road closed airport open "
    "queue fee free ticket rumour official update photo video live pray families workers "
    "border volunteers donation aid ferry visa passport hotline safe missing found night "
    "morning"
).split()
TAGS = ("qadira", "gempa", "evacuation", "sagarajaya", "almaraya", "aid", "breaking")


@dataclass
class Planted:
    """The planted groups: member user ids per group."""

    groups: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"groups": self.groups})


def _texts(rng: np.random.Generator, count: int) -> list[str]:
    lengths = rng.integers(6, 18, count)
    words = rng.integers(0, len(WORDS), int(lengths.sum()))
    tags = rng.integers(0, len(TAGS), count)
    out, at = [], 0
    for index, length in enumerate(lengths):
        text = " ".join(WORDS[w] for w in words[at : at + length])
        at += length
        if index % 3 == 0:
            text += f" #{TAGS[tags[index]]}"
        out.append(text)
    return out


def generate(
    out: Path, posts: int = 1_000_000, groups: int = 10, seed: int = 7, rate: float = 0.5
) -> Planted:
    """Write `posts` rows to `out`; `rate` is the cascades' retweets per second at their start
    relative to their size (higher: denser co-retweet network)."""
    rng = np.random.default_rng(seed)
    users = max(2_000, posts // 10)
    planted = Planted()
    bursts_per_group = 40
    # Planted bursts: seed, retweets (10-18 members) and near-copies (3-6 members).
    group_rows: list[tuple[int, int, int, int, float, int]] = []  # kind, user, ref, text, t, url
    group_users = users
    for g in range(groups):
        members = [group_users + g * GROUP_SIZE + k for k in range(GROUP_SIZE)]
        planted.groups[f"net{g + 1}"] = [str(10_000_000 + m) for m in members]
        for _ in range(bursts_per_group):
            t0 = START + rng.uniform(0, WEEK_S - 600)
            order = rng.permutation(members)
            seeder = int(order[0])
            url = int(rng.integers(0, 1_000_000))
            group_rows.append((0, seeder, -1, g, t0, url))
            at = t0
            for member in order[1 : 1 + rng.integers(3, 7)]:
                at += rng.uniform(0.8, 4.0)
                group_rows.append((1, int(member), -1, g, at, url))
            for member in order[1 : 1 + rng.integers(10, 19)]:
                group_rows.append(
                    (2, int(member), -1, g, t0 + 2 + min(rng.exponential(8.0), 58), url)
                )
    n_background = posts - len(group_rows)
    n_retweets = int(n_background * 0.6)
    n_replies = int(n_background * 0.1)
    n_originals = n_background - n_retweets - n_replies
    activity = rng.pareto(1.3, users) + 1
    activity /= activity.sum()
    # Originals: random accounts and times; a third with a link from a heavy-tailed pool.
    orig_user = rng.choice(users, n_originals, p=activity)
    orig_time = START + rng.uniform(0, WEEK_S, n_originals)
    text_pool = _texts(rng, 50_000)
    orig_text = rng.integers(0, len(text_pool), n_originals)
    url_pool = max(1_000, posts // 20)
    orig_url = np.where(
        rng.random(n_originals) < 0.35,
        np.minimum(rng.zipf(1.6, n_originals) - 1, url_pool - 1) + 1_000_000,
        -1,
    )
    # Cascades: each picks an original and draws its retweets' delays from an exponential law;
    # sizes are heavy-tailed. A retweet meets about 60 * size / tau others within +-60 s.
    sizes: list[int] = []
    total = 0
    while total < n_retweets:
        size = int(min(5_000, 20 + rng.pareto(1.5) * 120))
        size = min(size, n_retweets - total)
        sizes.append(size)
        total += size
    size_array = np.asarray(sizes)
    targets = rng.integers(0, n_originals, len(sizes))
    tau = np.maximum(size_array / rate, 120.0)
    rt_target = np.repeat(targets, size_array)
    rt_time = orig_time[rt_target] + rng.exponential(1.0, n_retweets) * np.repeat(tau, size_array)
    rt_user = rng.choice(users, n_retweets, p=activity)
    reply_target = rng.integers(0, n_originals, n_replies)
    reply_time = orig_time[reply_target] + rng.exponential(3_600, n_replies)
    reply_user = rng.choice(users, n_replies, p=activity)
    reply_text = rng.integers(0, len(text_pool), n_replies)

    def message_ids(count: int, offset: int) -> np.ndarray:
        return (np.arange(count, dtype=np.int64) + offset) * 7 + 1_000_000_000_000

    orig_ids = message_ids(n_originals, 0)
    rt_ids = message_ids(n_retweets, n_originals)
    reply_ids = message_ids(n_replies, n_originals + n_retweets)
    group_ids = message_ids(len(group_rows), n_originals + n_retweets + n_replies)
    group_texts = [
        f"{' '.join(WORDS[(g * 7 + i) % len(WORDS)] for i in range(12))} #{TAGS[g % len(TAGS)]}"
        for g in range(max(groups, 1))
    ]
    names = [f"user{u}" for u in range(users)] + [
        f"net{g + 1}_m{k:02d}" for g in range(groups) for k in range(GROUP_SIZE)
    ]
    uid = np.arange(users + groups * GROUP_SIZE, dtype=np.int64) + 10_000_000

    def url_text(codes: np.ndarray) -> list[str]:
        return [f"https://news{c % 97}.example/a/{c}" if c >= 0 else "" for c in codes.tolist()]

    if group_rows:
        kinds, g_user, _g_ref, g_text, g_time, g_url = (
            np.asarray(column) for column in zip(*group_rows, strict=True)
        )
    else:
        kinds = g_user = g_text = g_url = np.empty(0, np.int64)
        g_time = np.empty(0, np.float64)
    # Retweets point at their burst's seed, the last seed row before them.
    seeds = np.flatnonzero(kinds == 0)
    seed_of = seeds[np.maximum(np.searchsorted(seeds, np.arange(len(kinds)), side="right") - 1, 0)]
    g_repost = np.where(kinds == 2, group_ids[seed_of] if len(kinds) else kinds, -1)
    g_message = [
        "" if k == 2 else (group_texts[t] if k == 0 else f"{group_texts[t]} {'!' * (i % 3 + 1)}")
        for i, (k, t) in enumerate(zip(kinds.tolist(), g_text.tolist(), strict=True))
    ]
    columns = {
        "message_id": np.concatenate([orig_ids, rt_ids, reply_ids, group_ids]),
        "user": np.concatenate([orig_user, rt_user, reply_user, g_user]).astype(np.int64),
        "repost": np.concatenate(
            [np.full(n_originals, -1), orig_ids[rt_target], np.full(n_replies, -1), g_repost]
        ),
        "reply": np.concatenate(
            [
                np.full(n_originals + n_retweets, -1),
                orig_ids[reply_target],
                np.full(len(group_rows), -1),
            ]
        ),
        "time": np.concatenate([orig_time, rt_time, reply_time, g_time]),
    }
    messages = (
        [text_pool[i] for i in orig_text.tolist()]
        + [""] * n_retweets
        + [text_pool[i] for i in reply_text.tolist()]
        + g_message
    )
    urls = (
        url_text(orig_url)
        + [""] * (n_retweets + n_replies)
        + url_text(np.where(kinds == 2, -1, g_url))
    )
    order = np.argsort(columns["time"], kind="stable")
    user = columns["user"][order]

    def ids(values: np.ndarray) -> pa.Array:
        strings = pa.array(values.astype(str))
        return pc.if_else(pa.array(values < 0), "", strings)

    table = pa.table(
        {
            "message_id": pa.array(columns["message_id"][order].astype(str)),
            "user_id": pa.array(uid[user].astype(str)),
            "username": pa.array(np.asarray(names, dtype=object)[user]),
            "repost_id": ids(columns["repost"][order]),
            "reply_id": ids(columns["reply"][order]),
            "message": pa.array(np.asarray(messages, dtype=object)[order]),
            "timestamp": pa.array(np.round(columns["time"][order], 3)),
            "urls": pa.array(np.asarray(urls, dtype=object)[order]),
        }
    )
    pacsv.write_csv(table, out, pacsv.WriteOptions(quoting_style="needed"))
    return planted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--groups", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rate", type=float, default=0.5)
    args = parser.parse_args()
    planted = generate(args.out, args.posts, args.groups, args.seed, args.rate)
    args.out.with_suffix(".planted.json").write_text(planted.to_json() + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
