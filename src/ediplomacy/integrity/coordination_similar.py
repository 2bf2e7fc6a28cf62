"""Co-similar: accounts that post near-duplicate texts within the window, across languages where
the stored vectors allow.

Two posts are near-duplicates when

- their texts are: the estimated Jaccard similarity of their byte 4-gram sets (MinHash, 24
  hashes) is at least TEXT_SIMILARITY, after lowercasing and taking out URLs, @mentions and
  punctuation. Copy-paste variants (a word swapped, an emoji or a hashtag added) score about
  0.75-0.95; this needs no model, so it works on toolkit CSV files too; or
- their stored multilingual vectors are (database runs): cosine similarity at least
  VECTOR_SIMILARITY of the space used, `accurate` (multilingual-e5-small) when most posts have
  it, else `fast`. This also finds translations of the same message.

Near-duplicate posts are joined into groups (connected components); a group is then the shared
item, like the reposted post of co-repost, and the same engine counts the edges. Candidate
pairs come from LSH bands of the MinHash signature or, for vectors, from the posts in the same
or next time block of one window: nothing is compared with posts further away in time, so the
work grows with the posts per window, not with the square of all posts.
Texts shorter than MIN_CHARACTERS after cleaning ("ok", "+1", a bare link) are not evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ediplomacy.integrity.coordination_arrow import Columns, Labels
from ediplomacy.integrity.coordination_engine import window_pairs, windows
from ediplomacy.integrity.coordination_model import (
    Codes,
    Events,
    FloatArray,
    IntArray,
    Message,
    ranks,
)

MIN_CHARACTERS = 20
TEXT_SIMILARITY = 0.7
# Cosine thresholds per vector space, measured on the demo scenario (docs/coordination.md).
VECTOR_SIMILARITY = {"accurate": 0.93, "fast": 0.9}
HASHES = 24
ROWS_PER_BAND = 3
LABEL_CHARACTERS = 200

_URL = re.compile(r"(?:https?://|www\.)\S+")
_MENTION = re.compile(r"@\w+")
_NOT_WORD = re.compile(r"[^\w\s]+")
_MASK32 = np.uint64(0xFFFFFFFF)
Matrix = npt.NDArray[np.float32]


def cleaned(text: str) -> str:
    """The text compared for near-duplicates: lowercase, no URLs, mentions or punctuation."""
    text = _URL.sub(" ", text.lower())
    text = _MENTION.sub(" ", text)
    return " ".join(_NOT_WORD.sub(" ", text).split())


def _hash_parameters() -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    rng = np.random.default_rng(20_240_401)  # fixed: the same text always gets the same signature
    a = rng.integers(1, 2**63, HASHES, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, HASHES, dtype=np.uint64)
    return a, b


def signatures(texts: Sequence[str]) -> npt.NDArray[np.uint64]:
    """MinHash signatures (rows, HASHES) of the texts' byte 4-gram sets, computed column-wise.

    Texts must be at least 4 bytes long."""
    encoded = [text.encode("utf-8") for text in texts]
    lengths = np.fromiter((len(item) for item in encoded), dtype=np.int64, count=len(encoded))
    data = np.frombuffer(b"".join(encoded), dtype=np.uint8).astype(np.uint64)
    # The 4-gram starting at byte i, as one 32-bit number; grams crossing texts are dropped.
    grams = data[:-3] | (data[1:-2] << 8) | (data[2:-1] << 16) | (data[3:] << 24)
    ends = np.cumsum(lengths)
    starts = ends - lengths
    owner = np.repeat(np.arange(len(texts)), lengths)
    valid = owner[:-3] == owner[3:]
    grams, first_gram = grams[valid], starts - np.arange(len(texts)) * 3
    result = np.empty((len(texts), HASHES), dtype=np.uint64)
    a, b = _hash_parameters()
    for column in range(HASHES):
        hashed = (grams * a[column] + b[column]) >> np.uint64(32)
        result[:, column] = np.minimum.reduceat(hashed, first_gram)
    return result & _MASK32


def _band_keys(signature: npt.NDArray[np.uint64]) -> tuple[IntArray, IntArray]:
    """(row, band key code) for every band of every signature."""
    bands = HASHES // ROWS_PER_BAND
    rows = signature.shape[0]
    keys = np.empty((rows, bands), dtype=np.uint64)
    for band in range(bands):
        part = signature[:, band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND]
        key = np.full(rows, np.uint64((band + 1) * 0x9E3779B97F4A7C15 % 2**64))
        for column in range(ROWS_PER_BAND):
            key = (key ^ part[:, column]) * np.uint64(0x100000001B3)
        keys[:, band] = key
    _, codes = np.unique(keys.reshape(-1), return_inverse=True)
    return np.repeat(np.arange(rows, dtype=np.int64), bands), codes.astype(np.int64).reshape(-1)


def text_pairs(
    signature: npt.NDArray[np.uint64], time: FloatArray, window: float
) -> Iterator[tuple[IntArray, IntArray]]:
    """Pairs of rows (a < b) within the window whose signatures agree on at least
    TEXT_SIMILARITY of the hashes."""
    if signature.shape[0] < 2:
        return
    row, key = _band_keys(signature)
    found = windows(row, key, time[row], row, window)
    for first, second in window_pairs(found):
        a, b = found.owner[first], found.owner[second]
        low, high = np.minimum(a, b), np.maximum(a, b)
        keep = low != high
        pair = np.unique(low[keep] * np.int64(signature.shape[0]) + high[keep])
        a, b = pair // signature.shape[0], pair % signature.shape[0]
        agree = (signature[a] == signature[b]).mean(axis=1)
        chosen = agree >= TEXT_SIMILARITY
        yield a[chosen], b[chosen]


def vector_pairs(
    matrix: Matrix, time: FloatArray, window: float, threshold: float, block: int = 2048
) -> Iterator[tuple[IntArray, IntArray]]:
    """Pairs of rows (a < b) within the window whose vectors' cosine is at least `threshold`.

    Rows are cut into time blocks one window long; a block is compared with itself and the
    next one, `block` rows at a time (memory stays bounded)."""
    n = matrix.shape[0]
    if n < 2:
        return
    order = np.argsort(time, kind="stable")
    times = time[order]
    width = max(window, 1.0)
    bucket = np.floor((times - times[0]) / width).astype(np.int64)
    bounds = np.searchsorted(bucket, np.arange(bucket[-1] + 3))
    for b in np.unique(bucket).tolist():
        lo, mid, hi = bounds[b], bounds[b + 1], bounds[b + 2]
        for start in range(lo, mid, block):
            stop = min(start + block, mid)
            rows = order[start:stop]
            for col_start in range(start, hi, 4 * block):
                col_stop = min(col_start + 4 * block, hi)
                cols = order[col_start:col_stop]
                hit = matrix[rows] @ matrix[cols].T >= threshold
                hit &= np.abs(time[rows][:, None] - time[cols][None, :]) <= window
                # Only later positions: each pair once, never a row with itself.
                hit &= np.arange(col_start, col_stop)[None, :] > np.arange(start, stop)[:, None]
                r, c = np.nonzero(hit)
                a, b_ = rows[r], cols[c]
                yield np.minimum(a, b_), np.maximum(a, b_)


def groups(n: int, pairs: Sequence[tuple[IntArray, IntArray]]) -> IntArray:
    """Group number per row (connected components of the pairs); -1 for rows alone."""
    import igraph

    found = [np.stack([a, b], axis=1) for a, b in pairs if a.size]
    if not found or n == 0:
        return np.full(n, -1, dtype=np.int64)
    edges = np.concatenate(found)
    graph = igraph.Graph(n=n, edges=edges.tolist())
    membership = np.asarray(graph.connected_components().membership, dtype=np.int64)
    sizes = np.bincount(membership)
    membership[sizes[membership] < 2] = -1
    return membership


@dataclass
class Candidates:
    """The posts that may be near-duplicates: first rows of non-reposts with enough text."""

    names: list[str]  # account keys, sorted
    user: IntArray  # per candidate, codes into names
    time: FloatArray
    message: IntArray  # index into message_ids
    texts: list[str]  # the original texts (labels)
    message_ids: Sequence[str]
    posts: int = 0
    post_ids: list[int] | None = None  # database row per candidate (-1: none), when known
    handles: list[str] | None = None  # display name per account code


def candidates_of(messages: Sequence[Message]) -> Candidates:
    users, message_codes = Codes(), Codes()
    seen: set[str] = set()
    user: list[int] = []
    time: list[float] = []
    rows: list[int] = []
    texts: list[str] = []
    post_ids: list[int] = []
    handles: dict[str, str] = {}
    for message in messages:
        row = message_codes.code(message.message_id)
        users.code(message.user_id)
        handles.setdefault(message.user_id, message.username)
        if message.message_id in seen:
            continue
        seen.add(message.message_id)
        if message.repost_id or len(cleaned(message.message)) < MIN_CHARACTERS:
            continue
        user.append(users[message.user_id])
        time.append(message.timestamp)
        rows.append(row)
        texts.append(message.message)
        post_ids.append(message.post_id if message.post_id is not None else -1)
    names, rank = ranks(list(users))
    codes = np.asarray(user, dtype=np.int64)
    return Candidates(
        names, rank[codes] if codes.size else codes, np.asarray(time, dtype=np.float64),
        np.asarray(rows, dtype=np.int64), texts, list(message_codes), len(messages),
        post_ids if any(post_id >= 0 for post_id in post_ids) else None,
        [handles[name] for name in names],
    )  # fmt: skip


def similar_events(
    found: Candidates, window: float, *, vectors: Matrix | None = None,
    with_vector: npt.NDArray[np.bool_] | None = None, space: str = "accurate",
) -> Events:  # fmt: skip
    """Co-similar events: each candidate in a near-duplicate group acts on its group."""
    n = len(found.texts)
    clean = [cleaned(text) for text in found.texts]
    pairs: list[tuple[IntArray, IntArray]] = []
    if n >= 2:
        distinct = Codes()
        text_code = np.asarray([distinct.code(text) for text in clean], dtype=np.int64)
        # Equal cleaned texts are near-duplicates outright; the rest are compared by MinHash.
        pairs += text_pairs(signatures(list(distinct))[text_code], found.time, window)
    if vectors is not None and with_vector is not None and with_vector.any():
        rows = np.flatnonzero(with_vector)
        threshold = VECTOR_SIMILARITY[space]
        for a, b in vector_pairs(vectors[rows], found.time[rows], window, threshold):
            pairs.append((rows[a], rows[b]))
    group = groups(n, pairs)
    member = np.flatnonzero(group >= 0)
    distinct_groups, inverse = np.unique(group[member], return_inverse=True)
    key = inverse.astype(np.int64).reshape(-1)
    labels = [""] * len(distinct_groups)
    for row, code in zip(member.tolist(), key.tolist(), strict=True):
        if not labels[code]:
            labels[code] = found.texts[row][:LABEL_CHARACTERS]
    post_ids = None
    if found.post_ids is not None:
        post_ids = [-1] * len(found.message_ids)
        for message, post_id in zip(found.message.tolist(), found.post_ids, strict=True):
            post_ids[message] = post_id
    return Events(found.names, found.user[member], key, found.time[member], member,
                  found.message[member], labels, found.message_ids, found.posts, found.handles,
                  post_ids)  # fmt: skip


def similar_text_events(messages: Sequence[Message], window: float) -> Events:
    """Co-similar events from messages, by text only."""
    return similar_events(candidates_of(messages), window)


def similar_column_events(columns: Columns, window: float) -> Events:
    """Co-similar events from a toolkit CSV read with Arrow, by text only."""
    import pyarrow as pa

    rows = np.flatnonzero(columns.first & ~columns.is_repost)
    texts = [str(text) for text in columns.table.column("message").take(pa.array(rows)).to_pylist()]
    long_enough = np.fromiter((len(cleaned(text)) >= MIN_CHARACTERS for text in texts), dtype=bool,
                              count=len(texts))  # fmt: skip
    rows = rows[long_enough]
    found = Candidates(
        columns.names, columns.user[rows], columns.time[rows], columns.message[rows],
        [text for text, keep in zip(texts, long_enough.tolist(), strict=True) if keep],
        Labels(columns.message_ids), columns.rows,
    )  # fmt: skip
    return similar_events(found, window)
