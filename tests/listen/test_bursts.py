"""Burst detection on hourly counts: the Poisson score, the baseline, the verdicts."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ediplomacy.listen.bursts import (
    BadBurstSettings,
    BurstSettings,
    evaluate,
    expected_level,
    poisson_score,
)

T0 = datetime(2026, 3, 2, tzinfo=UTC)
HOUR = timedelta(hours=1)


def direct_score(k: int, lam: float) -> float:
    """-log10 P(X >= k), summed the plain way (fine for small k)."""
    below = math.fsum(math.exp(-lam) * lam**i / math.factorial(i) for i in range(k))
    return -math.log10(1 - below)


@pytest.mark.parametrize(("k", "lam"), [(3, 1.0), (10, 2.5), (20, 6.0), (8, 3.3)])
def test_poisson_score_matches_the_direct_sum(k: int, lam: float) -> None:
    assert poisson_score(k, lam) == pytest.approx(direct_score(k, lam), rel=1e-6)


def test_poisson_score_far_tail_and_edges() -> None:
    # P(X >= 163 | 25): far below what floats hold when summed directly, still finite
    assert 60 < poisson_score(163, 25.0) < 300
    assert poisson_score(5, 5.0) == 0.0  # not above expectation
    assert poisson_score(0, 0.0) == 0.0
    assert poisson_score(100_000, 1.0) == 300.0  # capped


@given(lam=st.floats(0.1, 500), k=st.integers(0, 2000))
def test_poisson_score_grows_with_the_count(lam: float, k: int) -> None:
    assert 0.0 <= poisson_score(k, lam) <= poisson_score(k + 1, lam) <= 300.0


def test_expected_level_leaves_out_the_busiest_hours_and_has_a_floor() -> None:
    settings = BurstSettings(trim=0.1, floor=1.0)
    assert expected_level([10] * 18 + [500, 400], settings) == 10
    assert expected_level([0] * 50, settings) == 1.0
    assert expected_level([], settings) == 1.0


def series(values: list[int]) -> dict[datetime, int]:
    return {T0 + i * HOUR: value for i, value in enumerate(values)}


def test_a_spike_is_a_burst_and_ordinary_hours_are_not() -> None:
    counts = [20, 25, 30, 22, 18] * 10 + [160, 24]
    verdicts = evaluate(series(counts), T0, T0 + len(counts) * HOUR, T0, BurstSettings())
    bursts = [v.hour for v in verdicts if v.burst]
    assert bursts == [T0 + 50 * HOUR]
    spike = next(v for v in verdicts if v.burst)
    assert spike.observed == 160 and spike.expected == pytest.approx(22.6, abs=1.5)
    assert spike.ratio > 6 and spike.score > 50


def test_small_counts_never_alert_however_rare() -> None:
    counts = [0] * 48 + [9]
    verdicts = evaluate(series(counts), T0, T0 + 49 * HOUR, T0, BurstSettings())
    assert not any(v.burst for v in verdicts)
    lowered = BurstSettings(min_posts=5)
    assert evaluate(series(counts), T0, T0 + 49 * HOUR, T0, lowered)[-1].burst


def test_a_young_database_waits_for_enough_history_then_uses_what_it_has() -> None:
    counts = [5] * 10 + [80] + [5] * 20 + [80]
    verdicts = evaluate(series(counts), T0, T0 + len(counts) * HOUR, T0, BurstSettings())
    assert verdicts[0].hour == T0 + 24 * HOUR  # the first 24 hours only build the baseline
    assert [v.hour for v in verdicts if v.burst] == [T0 + 31 * HOUR]
    early = BurstSettings(min_history_hours=6)
    found = evaluate(series(counts), T0, T0 + len(counts) * HOUR, T0, early)
    assert [v.hour for v in found if v.burst] == [T0 + 10 * HOUR, T0 + 31 * HOUR]


def test_baseline_window_is_the_previous_hours_only() -> None:
    # A busy first week, then quiet: with a 24-hour baseline the quiet level is the usual one.
    counts = [100] * 168 + [2] * 48 + [40]
    short = BurstSettings(baseline_hours=24)
    last = evaluate(series(counts), T0 + 216 * HOUR, T0 + 217 * HOUR, T0, short)[-1]
    assert last.burst and last.expected == 2
    long = evaluate(series(counts), T0 + 216 * HOUR, T0 + 217 * HOUR, T0, BurstSettings())[-1]
    assert not long.burst


def test_settings_from_a_rule_are_checked() -> None:
    assert BurstSettings.from_mapping({"min_posts": "5", "negative": False}) == BurstSettings(
        min_posts=5, negative=False
    )
    assert BurstSettings.from_mapping(None) == BurstSettings()
    for bad in ({"min_post": 5}, {"min_ratio": 0.5}, {"trim": "lots"}, {"negative": "yes"},
                {"min_score": float("nan")}, {"min_posts": True}):  # fmt: skip
        with pytest.raises(BadBurstSettings):
            BurstSettings.from_mapping(bad)
