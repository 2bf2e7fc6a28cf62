"""Coordination networks: accounts that repost, post, link, tag or reply to the same thing at once.

A drop-in for the Coordination Network Toolkit (PyPI `coordination-network-toolkit` 1.5.2) on its
CSV input format, computed with numpy instead of SQLite self-joins.

Semantics, matched to the toolkit's SQL (`compute_networks.py`):

- An *event* is one message with one key: the reposted id (co-repost), the normalised text of a
  non-repost (co-tweet), one URL of a non-repost (co-link), one hashtag of a non-repost
  (co-hashtag), the replied-to id of a non-repost (co-reply).
- The directed weight of (user_1, user_2) is the number of distinct messages of user_1 that have
  at least one event of user_2 with the same key at most `window` seconds before or after
  (both ends included: `t2 between t1 - window and t1 + window`).
- So the two directions of a pair can differ. Self-loops are left out unless asked for; when
  asked for, a loop counts the account's messages that meet *another* of its own messages (the
  semantics of the toolkit's own test fixture). Toolkit 1.5.2 also lets every message meet
  itself, so with `--include_self_loops` every active account gets a loop; `compat=True` keeps that.
- `min_weight` is applied to each direction separately.
- Messages are de-duplicated on message_id, the first row wins (the toolkit's `insert or ignore`).
- URLs are the `urls` field split on spaces. The toolkit splits with `split(" ")`, so an empty
  field becomes the URL '' and links every URL-less post together (and a double space adds '').
  By default empty URLs are dropped; `compat=True` keeps the toolkit's behaviour.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import numpy as np
import numpy.typing as npt

from ediplomacy.domain.errors import EdiplomacyError

if TYPE_CHECKING:  # the database is optional here: a CSV run does not load SQLAlchemy
    from sqlalchemy.engine import Engine

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

CNT_COLUMNS = (
    "message_id",
    "user_id",
    "username",
    "repost_id",
    "reply_id",
    "message",
    "timestamp",
    "urls",
)

# The toolkit's `message_preprocessor`: drop @mentions, lowercase, collapse whitespace.
_MENTION = re.compile(r"@.*?(?=(?:\s|$))")
_HASHTAG = re.compile(r"#(\w+)")

# Pairs generated at once; bounds memory (about 40 bytes a pair while a chunk is worked on).
_PAIRS_PER_CHUNK = 8_000_000


class Network(StrEnum):
    CO_REPOST = "co-repost"
    CO_TWEET = "co-tweet"
    CO_LINK = "co-link"
    CO_HASHTAG = "co-hashtag"
    CO_REPLY = "co-reply"


@dataclass(frozen=True)
class Message:
    """One post in the toolkit's terms; repost_id/reply_id are '' when absent."""

    message_id: str
    user_id: str
    username: str
    repost_id: str
    reply_id: str
    message: str
    timestamp: float
    urls: tuple[str, ...] = ()
    hashtags: tuple[str, ...] | None = None  # None: taken from the text


@dataclass(frozen=True)
class Problem:
    """A row that could not be read: which file, which line, why. The row is skipped."""

    source: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.reason}"


@dataclass
class Edges:
    """A directed weighted edge list, sorted by (user_1, user_2)."""

    user_1: list[str]
    user_2: list[str]
    weight: list[int]
    users: int = 0  # accounts that took part in at least one event
    events: int = 0

    def __len__(self) -> int:
        return len(self.weight)

    def rows(self) -> Iterator[tuple[str, str, int]]:
        return zip(self.user_1, self.user_2, self.weight, strict=True)

    def nodes(self) -> set[str]:
        return set(self.user_1) | set(self.user_2)


@dataclass
class Reading:
    messages: list[Message] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def normalise_text(text: str) -> str:
    """The toolkit's co-tweet key: mentions removed, lowercased, whitespace collapsed."""
    return " ".join(_MENTION.sub("", text.lower()).split())


def split_urls(field_text: str, *, compat: bool = False) -> tuple[str, ...]:
    """Space-separated URLs; `compat` keeps the toolkit's empty URL ''."""
    if compat:
        return tuple(field_text.split(" "))
    return tuple(part for part in field_text.split(" ") if part)


def read_cnt_csv(path: Path, *, compat: bool = False) -> Reading:
    """Read a file in the toolkit's CSV input format (header row first, UTF-8, BOM allowed)."""
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as handle:
            return read_cnt_rows(handle, str(path), compat=compat)
    except FileNotFoundError:
        raise EdiplomacyError(f"{path}: no such file") from None
    except UnicodeDecodeError as error:
        raise EdiplomacyError(f"{path}: not UTF-8 text ({error.reason})") from None


def read_cnt_rows(handle: TextIO, source: str, *, compat: bool = False) -> Reading:
    reading = Reading()
    reader = csv.reader(handle)
    try:
        next(reader)  # the header, whatever it says (the toolkit skips it too)
    except StopIteration:
        return reading
    except csv.Error as error:
        reading.problems.append(Problem(source, 1, f"unreadable CSV: {error}"))
        return reading
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            reading.problems.append(Problem(source, reader.line_num, f"unreadable CSV: {error}"))
            continue
        line = reader.line_num
        if not row:
            continue
        if len(row) != 8:
            reading.problems.append(
                Problem(
                    source, line, f"expected 8 columns ({', '.join(CNT_COLUMNS)}), found {len(row)}"
                )
            )
            continue
        message_id, user_id, username, repost_id, reply_id, text, stamp, urls = row
        try:
            timestamp = float(stamp)
        except ValueError:
            reading.problems.append(Problem(source, line, f"timestamp {stamp!r} is not a number"))
            continue
        if not math.isfinite(timestamp):
            reading.problems.append(Problem(source, line, f"timestamp {stamp!r} is not finite"))
            continue
        reading.messages.append(
            Message(
                message_id,
                user_id,
                username,
                repost_id,
                reply_id,
                text,
                timestamp,
                split_urls(urls, compat=compat),
            )
        )
    return reading


class _Codes(dict[str, int]):
    """Strings to dense integer codes, in order of first appearance."""

    def code(self, value: str) -> int:
        found = self.get(value)
        if found is None:
            found = self[value] = len(self)
        return found


def _events(
    messages: Iterable[Message], network: Network
) -> tuple[_Codes, list[int], list[int], list[float], list[int]]:
    """Account codes, then (account, key, time, message index) per event, in the toolkit's
    preprocessing order."""
    user_codes = _Codes()
    key_codes = _Codes()
    users: list[int] = []
    keys: list[int] = []
    times: list[float] = []
    owners: list[int] = []
    seen: set[str] = set()
    link_seen: set[tuple[str, str]] = set()
    # Co-link owners are (message_id, user_id): the toolkit counts distinct message ids per user.
    owner_codes = _Codes()
    count = 0
    for message in messages:
        first = message.message_id not in seen
        if network is Network.CO_LINK:
            # message_url rows are keyed (message_id, url): the first row carrying a URL wins,
            # even a later duplicate message_id's row (as the toolkit's preprocess does).
            if message.repost_id:
                seen.add(message.message_id)
                continue
            for url in message.urls:
                if (message.message_id, url) in link_seen:
                    continue
                link_seen.add((message.message_id, url))
                users.append(user_codes.code(message.user_id))
                keys.append(key_codes.code(url))
                times.append(message.timestamp)
                owners.append(owner_codes.code(message.message_id + "\x00" + message.user_id))
            seen.add(message.message_id)
            continue
        if not first:
            continue
        seen.add(message.message_id)
        event_keys: Iterable[str]
        if network is Network.CO_REPOST:
            event_keys = (message.repost_id,) if message.repost_id else ()
        elif message.repost_id:
            event_keys = ()
        elif network is Network.CO_TWEET:
            event_keys = (normalise_text(message.message),)
        elif network is Network.CO_REPLY:
            event_keys = (message.reply_id,) if message.reply_id else ()
        else:
            tags = message.hashtags
            if tags is None:
                tags = tuple(_HASHTAG.findall(message.message))
            event_keys = dict.fromkeys(tag.lower().lstrip("#") for tag in tags if tag)
        for key in event_keys:
            users.append(user_codes.code(message.user_id))
            keys.append(key_codes.code(key))
            times.append(message.timestamp)
            owners.append(count)
        count += 1
    return user_codes, users, keys, times, owners


def _check(window: float, min_weight: int) -> None:
    if window < 0:
        raise EdiplomacyError("the window must be 0 seconds or more")
    if min_weight < 1:
        raise EdiplomacyError("the minimum weight must be 1 or more")


def compute(
    messages: Iterable[Message],
    network: Network,
    *,
    window: float,
    min_weight: int = 1,
    self_loops: bool = False,
    compat: bool = False,
) -> Edges:
    """The directed weighted edge list, the toolkit's way (see the module docstring)."""
    _check(window, min_weight)
    user_codes, users, keys, times, owners = _events(messages, network)
    if not users:
        return Edges([], [], [], 0, 0)
    return _edges(
        list(user_codes),
        np.asarray(users, dtype=np.int64),
        np.asarray(keys, dtype=np.int64),
        np.asarray(times, dtype=np.float64),
        np.asarray(owners, dtype=np.int64),
        window=window,
        min_weight=min_weight,
        self_loops=self_loops,
        same_message=compat,
    )


def _edges(
    names: list[str],
    user: IntArray,
    key: IntArray,
    time: FloatArray,
    owner: IntArray,
    *,
    window: float,
    min_weight: int,
    self_loops: bool,
    same_message: bool,
) -> Edges:
    n_users = len(names)
    # Sort events by (key, time); window bounds become positions in that order.
    order = np.lexsort((time, key))
    key, time, user, owner = key[order], time[order], user[order], owner[order]
    stamps = np.unique(time)
    span = np.int64(len(stamps) + 1)
    code = key * span + np.searchsorted(stamps, time, side="left").astype(np.int64)
    low = np.searchsorted(code, key * span + np.searchsorted(stamps, time - window, side="left"))
    high = np.searchsorted(code, key * span + np.searchsorted(stamps, time + window, side="right"))
    counts = (high - low).astype(np.int64)
    # Only events whose window holds another event can yield more than a self-loop.
    # Work through the events grouped by message so that one message's events share a chunk
    # (its matches are counted once per other account, whichever of its URLs matched).
    by_owner = np.argsort(owner, kind="stable")
    cumulative = np.cumsum(counts[by_owner])
    totals: list[IntArray] = []
    weights: list[IntArray] = []
    start = 0
    n = len(by_owner)
    owner_sorted = owner[by_owner]
    author_of = np.zeros(int(owner.max()) + 1, dtype=np.int64)
    author_of[owner] = user
    while start < n:
        limit = (cumulative[start - 1] if start else 0) + _PAIRS_PER_CHUNK
        stop = int(np.searchsorted(cumulative, limit, side="right"))
        stop = max(stop, start + 1)
        # Do not split one message's events across chunks.
        if stop < n:
            stop = int(np.searchsorted(owner_sorted, owner_sorted[stop - 1], side="right"))
        chosen = by_owner[start:stop]
        edge_codes, edge_weights = _chunk(
            chosen, low, counts, user, owner, author_of, n_users, same_message
        )
        totals.append(edge_codes)
        weights.append(edge_weights)
        start = stop
        if len(totals) > 8:
            merged = _merge(totals, weights)
            totals, weights = [merged[0]], [merged[1]]
    edge_codes, edge_weights = _merge(totals, weights)
    keep = edge_weights >= min_weight
    first = edge_codes // n_users
    second = edge_codes % n_users
    if not self_loops:
        keep &= first != second
    first, second, edge_weights = first[keep], second[keep], edge_weights[keep]
    # Order by the account names (the toolkit's table is ordered by its key (user_1, user_2)).
    rank = np.empty(n_users, dtype=np.int64)
    rank[np.argsort(np.asarray(names, dtype=object), kind="stable")] = np.arange(n_users)
    order = np.lexsort((rank[second], rank[first]))
    name_array = np.asarray(names, dtype=object)
    return Edges(
        name_array[first[order]].tolist(),
        name_array[second[order]].tolist(),
        edge_weights[order].astype(int).tolist(),
        users=n_users,
        events=len(user),
    )


def _chunk(
    chosen: IntArray,
    low: IntArray,
    counts: IntArray,
    user: IntArray,
    owner: IntArray,
    author_of: IntArray,
    n_users: int,
    same_message: bool,
) -> tuple[IntArray, IntArray]:
    """Edge codes (user_1 * n + user_2) and their weights for the chosen events."""
    per = counts[chosen]
    total = int(per.sum())
    if total == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    source = np.repeat(chosen, per)
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(per) - per, per)
    target = np.repeat(low[chosen], per) + offsets
    if not same_message:
        other = owner[source] != owner[target]
        source, target = source[other], target[other]
    # One count per (message, other account): unique pairs, then count per account pair.
    pair = np.unique(owner[source] * np.int64(n_users) + user[target])
    edge = author_of[pair // n_users] * np.int64(n_users) + pair % n_users
    codes, weights = np.unique(edge, return_counts=True)
    return codes, weights.astype(np.int64)


def _merge(codes: list[IntArray], weights: list[IntArray]) -> tuple[IntArray, IntArray]:
    if not codes:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    if len(codes) == 1:
        return codes[0], weights[0]
    joined = np.concatenate(codes)
    joined_weights = np.concatenate(weights)
    unique, inverse = np.unique(joined, return_inverse=True)
    summed = np.bincount(inverse, weights=joined_weights, minlength=len(unique))
    return unique, summed.astype(np.int64)


def write_edges(edges: Edges, handle: TextIO) -> None:
    """CSV with a header user_1,user_2,weight."""
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(["user_1", "user_2", "weight"])
    writer.writerows(edges.rows())


def messages_from_database(
    engine: Engine,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    platform: str | None = None,
) -> Iterator[Message]:
    """Stored posts as messages: ids carry the platform (`x:123`), URLs are the canonical ones,
    hashtags the ones the collector recorded."""
    from ediplomacy.store.coordination import coordination_posts

    for post in coordination_posts(engine, since=since, until=until, platform=platform):
        prefix = f"{post.platform}:"
        yield Message(
            prefix + post.external_id,
            prefix + post.author_external_id,
            post.author_handle,
            prefix + post.repost_of_external_id if post.repost_of_external_id else "",
            prefix + post.reply_to_external_id if post.reply_to_external_id else "",
            post.text,
            post.created_at.timestamp(),
            post.canonical_urls,
            post.hashtags,
        )


def compute_file(
    path: Path,
    network: Network,
    *,
    window: float,
    min_weight: int = 1,
    self_loops: bool = False,
    compat: bool = False,
) -> tuple[Edges, list[Problem], int]:
    """Edges straight from a toolkit CSV: (edges, rows skipped, posts read).

    Well-formed files are read column-wise with Arrow's CSV reader (C++, no Python object per
    row); a file Arrow cannot read cleanly (a bad row, a timestamp only Python's float() reads,
    NaN) is read row by row instead, so every bad row is reported with its line and skipped.
    Both ways give the same edges (the toolkit-parity tests run both).
    """
    _check(window, min_weight)
    columns = _arrow_columns(path, network, compat=compat)
    if columns is None:
        reading = read_cnt_csv(path, compat=compat)
        edges = compute(
            reading.messages,
            network,
            window=window,
            min_weight=min_weight,
            self_loops=self_loops,
            compat=compat,
        )
        return edges, reading.problems, len(reading.messages)
    names, user, key, time, owner, posts = columns
    if user.size == 0:
        return Edges([], [], [], 0, 0), [], posts
    edges = _edges(
        names,
        user,
        key,
        time,
        owner,
        window=window,
        min_weight=min_weight,
        self_loops=self_loops,
        same_message=compat,
    )
    return edges, [], posts


def _no_events() -> tuple[IntArray, IntArray, FloatArray, IntArray]:
    empty = np.empty(0, np.int64)
    return empty, empty, np.empty(0, np.float64), empty


def _arrow_columns(
    path: Path, network: Network, *, compat: bool
) -> tuple[list[str], IntArray, IntArray, FloatArray, IntArray, int] | None:
    """(account names, account, key, time, owner, posts) per event, or None to read row by row."""
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv as pacsv

    if not path.is_file():
        raise EdiplomacyError(f"{path}: no such file")
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(
                column_names=list(CNT_COLUMNS), skip_rows=1, encoding="utf8"
            ),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in CNT_COLUMNS},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        stamps = pc.cast(pc.utf8_trim_whitespace(table["timestamp"]), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return None
    time_all = stamps.to_numpy(zero_copy_only=False).astype(np.float64)
    if not np.isfinite(time_all).all():
        return None
    posts = table.num_rows
    if posts == 0:
        return ([], *_no_events(), 0)

    def codes(column: pa.ChunkedArray | pa.Array) -> tuple[IntArray, list[str]]:
        if isinstance(column, pa.ChunkedArray):
            column = column.combine_chunks()
        encoded = pc.dictionary_encode(column)
        return (
            encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64),
            encoded.dictionary.to_pylist(),
        )

    message, _ = codes(table["message_id"])
    user_all, user_names = codes(table["user_id"])
    is_repost = pc.not_equal(table["repost_id"], "").to_numpy(zero_copy_only=False)
    # First row per message_id wins (the toolkit's `insert or ignore`).
    _, first_rows = np.unique(message, return_index=True)
    first = np.zeros(posts, dtype=bool)
    first[first_rows] = True
    n_users = np.int64(len(user_names))

    if network is Network.CO_LINK:
        rows = np.flatnonzero(~is_repost)
        if rows.size == 0:
            return (user_names, *_no_events(), posts)
        urls = pc.split_pattern(pc.take(table["urls"], pa.array(rows)), " ")
        urls = urls.combine_chunks() if isinstance(urls, pa.ChunkedArray) else urls
        parents = rows[pc.list_parent_indices(urls).to_numpy(zero_copy_only=False)]
        flat = pc.list_flatten(urls)
        url_codes, url_names = codes(flat)
        if not compat and "" in url_names:
            keep = url_codes != url_names.index("")
            parents, url_codes = parents[keep], url_codes[keep]
        # message_url is keyed (message_id, url): the first row carrying the pair wins.
        pair = message[parents] * np.int64(len(url_names) + 1) + url_codes
        _, first_pairs = np.unique(pair, return_index=True)
        first_pairs.sort()
        parents, key = parents[first_pairs], url_codes[first_pairs]
        owner_pair = message[parents] * n_users + user_all[parents]
        _, owner = np.unique(owner_pair, return_inverse=True)
        return user_names, user_all[parents], key, time_all[parents], owner.astype(np.int64), posts

    if network is Network.CO_REPOST:
        rows = np.flatnonzero(first & is_repost)
        key_column = pc.take(table["repost_id"], pa.array(rows))
        key, _ = codes(key_column)
    elif network is Network.CO_REPLY:
        has_reply = pc.not_equal(table["reply_id"], "").to_numpy(zero_copy_only=False)
        rows = np.flatnonzero(first & ~is_repost & has_reply)
        key, _ = codes(pc.take(table["reply_id"], pa.array(rows)))
    elif network is Network.CO_TWEET:
        rows = np.flatnonzero(first & ~is_repost)
        raw, texts = codes(pc.take(table["message"], pa.array(rows)))
        normalised = _Codes()
        text_keys = np.asarray([normalised.code(normalise_text(t)) for t in texts], np.int64)
        key = text_keys[raw] if raw.size else np.empty(0, np.int64)
    else:
        candidates = np.flatnonzero(first & ~is_repost)
        raw, texts = codes(pc.take(table["message"], pa.array(candidates)))
        tags_of = [
            list(dict.fromkeys(tag.lower() for tag in _HASHTAG.findall(text))) for text in texts
        ]
        tag_codes = _Codes()
        per_text = [[tag_codes.code(tag) for tag in tags] for tags in tags_of]
        counts = np.asarray([len(tags) for tags in per_text], dtype=np.int64)[raw]
        rows = np.repeat(candidates, counts)
        key = np.asarray([code for index in raw for code in per_text[index]], dtype=np.int64)
    return user_names, user_all[rows], key, time_all[rows], rows.astype(np.int64), posts
