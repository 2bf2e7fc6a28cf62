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
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import numpy as np

from ediplomacy.domain.errors import EdiplomacyError
from ediplomacy.integrity.coordination_engine import (
    Progress,
    directed_edges,
    small_pages,
    windows,
)
from ediplomacy.integrity.coordination_export import write_edges_csv as write_edges
from ediplomacy.integrity.coordination_model import (
    CNT_COLUMNS,
    Codes,
    Edges,
    Events,
    Message,
    Network,
    Problem,
    Reading,
    check_parameters,
    hashtags_of,
    normalise_text,
    ranks,
    split_urls,
)

if TYPE_CHECKING:  # the database is optional here: a CSV run does not load SQLAlchemy
    from sqlalchemy.engine import Engine

__all__ = [
    "CNT_COLUMNS", "Edges", "Events", "Message", "Network", "Problem", "Reading", "compute",
    "compute_file", "edges_of", "events_of", "messages_from_database", "normalise_text",
    "read_cnt_csv", "read_cnt_rows", "split_urls", "write_edges",
]  # fmt: skip


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


def events_of(messages: Iterable[Message], network: Network) -> Events:
    """Events in the toolkit's preprocessing order (co-similar: see coordination_similar)."""
    if network is Network.CO_SIMILAR:
        raise ValueError("co-similar events come from ediplomacy.integrity.coordination_similar")
    user_codes, key_codes, message_codes = Codes(), Codes(), Codes()
    users: list[int] = []
    keys: list[int] = []
    times: list[float] = []
    owners: list[int] = []
    rows: list[int] = []
    seen: set[str] = set()
    link_seen: set[tuple[str, str]] = set()
    post_ids: list[int] = []
    handles: dict[str, str] = {}
    # Co-link owners are (message_id, user_id): the toolkit counts distinct message ids per user.
    owner_codes = Codes()
    count = read = 0
    for message in messages:
        read += 1
        first = message.message_id not in seen
        row = message_codes.code(message.message_id)
        if row == len(post_ids):
            post_ids.append(-1 if message.post_id is None else message.post_id)
        user_codes.code(message.user_id)
        handles.setdefault(message.user_id, message.username)
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
                users.append(user_codes[message.user_id])
                keys.append(key_codes.code(url))
                times.append(message.timestamp)
                owners.append(owner_codes.code(message.message_id + "\x00" + message.user_id))
                rows.append(row)
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
        elif message.hashtags is None:
            event_keys = hashtags_of(message.message)
        else:
            event_keys = dict.fromkeys(
                tag.lower().lstrip("#") for tag in message.hashtags if tag.lstrip("#")
            )
        for key in event_keys:
            users.append(user_codes[message.user_id])
            keys.append(key_codes.code(key))
            times.append(message.timestamp)
            owners.append(count)
            rows.append(row)
        count += 1
    names, rank = ranks(list(user_codes))
    user = np.asarray(users, dtype=np.int64)
    return Events(
        names,
        rank[user] if user.size else user,
        np.asarray(keys, dtype=np.int64),
        np.asarray(times, dtype=np.float64),
        np.asarray(owners, dtype=np.int64),
        np.asarray(rows, dtype=np.int64),
        list(key_codes),
        list(message_codes),
        read,
        [handles[name] for name in names],
        post_ids if any(post_id >= 0 for post_id in post_ids) else None,
    )


def edges_of(
    events: Events,
    *,
    window: float,
    min_weight: int = 1,
    self_loops: bool = False,
    same_message: bool = False,
    progress: Progress | None = None,
) -> Edges:
    """The directed weighted edge list of these events (see the module docstring)."""
    check_parameters(window, min_weight)
    if len(events) == 0:
        return Edges.empty(events.names)
    # A message meeting itself (compat) only ever adds to self-loops: without them, skip it.
    same_message = same_message and self_loops
    with small_pages():
        found = windows(events.user, events.key, events.time, events.owner, window)
        first, second, weight = directed_edges(
            found,
            len(events.names),
            window=window,
            min_weight=min_weight,
            self_loops=self_loops,
            same_message=same_message,
            progress=progress,
        )
    users = int(np.unique(events.user).size)
    return Edges(events.names, first, second, weight, users=users, events=len(events))


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
    check_parameters(window, min_weight)
    if network is Network.CO_SIMILAR:
        from ediplomacy.integrity.coordination_similar import similar_text_events

        return edges_of(similar_text_events(list(messages), window), window=window,
                        min_weight=min_weight, self_loops=self_loops)  # fmt: skip
    return edges_of(
        events_of(messages, network),
        window=window,
        min_weight=min_weight,
        self_loops=self_loops,
        same_message=compat,
    )


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
            post.id,
        )


def file_events(path: Path, network: Network, *, window: float, compat: bool = False,
                handles: bool = False) -> tuple[Events, list[Problem]]:  # fmt: skip
    """Events straight from a toolkit CSV, and the rows skipped.

    Well-formed files are streamed column-wise with Arrow (coordination_arrow); a file Arrow
    cannot read cleanly is read row by row instead, so every bad row is reported with its line
    and skipped. Both ways give the same edges (the toolkit-parity tests run both).
    """
    from ediplomacy.integrity.coordination_arrow import (
        events_from_columns,
        handles_of,
        read_columns,
    )

    columns = read_columns(path, network, handles=handles)
    if columns is None:
        reading = read_cnt_csv(path, compat=compat)
        if network is Network.CO_SIMILAR:
            from ediplomacy.integrity.coordination_similar import similar_text_events

            events = similar_text_events(reading.messages, window)
        else:
            events = events_of(reading.messages, network)
        if handles:
            first_handle: dict[str, str] = {}
            for message in reading.messages:
                first_handle.setdefault(message.user_id, message.username)
            events.handles = [first_handle.get(name, "") for name in events.names]
        return events, reading.problems
    if network is Network.CO_SIMILAR:
        from ediplomacy.integrity.coordination_similar import similar_column_events

        events = similar_column_events(columns, window)
    else:
        events = events_from_columns(columns, network, compat=compat)
    if handles:
        events.handles = handles_of(columns)
    return events, []


def compute_file(
    path: Path,
    network: Network,
    *,
    window: float,
    min_weight: int = 1,
    self_loops: bool = False,
    compat: bool = False,
    progress: Progress | None = None,
) -> tuple[Edges, list[Problem], int]:
    """Edges straight from a toolkit CSV: (edges, rows skipped, posts read)."""
    check_parameters(window, min_weight)
    with small_pages():
        events, problems = file_events(path, network, window=window, compat=compat)
    edges = edges_of(
        events,
        window=window,
        min_weight=min_weight,
        self_loops=self_loops,
        same_message=compat and network is not Network.CO_SIMILAR,
        progress=progress,
    )
    return edges, problems, events.posts
