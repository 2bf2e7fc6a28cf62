"""The bot-likeness score: a documented weighted sum of signals, and the reasons behind it.

score = 1 / (1 + exp(-(BIAS + sum(weight * strength)))), each signal's strength 0..1 measured
from the account's features (bot_features). A signal that is not measured (too few posts, a
field the platform does not give) adds nothing. Weights were set by hand from the published
bot-detection literature, before looking at any scenario, and are listed in docs/bots.md; the
analysts' labels (exported as CSV) are there to fit better ones. The score orders accounts for
review: it is evidence, never a verdict.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ediplomacy.integrity.bot_features import (
    MIN_TEXT_POSTS,
    MIN_TIMING_POSTS,
    QUIET_HOURS,
    SECOND_WINDOW_S,
    handle_local,
)

MODEL_VERSION = "bot-rules-1"
BIAS = -4.0  # an account with no signal scores 0.018
FULL_EVIDENCE_GAPS = 12  # timing signals count fully from twelve gaps between posts on
LANGUAGES = ("en", "id")

Features = Mapping[str, Any]


def ramp(value: float | None, zero: float, full: float) -> float | None:
    """0 at `zero`, 1 at `full`, straight in between (either direction), clamped."""
    if value is None:
        return None
    return min(1.0, max(0.0, (value - zero) / (full - zero)))


def log_ramp(value: float | None, zero: float, full: float) -> float | None:
    if value is None:
        return None
    return ramp(math.log10(max(value, 1e-9)), math.log10(zero), math.log10(full))


def _gaps(f: Features) -> int:
    return max(0, int(f.get("timed_posts") or 0) - 1)


def _evidence(f: Features) -> float:
    """Few gaps fit a period by chance more easily: timing signals grow with their number."""
    return min(1.0, _gaps(f) / FULL_EVIDENCE_GAPS)


def _timed(strength: float | None, f: Features) -> float | None:
    return None if strength is None else strength * _evidence(f)


def _flag(value: object) -> float | None:
    return None if value is None else float(bool(value))


@dataclass(frozen=True, slots=True)
class Signal:
    code: str
    weight: float
    strength: Callable[[Features], float | None]
    params: Callable[[Features], dict[str, Any]]


def _no_params(_: Features) -> dict[str, Any]:
    return {}


SIGNALS: tuple[Signal, ...] = (
    Signal("regular_period", 3.0,
           lambda f: _timed(ramp(f.get("period_share"), 0.4, 0.8), f),
           lambda f: {"period_s": f["period_s"], "jitter_s": f["period_jitter_s"],
                      "share": f["period_share"], "gaps": _gaps(f)}),
    Signal("even_gaps", 1.0,
           lambda f: _timed(ramp(f.get("gap_cv"), 0.5, 0.1), f),
           lambda f: {"cv": f["gap_cv"]}),
    Signal("few_gap_lengths", 0.5,
           lambda f: _timed(ramp(f.get("gap_entropy"), 0.5, 0.15), f),
           lambda f: {"entropy": f["gap_entropy"]}),
    Signal("same_second", 1.0,
           lambda f: _timed(ramp(f.get("second_window_share"), 0.4, 0.8), f),
           lambda f: {"share": f["second_window_share"], "width": SECOND_WINDOW_S,
                      "start": f["second_window_start"]}),
    Signal("around_the_clock", 1.0,
           lambda f: ramp(f.get("quiet_hours_share"), 0.10, 0.20),
           lambda f: {"share": f["quiet_hours_share"], "hours": QUIET_HOURS}),
    Signal("fast_here", 1.0,
           lambda f: log_ramp(f.get("posts_per_day"), 48, 144),
           lambda f: {"rate": f["posts_per_day"]}),
    Signal("fast_lifetime", 1.5,
           lambda f: log_ramp(f.get("lifetime_posts_per_day"), 24, 240),
           lambda f: {"rate": f["lifetime_posts_per_day"], "count": f["posts_count"],
                      "days_s": _lifetime_s(f)}),
    Signal("young_account", 1.5,
           lambda f: ramp(f.get("account_age_days"), 90, 7),
           lambda f: {"age_s": f["account_age_days"] * 86_400}),
    Signal("copies", 2.0,
           lambda f: ramp(f.get("copy_share"), 0.2, 0.6),
           lambda f: {"share": f["copy_share"], "texts": f["texts_compared"],
                      "identical": round(f["identical_share"] * f["texts_compared"])}),
    Signal("reposts", 0.8,
           lambda f: ramp(f.get("repost_share"), 0.8, 1.0),
           lambda f: {"share": f["repost_share"], "posts": f["posts"]}),
    Signal("few_followers", 1.2,
           lambda f: log_ramp(f.get("follower_ratio"), 0.5, 0.05)
           if (f.get("following") or 0) >= 50 else None,
           lambda f: {"following": f["following"], "followers": f["followers"]}),
    Signal("no_description", 0.6, lambda f: _flag(f.get("no_description")), _no_params),
    Signal("default_name", 0.5, lambda f: _flag(f.get("default_name")), _no_params),
    Signal("digit_handle", 1.2,
           lambda f: ramp(f.get("handle_digit_run"), 4, 7),
           lambda f: {"digits": f["handle_digit_run"], "handle": f.get("handle", "")}),
    Signal("default_avatar", 0.8, lambda f: _flag(f.get("default_avatar")), _no_params),
    Signal("bot_flag", 3.0, lambda f: _flag(f.get("declares_bot") == "flag"), _no_params),
    Signal("calls_itself_bot", 1.5,
           lambda f: _flag(f.get("declares_bot") in ("handle", "name", "description")),
           lambda f: {"where": f["declares_bot"]}),
    # Evidence of a person or an organisation: lowers the score.
    Signal("verified", -1.0, lambda f: _flag(f.get("verified")), _no_params),
    Signal("old_account", -1.0,
           lambda f: ramp(f.get("account_age_days"), 730, 1825),
           lambda f: {"years": f["account_age_days"] / 365.25}),
    Signal("many_followers", -0.5,
           lambda f: log_ramp(f.get("followers"), 1_000, 100_000),
           lambda f: {"followers": f["followers"]}),
)  # fmt: skip


def _lifetime_s(f: Features) -> float | None:
    rate, count = f.get("lifetime_posts_per_day"), f.get("posts_count")
    return count / rate * 86_400 if rate and count else None


@dataclass(frozen=True, slots=True)
class Scored:
    score: float
    logit: float
    reasons: list[dict[str, Any]]  # the signals that fired, largest effect first, then notes


def score(features: Features, handle: str | None = None) -> Scored:
    """The score of one account and a reason for each signal that moved it."""
    f = {**features, "handle": handle_local(handle)}
    logit = BIAS
    reasons: list[dict[str, Any]] = []
    for signal in SIGNALS:
        strength = signal.strength(f)
        if not strength:
            continue
        contribution = signal.weight * strength
        logit += contribution
        reasons.append({"code": signal.code, "weight": signal.weight,
                        "strength": round(strength, 3), "contribution": round(contribution, 3),
                        "params": _rounded(signal.params(f))})  # fmt: skip
    reasons.sort(key=lambda reason: -abs(reason["contribution"]))
    reasons.extend(_notes(f))
    return Scored(1.0 / (1.0 + math.exp(-logit)), logit, reasons)


def _rounded(params: dict[str, Any]) -> dict[str, Any]:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in params.items()}


def _notes(f: Features) -> list[dict[str, Any]]:
    """What could not be measured, so a low score is not read as a clean bill."""
    notes = []
    if int(f.get("timed_posts") or 0) < MIN_TIMING_POSTS:
        notes.append({"code": "timing_unknown", "contribution": 0.0,
                      "params": {"posts": int(f.get("timed_posts") or 0),
                                 "needed": MIN_TIMING_POSTS}})  # fmt: skip
    if f.get("copy_share") is None:
        notes.append({"code": "copies_unknown", "contribution": 0.0,
                      "params": {"texts": int(f.get("texts_compared") or 0),
                                 "needed": MIN_TEXT_POSTS}})  # fmt: skip
    if not f.get("profile"):
        notes.append({"code": "no_profile", "contribution": 0.0, "params": {}})
    return notes
