"""The numpy pair engine against the definition written out in plain Python, on random events.

Random inputs are drawn to hit every path of the engine: messages with several items (co-link),
accounts repeating an item within the window, equal timestamps, windows of 0, chunks smaller
than one message's pairs.
"""

from __future__ import annotations

import random
from collections import defaultdict

import numpy as np
import pytest

from ediplomacy.integrity.coordination_engine import (
    directed_edges,
    run_lengths,
    sum_by_code,
    windows,
)

Event = tuple[int, int, float, int]  # user, key, time, owner


def brute_force(
    events: list[Event], *, window: float, same_message: bool
) -> dict[tuple[int, int], int]:
    """weight(a, b) = messages of a with an event of b on the same key within the window."""
    met: dict[tuple[int, int], set[int]] = defaultdict(set)
    for user_1, key_1, time_1, owner_1 in events:
        for user_2, key_2, time_2, owner_2 in events:
            if key_1 != key_2 or abs(time_1 - time_2) > window:
                continue
            if owner_1 == owner_2 and not same_message:
                continue
            met[(user_1, user_2)].add(owner_1)
    return {pair: len(owners) for pair, owners in met.items()}


def random_events(rng: random.Random, n_users: int, n_messages: int) -> list[Event]:
    events: list[Event] = []
    owner_user = [rng.randrange(n_users) for _ in range(n_messages)]
    for owner in range(n_messages):
        stamp = float(rng.choice([rng.randrange(200), rng.randrange(20)]))
        keys = rng.sample(range(6), rng.choice([1, 1, 1, 2, 3]))
        events.extend((owner_user[owner], key, stamp, owner) for key in keys)
    return events


@pytest.mark.parametrize("seed", range(12))
def test_engine_matches_the_definition(seed: int) -> None:
    rng = random.Random(seed)
    n_users = rng.choice([3, 8, 30])
    events = random_events(rng, n_users, rng.choice([5, 40, 150]))
    window = rng.choice([0.0, 5.0, 30.0])
    same_message = seed % 4 == 0
    user, key, time, owner = (np.asarray(column) for column in zip(*events, strict=True))
    found = windows(user.astype(np.int64), key.astype(np.int64), time.astype(np.float64),
                    owner.astype(np.int64), window)  # fmt: skip
    for chunk in (7, 1_000_000):  # tiny chunks: a message's pairs must still count once
        first, second, weight = directed_edges(
            found, n_users, window=window, min_weight=1, self_loops=True,
            same_message=same_message, pairs_per_chunk=chunk,
        )  # fmt: skip
        got = dict(zip(zip(first.tolist(), second.tolist(), strict=True), weight.tolist(),
                       strict=True))  # fmt: skip
        assert got == brute_force(events, window=window, same_message=same_message)
        codes = first * n_users + second
        assert (np.diff(codes) > 0).all()  # sorted by (user_1, user_2), each pair once


def test_min_weight_and_loops() -> None:
    # a and b meet twice on key 0; a repeats key 1 on its own.
    events = [(0, 0, 0.0, 0), (1, 0, 1.0, 1), (0, 0, 100.0, 2), (1, 0, 101.0, 3),
              (0, 1, 0.0, 4), (0, 1, 2.0, 5), (2, 0, 300.0, 6)]  # fmt: skip
    user, key, time, owner = (np.asarray(column) for column in zip(*events, strict=True))
    found = windows(user, key, time.astype(np.float64), owner, 10)
    first, second, weight = directed_edges(
        found, 3, window=10, min_weight=2, self_loops=False, same_message=False
    )
    assert list(zip(first.tolist(), second.tolist(), weight.tolist(), strict=True)) == [
        (0, 1, 2), (1, 0, 2)
    ]  # fmt: skip
    first, second, weight = directed_edges(
        found, 3, window=10, min_weight=2, self_loops=True, same_message=False
    )
    assert (0, 0, 2) in set(zip(first.tolist(), second.tolist(), weight.tolist(), strict=True))


def test_counting_helpers() -> None:
    values, counts = run_lengths(np.asarray([5, 1, 5, 3, 5], dtype=np.int64))
    assert values.tolist() == [1, 3, 5] and counts.tolist() == [1, 1, 3]
    codes, sums = sum_by_code(np.asarray([9, 2, 9], np.int64), np.asarray([1, 4, 6], np.int64))
    assert codes.tolist() == [2, 9] and sums.tolist() == [4, 7]
    huge = np.asarray([2**61, 3, 2**61], dtype=np.int64)  # too big to pack: the argsort path
    codes, sums = sum_by_code(huge, np.asarray([1, 1, 2], np.int64))
    assert codes.tolist() == [3, 2**61] and sums.tolist() == [1, 3]
