"""Burst detection on hourly counts: is this hour far above what the rule usually sees?

For each whole UTC hour, the baseline is the rule's hourly counts over the previous
`baseline_hours` (default 168, a week; a young database uses the hours it has, once it has
`min_history_hours`). The expected count is the mean of those hours after leaving out the
busiest `trim` share of them (so that an earlier burst does not hide the next one), never below
`floor`. An hour is a burst when all of these hold:

- observed >= `min_posts` (a handful of posts is never an emergency),
- observed >= `min_ratio` x expected,
- the Poisson tail P(X >= observed | expected) is at most 10^-`min_score`; the alert's score
  is -log10 of that probability (6 means one chance in a million of being ordinary noise).

Consecutive burst hours form one alert whose window grows while the burst lasts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime, timedelta
from typing import Any, ClassVar

from ediplomacy.domain.errors import EdiplomacyError

HOUR = timedelta(hours=1)


class BadBurstSettings(EdiplomacyError):
    """A rule's burst settings are not numbers in range."""


@dataclass(frozen=True, slots=True)
class BurstSettings:
    """How a rule decides that an hour is a burst; each can be set per rule."""

    baseline_hours: int = 168
    min_history_hours: int = 24
    min_posts: int = 10
    min_ratio: float = 3.0
    min_score: float = 4.0
    floor: float = 1.0
    trim: float = 0.1
    negative: bool = True  # also watch the volume of negative posts
    backfill_hours: int = 720  # how far back a new rule's first check looks
    recheck_hours: int = 3  # hours before `checked_until` judged again (late posts, sentiment)

    LIMITS: ClassVar[dict[str, tuple[float, float]]] = {
        "baseline_hours": (1, 24 * 90),
        "min_history_hours": (0, 24 * 90),
        "min_posts": (1, 10_000_000),
        "min_ratio": (1.0, 1000.0),
        "min_score": (0.0, 300.0),
        "floor": (0.01, 1_000_000.0),
        "trim": (0.0, 0.5),
        "backfill_hours": (1, 24 * 3650),
        "recheck_hours": (0, 24 * 7),
    }

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> BurstSettings:
        """Settings from a rule's stored JSON; unknown or invalid values are refused."""
        values = dict(values or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise BadBurstSettings(
                f"unknown burst setting {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        settings = cls()
        changes: dict[str, Any] = {}
        for name, value in values.items():
            default = getattr(settings, name)
            if isinstance(default, bool):
                if not isinstance(value, bool):
                    raise BadBurstSettings(f"burst setting {name} must be true or false")
                changes[name] = value
                continue
            try:
                number = type(default)(value)
            except (TypeError, ValueError):
                raise BadBurstSettings(f"burst setting {name} must be a number") from None
            low, high = cls.LIMITS[name]
            if isinstance(value, bool) or not (low <= number <= high) or number != number:
                raise BadBurstSettings(f"burst setting {name} must be between {low} and {high}")
            changes[name] = number
        return replace(settings, **changes)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def poisson_score(observed: float, expected: float) -> float:
    """-log10 P(X >= observed) for X ~ Poisson(expected); 0 when observed <= expected."""
    k = math.ceil(observed)
    if expected <= 0:
        return 300.0 if k > 0 else 0.0
    if k <= expected:
        return 0.0
    # Sum the tail from k upward in log space; terms fall fast once i > expected.
    log_lambda = math.log(expected)
    terms: list[float] = []
    i = k
    while True:
        term = -expected + i * log_lambda - math.lgamma(i + 1)
        terms.append(term)
        if term < terms[0] - 40 or i > k + 10_000:
            break
        i += 1
    top = max(terms)
    log_tail = top + math.log(sum(math.exp(t - top) for t in terms))
    return min(300.0, max(0.0, -log_tail / math.log(10)))


def expected_level(baseline: Sequence[int], settings: BurstSettings) -> float:
    """The usual hourly count: trimmed mean of the baseline hours, at least `floor`."""
    if not baseline:
        return settings.floor
    ordered = sorted(baseline)
    keep = len(ordered) - int(len(ordered) * settings.trim)
    kept = ordered[: max(1, keep)]
    return max(settings.floor, sum(kept) / len(kept))


@dataclass(frozen=True, slots=True)
class HourVerdict:
    hour: datetime
    observed: int
    expected: float
    score: float
    burst: bool

    @property
    def ratio(self) -> float:
        return self.observed / self.expected if self.expected > 0 else math.inf


def judge(observed: int, expected: float, settings: BurstSettings) -> tuple[float, bool]:
    """The score of an hour and whether it is a burst."""
    score = poisson_score(observed, expected)
    burst = (
        observed >= settings.min_posts
        and observed >= settings.min_ratio * expected
        and score >= settings.min_score
    )
    return score, burst


def evaluate(
    counts: Mapping[datetime, int],
    start: datetime,
    end: datetime,
    history_start: datetime,
    settings: BurstSettings,
) -> list[HourVerdict]:
    """A verdict for each whole hour in [start, end) that has enough history before it.

    `counts` holds the hourly counts from at least `start - baseline_hours` (missing hours are
    0); `history_start` is the first hour the database has data for.
    """
    verdicts: list[HourVerdict] = []
    hour = start
    while hour < end:
        first = max(history_start, hour - settings.baseline_hours * HOUR)
        span = int((hour - first) / HOUR)
        if span >= max(1, settings.min_history_hours):
            baseline = [counts.get(first + n * HOUR, 0) for n in range(span)]
            expected = expected_level(baseline, settings)
            observed = counts.get(hour, 0)
            score, burst = judge(observed, expected, settings)
            verdicts.append(HourVerdict(hour, observed, expected, round(score, 3), burst))
        hour += HOUR
    return verdicts
