"""The pair engine behind every coordination network, in numpy.

Input: one row per *event* (an account's action on an item: a reposted id, a URL, a hashtag,
a text) with the account, the item (key), the time and the owning message. Output: the directed
weighted edge list, where the weight of (a, b) is the number of distinct messages of a that have
at least one event of b on the same key at most `window` seconds away (both ends included).

How it stays fast: events are sorted by (key, time), so each event's window is a slice found by
binary search. Most events are *clean*: their message has one event, and their account has no
other event on the same key within twice the window. A pair of clean events can then never
repeat a (message, other account) pair, so clean pairs are counted without de-duplication, and
only once per unordered pair (the reverse direction has the same count). Pairs that touch a
non-clean event go through the general path: (message, other account) de-duplicated, then
counted. Pairs are generated in chunks of a bounded size, so memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
CodeArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Progress = Callable[[int, int], None]  # (pairs done, pairs in all)

# Pairs generated at once: about 24 bytes a pair while a chunk is worked on (about 400 MB).
PAIRS_PER_CHUNK = 16_000_000


@contextmanager
def small_pages() -> Iterator[None]:
    """Ask numpy not to request transparent huge pages while the block runs.

    numpy asks the kernel for huge pages on every large array. Where the kernel then compacts
    memory synchronously on the first touch (THP `defrag` set to `madvise`, common on VMs), each
    new large array stalls: measured here, touching 1.2 GB took 5.5 s with the hint and 1.3 s
    without. The engine makes many short-lived large arrays, so it runs without the hint.
    (The setting is numpy's, as NUMPY_MADVISE_HUGEPAGE=0 sets it; it is put back afterwards.)
    """
    toggle = getattr(getattr(np, "_core", None), "multiarray", None)
    setter = getattr(toggle, "_set_madvise_hugepage", None)
    if setter is None:
        yield
        return
    previous = setter(False)
    try:
        yield
    finally:
        setter(previous)


@dataclass(frozen=True)
class Windows:
    """Events sorted by (key, time), with each event's window as positions [low, high)."""

    order: IntArray  # positions in the caller's arrays, in sorted order
    user: IntArray
    key: IntArray
    time: FloatArray
    owner: IntArray
    low: IntArray
    high: IntArray

    def __len__(self) -> int:
        return len(self.order)


def windows(
    user: IntArray, key: IntArray, time: FloatArray, owner: IntArray, window: float
) -> Windows:
    """Sort the events by (key, time) and find each one's window by binary search."""
    order = np.lexsort((time, key))
    key, time, user, owner = key[order], time[order], user[order], owner[order]
    stamps = np.unique(time)
    span = np.int64(len(stamps) + 1)
    base = key * span
    code = base + np.searchsorted(stamps, time, side="left")
    low = np.searchsorted(code, base + np.searchsorted(stamps, time - window, side="left"))
    high = np.searchsorted(code, base + np.searchsorted(stamps, time + window, side="right"))
    return Windows(order, user, key, time, owner, low, high)


def _clean(w: Windows, n_users: int, window: float, same_message: bool) -> BoolArray:
    """Events whose pairs need no de-duplication (see the module docstring)."""
    if same_message or len(w) == 0:
        return np.zeros(len(w), dtype=bool)
    per_owner = np.bincount(w.owner)
    dirty = per_owner[w.owner] > 1
    # Another event of the same account on the same key within 2 * window: sort by
    # (key, account), time order kept from the (key, time) sort.
    pair = w.key * np.int64(n_users) + w.user
    by_pair = np.argsort(pair, kind="stable")
    ordered = pair[by_pair]
    repeated = (ordered[1:] == ordered[:-1]) & (np.diff(w.time[by_pair]) <= 2 * window)
    dirty[by_pair[1:][repeated]] = True
    dirty[by_pair[:-1][repeated]] = True
    return ~dirty


def _spans(counts: IntArray, limit: int) -> Iterator[tuple[int, int]]:
    """[start, stop) ranges of sources whose pair counts add up to about `limit` each."""
    cumulative = np.cumsum(counts)
    start, n = 0, len(counts)
    while start < n:
        before = int(cumulative[start - 1]) if start else 0
        stop = max(int(np.searchsorted(cumulative, before + limit, side="right")), start + 1)
        yield start, stop
        start = stop


def _expand(starts: IntArray, counts: IntArray, dtype: type = np.int64) -> npt.NDArray[Any]:
    """Every position start + k for k < count, source by source."""
    total = int(counts.sum())
    offsets: npt.NDArray[Any] = np.arange(total, dtype=dtype)
    offsets -= np.repeat((np.cumsum(counts) - counts - starts).astype(dtype, copy=False), counts)
    return offsets


def run_lengths(values: IntArray) -> tuple[IntArray, IntArray]:
    """Sorted distinct values and how often each occurs (np.unique's answer, faster).

    Sorts `values` in place."""
    if values.size == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    values.sort()
    starts = _starts(values)
    counts = np.diff(starts, append=np.int64(values.size))
    return values[starts], counts


def _starts(ordered: IntArray) -> IntArray:
    """Where each run of equal values begins in a sorted array."""
    if ordered.size == 0:
        return np.empty(0, np.int64)
    first = np.empty(ordered.size, dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return np.flatnonzero(first)


def sum_by_code(codes: IntArray, counts: IntArray) -> tuple[IntArray, IntArray]:
    """Sorted distinct codes and the sum of their counts."""
    if codes.size == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    bits = max(int(counts.max()).bit_length(), 1)
    if int(codes.max()) < (1 << (62 - bits)) and int(codes.min()) >= 0:
        # Pack (code, count) in one int64 and sort that: much faster than an argsort.
        packed = np.left_shift(codes, bits)
        packed |= counts
        packed.sort()
        codes = packed >> bits
        np.bitwise_and(packed, (1 << bits) - 1, out=packed)
        counts = packed
    else:
        order = np.argsort(codes, kind="stable")
        codes, counts = codes[order], counts[order]
    return _reduce(codes, counts)


class _Tally:
    """(edge code, count) parts, packed into one int64 each while they fit (half the memory,
    and a plain sort instead of an argsort at the end)."""

    def __init__(self, code_bits: int) -> None:
        self.count_bits = 62 - code_bits
        self.packed = self.count_bits >= 16
        self.parts: list[IntArray] = []
        self.counts: list[IntArray] = []

    def add(self, codes: IntArray, counts: IntArray) -> None:
        if self.packed and counts.size and int(counts.max()) >= 1 << self.count_bits:
            self.packed = False
            self.counts = [part & ((1 << self.count_bits) - 1) for part in self.parts]
            self.parts = [part >> self.count_bits for part in self.parts]
        if self.packed:
            part = np.left_shift(codes, self.count_bits)
            part |= counts
            self.parts.append(part)
        else:
            self.parts.append(codes)
            self.counts.append(counts)

    def total(self) -> tuple[IntArray, IntArray]:
        """Sorted distinct codes and their summed counts; the parts are let go."""
        if not self.parts:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        if not self.packed:
            codes, counts = np.concatenate(self.parts), np.concatenate(self.counts)
            self.parts, self.counts = [], []
            return sum_by_code(codes, counts)
        packed = self.parts[0] if len(self.parts) == 1 else np.concatenate(self.parts)
        self.parts = []
        packed.sort()
        codes = packed >> self.count_bits
        np.bitwise_and(packed, (1 << self.count_bits) - 1, out=packed)
        return _reduce(codes, packed)


def _reduce(codes: IntArray, counts: IntArray) -> tuple[IntArray, IntArray]:
    """Sum the counts of equal codes (codes sorted). Repeats are few (a pair found in two
    chunks), so they are folded into the first of their run and dropped, with small arrays."""
    if codes.size < 2:
        return codes, counts
    repeat = np.flatnonzero(codes[1:] == codes[:-1]) + 1
    if repeat.size == 0:
        return codes, counts
    new_run = np.ones(repeat.size, dtype=bool)
    np.not_equal(repeat[1:], repeat[:-1] + 1, out=new_run[1:])
    run_first = (repeat[new_run] - 1)[np.cumsum(new_run) - 1]
    np.add.at(counts, run_first, counts[repeat])
    keep = np.ones(codes.size, dtype=bool)
    keep[repeat] = False
    return codes[keep], counts[keep]


def directed_edges(
    w: Windows,
    n_users: int,
    *,
    window: float,
    min_weight: int,
    self_loops: bool,
    same_message: bool,
    progress: Progress | None = None,
    pairs_per_chunk: int = PAIRS_PER_CHUNK,
) -> tuple[CodeArray, CodeArray, CodeArray]:
    """(user_1, user_2, weight) sorted by (user_1, user_2) codes, as 32-bit integers."""
    shift = max(1, (n_users - 1).bit_length())  # an edge is (user_1 << shift) | user_2
    mask = np.int64((1 << shift) - 1)
    clean = _clean(w, n_users, window, same_message)
    clean_at = np.flatnonzero(clean)
    dirty_at = np.flatnonzero(~clean)
    tally = _Tally(2 * shift)

    # Clean pairs, each unordered pair once: targets after the source within its window.
    clean_user = w.user[clean_at].astype(np.int32)
    clean_high = np.searchsorted(clean_at, w.high[clean_at])
    clean_counts = np.maximum(clean_high - np.arange(clean_at.size) - 1, 0)
    # Pairs through dirty events: dirty sources meet every event of their window, clean
    # sources only the dirty ones.
    dirty_low = np.searchsorted(dirty_at, w.low)
    dirty_high = np.searchsorted(dirty_at, w.high)
    via_dirty = np.where(clean, dirty_high - dirty_low, w.high - w.low)
    sources = np.flatnonzero(via_dirty > 0)
    sources = sources[np.argsort(w.owner[sources], kind="stable")]  # one message per chunk
    total = int(clean_counts.sum()) + int(via_dirty[sources].sum())
    done = 0

    for start, stop in _spans(clean_counts, pairs_per_chunk):
        counts = clean_counts[start:stop]
        # 32-bit positions and accounts while a chunk is built: half the memory to touch.
        low = _expand(np.arange(start, stop, dtype=np.int64) + 1, counts, np.int32)
        other = clean_user[low]
        high = np.repeat(clean_user[start:stop], counts)
        # (smaller, larger) account: both directions of a clean pair have the same count.
        np.minimum(high, other, out=low)
        np.maximum(high, other, out=high)
        del other
        code = low.astype(np.int64)
        del low
        code <<= shift
        code |= high
        del high
        found, found_counts = run_lengths(code)
        del code
        tally.add(found, found_counts)
        tally.add(((found & mask) << shift) | (found >> shift), found_counts)
        del found
        done += int(counts.sum())
        if progress:
            progress(done, total)

    owner_sorted = w.owner[sources]
    cumulative = np.cumsum(via_dirty[sources])
    author = np.zeros(int(w.owner.max()) + 1 if len(w) else 0, dtype=np.int64)
    author[w.owner] = w.user
    start = 0
    while start < len(sources):
        before = int(cumulative[start - 1]) if start else 0
        stop = max(int(np.searchsorted(cumulative, before + pairs_per_chunk, side="right")),
                   start + 1)  # fmt: skip
        if stop < len(sources):  # do not split one message's events across chunks
            stop = int(np.searchsorted(owner_sorted, owner_sorted[stop - 1], side="right"))
        chosen = sources[start:stop]
        is_clean = clean[chosen]
        dirty_src, clean_src = chosen[~is_clean], chosen[is_clean]
        full_counts = w.high[dirty_src] - w.low[dirty_src]
        part_counts = dirty_high[clean_src] - dirty_low[clean_src]
        source = np.concatenate([np.repeat(dirty_src, full_counts),
                                 np.repeat(clean_src, part_counts)])  # fmt: skip
        target = np.concatenate([
            _expand(w.low[dirty_src], full_counts),
            dirty_at[_expand(dirty_low[clean_src], part_counts)],
        ])  # fmt: skip
        if not same_message:
            other = w.owner[source] != w.owner[target]
            source, target = source[other], target[other]
        # One count per (message, other account), then per (account, other account).
        met = (w.owner[source] << shift) | w.user[target]
        met.sort()
        met = met[_starts(met)]
        found, found_counts = run_lengths((author[met >> shift] << shift) | (met & mask))
        tally.add(found, found_counts)
        done += len(source)
        if progress:
            progress(done, total)
        start = stop

    codes, counts = tally.total()
    # 32-bit answers: half the memory of the edge list.
    first = np.empty(codes.size, dtype=np.int32)
    np.right_shift(codes, shift, out=first, casting="unsafe")
    second = np.empty(codes.size, dtype=np.int32)
    np.bitwise_and(codes, mask, out=second, casting="unsafe")
    del codes
    weight = counts.astype(np.int32)
    del counts
    keep = weight >= min_weight
    if not self_loops:
        keep &= first != second
    if keep.all():
        return first, second, weight
    return first[keep], second[keep], weight[keep]


def window_pairs(
    w: Windows, pairs_per_chunk: int = PAIRS_PER_CHUNK
) -> Iterator[tuple[IntArray, IntArray]]:
    """Every unordered pair of events on the same key within the window, as positions in the
    sorted order (i < j), a chunk at a time."""
    counts = np.maximum(w.high - np.arange(len(w), dtype=np.int64) - 1, 0)
    for start, stop in _spans(counts, pairs_per_chunk):
        chunk = counts[start:stop]
        sources = np.arange(start, stop, dtype=np.int64)
        yield np.repeat(sources, chunk), _expand(sources + 1, chunk)
