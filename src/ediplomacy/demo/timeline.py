"""When things happen in the demo week, and how busy each hour is for each kind of post."""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from random import Random

DAY = 86_400.0
HOUR = 3_600.0
_BIN = 300.0  # seconds; times are drawn per five-minute bin, then uniformly inside it

# Relative activity by local hour. People: quiet at night, busy late morning and evening.
# Offices: working hours. Anyone in an emergency: whatever the hour.
HOURS = {
    "people": (0.30, 0.18, 0.10, 0.07, 0.06, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 1.00,
               1.00, 0.95, 0.90, 0.90, 0.95, 1.00, 1.05, 1.10, 1.10, 1.00, 0.80, 0.50),
    "office": (0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.05, 0.30, 1.00, 1.00, 1.00, 1.00,
               0.80, 1.00, 1.00, 1.00, 1.00, 0.60, 0.30, 0.20, 0.10, 0.05, 0.02, 0.02),
    "any": (1.0,) * 24,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Timeline:
    """The scenario's clock, in epoch seconds; the week starts on a Monday at 00:00 UTC."""

    start: float

    @property
    def end(self) -> float:
        return self.start + 7 * DAY

    @property
    def quake(self) -> float:  # Wednesday 11:37:12 UTC, 14:37 in Qadira
        return self.start + 2 * DAY + 11 * HOUR + 37 * 60 + 12

    @property
    def claim2_start(self) -> float:  # "the consulate staff fled"
        return self.quake + 4 * HOUR + 28 * 60

    @property
    def claim2_debunk(self) -> float:
        return self.claim2_start + 2 * HOUR + 35 * 60

    @property
    def evacuation_announced(self) -> float:  # Wednesday 20:30 UTC
        return self.start + 2 * DAY + 20 * HOUR + 30 * 60

    @property
    def claim_start(self) -> float:  # Thursday 02:14:07 UTC, 09:14 in Kota Bahari
        return self.start + 3 * DAY + 2 * HOUR + 14 * 60 + 7

    @property
    def claim_debunk(self) -> float:  # Thursday 12:40 UTC
        return self.start + 3 * DAY + 12 * HOUR + 40 * 60

    @property
    def first_flight(self) -> float:  # Saturday 06:00 UTC
        return self.start + 5 * DAY + 6 * HOUR

    def onset(self, phase: str) -> float | None:
        """When a phase begins; None for phases that run all week."""
        return {
            "event": self.quake,
            "emergency": self.quake,
            "claim": self.claim_start,
            "refute": self.claim_start,
            "claim2": self.claim2_start,
        }.get(phase)

    def phase_weight(self, phase: str, t: float) -> float:
        """How much of a kind of post falls at time t, before the time of day is applied."""
        weekend = 0.85 if (t - self.start) >= 5 * DAY else 1.0
        if phase == "base":
            return weekend
        if phase == "event":
            if t < self.quake:
                return 0.0
            since = t - self.quake  # a sharp first surge of breaking news, then a long tail
            return 0.12 + math.exp(-since / (16 * HOUR)) + 4.0 * math.exp(-since / (2.5 * HOUR))
        if phase == "emergency":
            return 0.0 if t < self.quake else 0.04 + math.exp(-(t - self.quake) / (10 * HOUR))
        if phase == "question":
            after = 0.0 if t < self.quake else math.exp(-(t - self.quake) / (30 * HOUR))
            return 0.12 * weekend + 3.0 * after
        if phase == "claim":
            return _gamma(t - self.claim_start, 2.0, 4 * HOUR) * _damp(t, self.claim_debunk)
        if phase == "refute":
            return 0.15 * _gamma(t - self.claim_start, 2.0, 4 * HOUR) + _gamma(
                t - self.claim_debunk, 1.5, 5 * HOUR
            )
        if phase == "claim2":
            return _gamma(t - self.claim2_start, 1.0, 1.5 * HOUR) * _damp(t, self.claim2_debunk)
        raise ValueError(f"unknown phase {phase!r}")


def _gamma(dt: float, shape: float, scale: float) -> float:
    """An unnormalized gamma curve: zero before dt=0, peaking at (shape - 1) * scale."""
    if dt <= 0:
        return 0.0
    x = dt / scale
    return x ** (shape - 1) * math.exp(-x) + 1e-9


def _damp(t: float, debunk: float) -> float:
    """After a debunk, a claim spreads at half the speed it otherwise would."""
    return 1.0 if t < debunk else 0.5


class TimeSampler:
    """Draws times for a phase of the story as lived in one time zone."""

    def __init__(self, timeline: Timeline, rng: Random) -> None:
        self.timeline = timeline
        self.rng = rng
        self._cumulative: dict[tuple[str, int, str], list[float]] = {}
        self._phase: dict[str, list[float]] = {}

    def draw(self, phase: str, tz: int, hours: str = "people") -> float:
        """A time for a post of `phase` by someone in `tz` keeping the `hours` of HOURS."""
        key = (phase, tz, hours)
        cumulative = self._cumulative.get(key)
        if cumulative is None:
            cumulative = self._build(phase, tz, HOURS[hours])
            self._cumulative[key] = cumulative
        pick = self.rng.random() * cumulative[-1]
        index = bisect.bisect_right(cumulative, pick)
        t = self.timeline.start + (index + self.rng.random()) * _BIN
        onset = self.timeline.onset(phase)
        if onset is not None and t < onset:  # drawn in the bin where the phase begins
            t = onset + self.rng.uniform(15, 240)
        return t

    def _build(self, phase: str, tz: int, by_hour: tuple[float, ...]) -> list[float]:
        weights = self._phase.get(phase)
        if weights is None:  # the bin's end, so that the bin where a phase begins counts
            ends = (self.timeline.start + (i + 1) * _BIN for i in range(int(7 * DAY / _BIN)))
            weights = [self.timeline.phase_weight(phase, t) for t in ends]
            self._phase[phase] = weights
        total = 0.0
        cumulative = []
        bins_per_hour = int(HOUR / _BIN)
        for i, weight in enumerate(weights):
            hour = (i // bins_per_hour + tz) % 24
            total += weight * by_hour[hour]
            cumulative.append(total)
        if total <= 0:
            raise ValueError(f"phase {phase!r} has no time in the week")
        return cumulative
