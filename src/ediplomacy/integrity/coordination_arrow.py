"""Toolkit CSV files read column-wise and streamed with Arrow's CSV reader (C++).

Only the columns a network needs are kept (a co-repost run never builds the message texts), a
block at a time, so memory grows with the number of actions, not with the file's size. A file
Arrow cannot read cleanly (a bad row, a timestamp only Python's float() reads, NaN) gives None:
the caller then reads it row by row and reports every bad row with its line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pacsv

from ediplomacy.domain.errors import EdiplomacyError
from ediplomacy.integrity.coordination_model import (
    CNT_COLUMNS,
    Codes,
    Events,
    IntArray,
    Network,
    hashtags_of,
    normalise_text,
)

BLOCK_BYTES = 4 << 20
_ARROW_ERRORS = (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError)


class Labels(Sequence[str]):
    """Strings held by Arrow, read one at a time (no Python string per row up front)."""

    def __init__(self, values: pa.Array) -> None:
        self.values = values

    def __len__(self) -> int:
        return len(self.values)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [str(value) for value in self.values[index].to_pylist()]
        return str(self.values[index].as_py())


@dataclass
class Columns:
    """The kept columns of a file, one entry per row."""

    message: IntArray  # message_id codes, in order of first appearance
    message_ids: pa.Array
    user: IntArray  # account codes ranked by name
    names: list[str]
    time: np.ndarray
    is_repost: np.ndarray
    first: np.ndarray  # the first row of its message_id (the toolkit's `insert or ignore`)
    table: pa.Table  # the other kept columns (repost_id, reply_id, message, urls, username)

    @property
    def rows(self) -> int:
        return len(self.message)


def needed_columns(network: Network, *, handles: bool = False) -> list[str]:
    needed = ["message_id", "user_id", "repost_id", "timestamp"]
    if network is Network.CO_REPLY:
        needed.append("reply_id")
    elif network is Network.CO_LINK:
        needed.append("urls")
    elif network in (Network.CO_TWEET, Network.CO_HASHTAG, Network.CO_SIMILAR):
        needed.append("message")
    if handles:
        needed.append("username")
    return needed


def _codes(column: pa.ChunkedArray | pa.Array) -> tuple[IntArray, pa.Array]:
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks else pa.array([], pa.string())
    encoded = pc.dictionary_encode(column)
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64), encoded.dictionary


def _first_of_codes(codes: IntArray) -> np.ndarray:
    """True at the first row of each code (codes are numbered in order of first appearance)."""
    if codes.size == 0:
        return np.zeros(0, dtype=bool)
    running = np.maximum.accumulate(codes)
    first = np.empty(codes.size, dtype=bool)
    first[0] = True
    np.greater(running[1:], running[:-1], out=first[1:])
    return first


def read_columns(path: Path, network: Network, *, handles: bool = False) -> Columns | None:
    """The file's kept columns, or None when Arrow cannot read it cleanly."""
    if not path.is_file():
        raise EdiplomacyError(f"{path}: no such file")
    needed = needed_columns(network, handles=handles)
    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(
                column_names=list(CNT_COLUMNS), skip_rows=1, encoding="utf8",
                block_size=BLOCK_BYTES,
            ),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in CNT_COLUMNS},
                include_columns=needed, strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )  # fmt: skip
        kept: dict[str, list[pa.Array]] = {name: [] for name in needed if name != "timestamp"}
        times: list[np.ndarray] = []
        for batch in reader:
            for name, chunks in kept.items():
                chunks.append(batch.column(name))
            stamps = pc.cast(pc.utf8_trim_whitespace(batch.column("timestamp")), pa.float64())
            times.append(stamps.to_numpy(zero_copy_only=False).astype(np.float64))
    except _ARROW_ERRORS:
        return None
    time = np.concatenate(times) if times else np.empty(0, np.float64)
    if not np.isfinite(time).all():
        return None
    columns = {name: pa.chunked_array(chunks, pa.string()) for name, chunks in kept.items()}
    message, message_ids = _codes(columns.pop("message_id"))
    user_first_seen, user_names = _codes(columns.pop("user_id"))
    order = pc.sort_indices(user_names).to_numpy(zero_copy_only=False)
    rank = np.empty(len(user_names), dtype=np.int64)
    rank[order] = np.arange(len(user_names), dtype=np.int64)
    names = [str(name) for name in user_names.take(pa.array(order)).to_pylist()]
    is_repost = pc.not_equal(columns["repost_id"], "").to_numpy(zero_copy_only=False)
    return Columns(
        message, message_ids, rank[user_first_seen] if rank.size else user_first_seen, names,
        time, np.asarray(is_repost, dtype=bool), _first_of_codes(message),
        pa.table({name: column for name, column in columns.items()}),
    )  # fmt: skip


def handles_of(columns: Columns) -> list[str]:
    """The first username seen for each account code ('' without the username column)."""
    if "username" not in columns.table.column_names or columns.rows == 0:
        return [""] * len(columns.names)
    _, rows = np.unique(columns.user, return_index=True)
    usernames = columns.table.column("username").take(pa.array(rows))
    return [str(name) for name in usernames.to_pylist()]


def events_from_columns(columns: Columns, network: Network, *, compat: bool) -> Events:
    """Events for the toolkit's networks (co-similar has its own module)."""
    if network is Network.CO_SIMILAR:
        raise ValueError("co-similar events come from ediplomacy.integrity.coordination_similar")
    table, posts = columns.table, columns.rows
    if posts == 0:
        return Events.empty(columns.names, 0)
    message_ids = Labels(columns.message_ids)

    def events(rows: IntArray, key: IntArray, labels: Sequence[str]) -> Events:
        return Events(columns.names, columns.user[rows], key, columns.time[rows], rows,
                      columns.message[rows], labels, message_ids, posts)  # fmt: skip

    if network is Network.CO_LINK:
        rows = np.flatnonzero(~columns.is_repost)
        if rows.size == 0:
            return Events.empty(columns.names, posts)
        urls = pc.split_pattern(table.column("urls").take(pa.array(rows)), " ")
        urls = urls.combine_chunks() if isinstance(urls, pa.ChunkedArray) else urls
        parents = rows[pc.list_parent_indices(urls).to_numpy(zero_copy_only=False)]
        url_codes, url_names = _codes(pc.list_flatten(urls))
        if not compat:
            empty = pc.index(url_names, "").as_py()
            if empty >= 0:
                keep = url_codes != empty
                parents, url_codes = parents[keep], url_codes[keep]
        # message_url is keyed (message_id, url): the first row carrying the pair wins.
        pair = columns.message[parents] * np.int64(len(url_names) + 1) + url_codes
        _, first_pairs = np.unique(pair, return_index=True)
        first_pairs.sort()
        parents, key = parents[first_pairs], url_codes[first_pairs]
        # The toolkit counts distinct (message_id, user_id): that is the owner.
        owner_pair = columns.message[parents] * np.int64(len(columns.names)) + columns.user[parents]
        _, owner = np.unique(owner_pair, return_inverse=True)
        found = events(parents, key, Labels(url_names))
        found.owner = owner.astype(np.int64).reshape(-1)
        return found
    first = columns.first
    if network is Network.CO_REPOST:
        rows = np.flatnonzero(first & columns.is_repost)
        key, labels = _codes(table.column("repost_id").take(pa.array(rows)))
        return events(rows, key, Labels(labels))
    if network is Network.CO_REPLY:
        has_reply = pc.not_equal(table.column("reply_id"), "").to_numpy(zero_copy_only=False)
        rows = np.flatnonzero(first & ~columns.is_repost & has_reply)
        key, labels = _codes(table.column("reply_id").take(pa.array(rows)))
        return events(rows, key, Labels(labels))
    candidates = np.flatnonzero(first & ~columns.is_repost)
    raw, texts = _codes(table.column("message").take(pa.array(candidates)))
    keys = Codes()
    if network is Network.CO_TWEET:
        text_keys = np.asarray([keys.code(normalise_text(str(t))) for t in texts.to_pylist()],
                               dtype=np.int64)  # fmt: skip
        key = text_keys[raw] if raw.size else np.empty(0, np.int64)
        return events(candidates, key, list(keys))
    per_text = [[keys.code(tag) for tag in hashtags_of(str(t))] for t in texts.to_pylist()]
    counts = np.asarray([len(tags) for tags in per_text], dtype=np.int64)
    rows = np.repeat(candidates, counts[raw]) if raw.size else np.empty(0, np.int64)
    key = np.asarray([code for index in raw.tolist() for code in per_text[index]], np.int64)
    return events(rows, key, list(keys))
