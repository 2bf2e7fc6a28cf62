"""What an account's behaviour looks like in numbers: the inputs of the bot-likeness score.

Pure functions over plain values (no database): the store hands over each account's post times,
the texts of its own posts and its profile, and `measure` returns a flat dict of measures that is
stored beside the score. A measure the data cannot support is None (too few posts, a profile
field the platform's payload does not carry), never a guess.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ediplomacy.pipeline.textnorm import MENTION_RE, URL_RE

FloatArray = npt.NDArray[np.float64]
DAY = 86_400.0

MIN_TIMING_POSTS = 6  # gaps between posts are measured from this many timed posts
MIN_TEXT_POSTS = 4  # copies are looked for among at least this many texts of its own
MIN_REPOST_POSTS = 5
MIN_HOURS_POSTS = 24  # hour-of-day spread needs a day's worth of posts...
MIN_HOURS_SPAN_S = 2 * DAY  # ...over at least two days
MIN_RATE_SPAN_S = DAY  # posts a day are not extrapolated from less than a day
TEXTS_PER_ACCOUNT = 200  # the most recent texts compared for copies
NEAR_COPY_JACCARD = 0.6  # share of words two texts have in common to count as near-copies
NEAR_COPY_MIN_WORDS = 4  # shorter texts count only when identical
SMALL_COMPARISON = 24  # up to this many texts are compared pair by pair, more as a matrix
PERIOD_MIN_S = 10.0
PERIOD_MAX_MULTIPLE = 10  # a gap of up to ten periods fits (posts missing from a collection)
PERIOD_TOLERANCE_S = 2.0  # a scheduler's jitter: two seconds or 1% of the period...
PERIOD_TOLERANCE_SHARE = 0.01
PERIOD_TOLERANCE_MAX_SHARE = 0.1  # ...but never more than a tenth of a short period
SECOND_WINDOW_S = 5  # the densest five seconds of the minute
QUIET_HOURS = 6  # the quietest six hours of the day (people sleep)
ENTROPY_GAP_BINS = 40  # half-octave bins of gap lengths, 1 s to about 12 days
# A platform's profiles carry descriptions when at least this share of them has one (Bluesky
# search results, for one, carry none: an empty description there says nothing).
DESCRIPTIONS_CARRIED = 0.2

_WORD = re.compile(r"[^\W\d_]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_DIGITS = re.compile(r"\d+")
_HANDLE_PARTS = re.compile(r"[_\-.]+|(?<=[a-z])(?=[A-Z])")
_BOT_WORDS = re.compile(r"\b(?:bot|bots|robot|automated)\b", re.IGNORECASE)
_BOT_DESCRIPTION = re.compile(
    r"\b(?:automated account|automated posts|this is a bot|i am a bot|i'm a bot|a bot that|"
    r"bot account|akun bot|akun otomatis|dikelola otomatis|unggahan otomatis)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Profile:
    """The account as its platform describes it; None where the payload does not say."""

    handle: str | None = None
    name: str | None = None
    description: str | None = None
    created_at: float | None = None  # epoch seconds
    followers: int | None = None
    following: int | None = None
    posts_count: int | None = None  # as the platform counts them, all time
    verified: bool | None = None
    bot_flag: bool | None = None  # the platform's own "automated account" flag
    default_avatar: bool | None = None


@dataclass(frozen=True, slots=True)
class Activity:
    """What the account posted in the collection."""

    times: FloatArray  # epoch seconds of its posts that have a time, sorted
    texts: Sequence[str]  # texts of its own posts (not reposts), the most recent last
    posts: int  # every post, timed or not
    reposts: int


@dataclass(frozen=True, slots=True)
class PlatformTraits:
    """What a platform's data carries, so that a missing field is not read as a signal."""

    second_precision: bool = True  # post times carry seconds (not rounded to the minute)
    descriptions: bool = True  # profiles in the data carry a description when there is one


def measure(activity: Activity, profile: Profile | None, traits: PlatformTraits) -> dict[str, Any]:
    """Every measure of one account (see docs/bots.md); None where the data cannot tell."""
    times = activity.times
    features: dict[str, Any] = {
        "posts": activity.posts,
        "reposts": activity.reposts,
        "timed_posts": len(times),
        "first_post_at": float(times[0]) if len(times) else None,
        "last_post_at": float(times[-1]) if len(times) else None,
        "span_s": float(times[-1] - times[0]) if len(times) else None,
        "repost_share": activity.reposts / activity.posts
        if activity.posts >= MIN_REPOST_POSTS
        else None,
    }
    features.update(timing(times, second_precision=traits.second_precision))
    features.update(copies(activity.texts))
    features.update(profile_measures(profile, times, traits))
    return features


# -- timing ---------------------------------------------------------------------------------


def _entropy(counts: npt.NDArray[np.int64], classes: int) -> float | None:
    """Shannon entropy of `counts` over the most it could be with `classes` classes, 0..1."""
    total = int(counts.sum())
    if total < 2 or classes < 2:
        return None
    p = counts[counts > 0] / total
    return max(0.0, float(-(p * np.log(p)).sum() / math.log(classes)))


def _circular_densest(values: FloatArray, modulus: float, width: float) -> tuple[float, float]:
    """The largest share of `values` (taken mod `modulus`) inside one window of `width`."""
    wrapped = np.sort(values % modulus)
    doubled = np.concatenate([wrapped, wrapped + modulus])
    ends = np.searchsorted(doubled, wrapped + width, side="left")
    inside = ends - np.arange(len(wrapped))
    best = int(np.argmax(inside))
    return float(inside[best] / len(wrapped)), float(wrapped[best])


def _period(gaps: FloatArray) -> tuple[float, float, float] | None:
    """The period most gaps are a whole multiple of: (period, jitter, share of gaps that fit)."""
    usable = gaps[gaps >= PERIOD_MIN_S]
    if not len(usable):
        return None
    best: tuple[float, float, float] | None = None
    usable = np.sort(usable)
    last = len(usable) - 1
    for period in sorted({float(usable[int(last * q)]) for q in (0.1, 0.25, 0.5)}):
        tolerance = min(
            max(PERIOD_TOLERANCE_S, PERIOD_TOLERANCE_SHARE * period),
            PERIOD_TOLERANCE_MAX_SHARE * period,
        )
        multiple = np.rint(gaps / period)
        off = np.abs(gaps - multiple * period)
        fits = (multiple >= 1) & (multiple <= PERIOD_MAX_MULTIPLE) & (off <= tolerance)
        share = float(fits.mean())
        if best is None or share > best[2]:
            fitting = np.sort(off[fits])
            jitter = float(fitting[int(0.9 * (len(fitting) - 1))]) if len(fitting) else 0.0
            best = (period, jitter, share)
    return best


def timing(times: FloatArray, *, second_precision: bool = True) -> dict[str, Any]:
    """Gaps between posts, their regularity and spread, and when in the day and minute."""
    found: dict[str, Any] = {
        "posts_per_day": None,
        "gap_median_s": None,
        "gap_cv": None,
        "gap_entropy": None,
        "period_s": None,
        "period_jitter_s": None,
        "period_share": None,
        "second_entropy": None,
        "second_window_share": None,
        "second_window_start": None,
        "hour_entropy": None,
        "quiet_hours_share": None,
    }
    n = len(times)
    if n >= 2 and times[-1] - times[0] >= MIN_RATE_SPAN_S:
        found["posts_per_day"] = n / ((times[-1] - times[0]) / DAY)
    if n < MIN_TIMING_POSTS:
        return found
    gaps = np.diff(times)
    mean = float(gaps.mean())
    found["gap_median_s"] = float(np.median(gaps))
    found["gap_cv"] = float(gaps.std() / mean) if mean > 0 else None
    bins = np.floor(np.log2(np.maximum(gaps, 1.0)) * 2).astype(np.int64)
    found["gap_entropy"] = _entropy(np.bincount(bins), min(len(gaps), ENTROPY_GAP_BINS))
    period = _period(gaps)
    if period is not None:
        found["period_s"], found["period_jitter_s"], found["period_share"] = period
    if second_precision:
        seconds = times % 60.0
        share, start = _circular_densest(seconds, 60.0, SECOND_WINDOW_S)
        found["second_window_share"] = share
        found["second_window_start"] = math.floor(start)
        counts = np.bincount(np.floor(seconds).astype(np.int64), minlength=60)
        found["second_entropy"] = _entropy(counts, min(60, n))
    if n >= MIN_HOURS_POSTS and times[-1] - times[0] >= MIN_HOURS_SPAN_S:
        hours = np.bincount((np.floor(times / 3600.0) % 24).astype(np.int64), minlength=24)
        found["hour_entropy"] = _entropy(hours, 24)
        windows = [hours.take(range(h, h + QUIET_HOURS), mode="wrap").sum() for h in range(24)]
        found["quiet_hours_share"] = float(min(windows)) / n
    return found


# -- copies ---------------------------------------------------------------------------------


def words(text: str) -> tuple[str, ...]:
    """The words of a text for comparing copies: no links, mentions, numbers or punctuation.

    Scripts written without spaces (Chinese, Japanese, Korean) count in character pairs.
    """
    found = _WORD.findall(MENTION_RE.sub(" ", URL_RE.sub(" ", text)).casefold())
    if not _CJK.search(text):
        return tuple(found)
    split: list[str] = []
    for word in found:
        if len(word) > 2 and _CJK.search(word):
            split.extend(word[i : i + 2] for i in range(len(word) - 1))
        else:
            split.append(word)
    return tuple(split)


def copies(texts: Sequence[str]) -> dict[str, Any]:
    """The share of texts that have an identical or near-identical twin among the others."""
    recent = texts[-TEXTS_PER_ACCOUNT:]
    keyed = [w for w in (words(text) for text in recent) if w]
    found: dict[str, Any] = {"texts_compared": len(keyed), "copy_share": None,
                             "identical_share": None}  # fmt: skip
    if len(keyed) < MIN_TEXT_POSTS:
        return found
    counts = Counter(keyed)
    identical = np.array([counts[w] > 1 for w in keyed])
    near = identical | _near_copies([set(w) for w in keyed])
    found["identical_share"] = float(identical.mean())
    found["copy_share"] = float(near.mean())
    return found


def _near_copies(sets: list[set[str]]) -> npt.NDArray[np.bool_]:
    """For each set, whether another set shares NEAR_COPY_JACCARD of their words."""
    if len(sets) <= SMALL_COMPARISON:  # set operations beat building a matrix here
        close = np.zeros(len(sets), dtype=bool)
        sizes = [len(members) for members in sets]
        for i, first in enumerate(sets):
            if sizes[i] < NEAR_COPY_MIN_WORDS:
                continue
            for j in range(i + 1, len(sets)):
                size = sizes[j]
                # Jaccard is at most the smaller size over the larger: skip what cannot reach it.
                if size < NEAR_COPY_MIN_WORDS or min(size, sizes[i]) < NEAR_COPY_JACCARD * max(
                    size, sizes[i]
                ):
                    continue
                common = len(first & sets[j])
                if common >= NEAR_COPY_JACCARD * (sizes[i] + size - common):
                    close[i] = close[j] = True
        return close
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    columns: list[int] = []
    for row, members in enumerate(sets):
        for word in members:
            rows.append(row)
            columns.append(vocabulary.setdefault(word, len(vocabulary)))
    matrix = np.zeros((len(sets), len(vocabulary)), dtype=np.float32)
    matrix[rows, columns] = 1.0
    shared = matrix @ matrix.T
    sizes = matrix.sum(axis=1)
    union = sizes[:, None] + sizes[None, :] - shared
    jaccard = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
    np.fill_diagonal(jaccard, 0.0)
    long_enough = sizes >= NEAR_COPY_MIN_WORDS
    close = (jaccard >= NEAR_COPY_JACCARD) & long_enough[:, None] & long_enough[None, :]
    return np.asarray(close.any(axis=1))


# -- profile --------------------------------------------------------------------------------


def handle_local(handle: str | None) -> str:
    """The part of a handle its owner chose: 'ana123' of '@ana123@host' or 'ana123.bsky.social'."""
    return re.split(r"[@.]", (handle or "").lstrip("@"), maxsplit=1)[0]


def longest_digit_run(text: str) -> int:
    return max((len(run) for run in _DIGITS.findall(text)), default=0)


def _declares_bot(profile: Profile) -> str | None:
    """Where the account says it is automated: 'flag', 'handle', 'name' or 'description'."""
    if profile.bot_flag:
        return "flag"
    parts = [part.lower() for part in _HANDLE_PARTS.split(handle_local(profile.handle)) if part]
    if any(part in ("bot", "bots") for part in parts):
        return "handle"
    if profile.name and _BOT_WORDS.search(profile.name):
        return "name"
    if profile.description and _BOT_DESCRIPTION.search(profile.description):
        return "description"
    return None


def _plain(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def profile_measures(
    profile: Profile | None, times: FloatArray, traits: PlatformTraits
) -> dict[str, Any]:
    """Age, lifetime rate, follower ratio and the defaults a new account is left with."""
    found: dict[str, Any] = {
        "profile": profile is not None,
        "account_age_days": None,
        "lifetime_posts_per_day": None,
        "followers": None,
        "following": None,
        "follower_ratio": None,
        "posts_count": None,
        "no_description": None,
        "default_name": None,
        "handle_digit_run": None,
        "default_avatar": None,
        "declares_bot": None,
        "verified": None,
    }
    if profile is None:
        return found
    if profile.created_at is not None and len(times):
        found["account_age_days"] = max(0.0, (float(times[0]) - profile.created_at) / DAY)
        if profile.posts_count is not None:
            lifetime_days = max(1.0, (float(times[-1]) - profile.created_at) / DAY)
            found["lifetime_posts_per_day"] = profile.posts_count / lifetime_days
    found["followers"] = profile.followers
    found["following"] = profile.following
    found["posts_count"] = profile.posts_count
    if profile.followers is not None and profile.following is not None:
        found["follower_ratio"] = profile.followers / max(profile.following, 1)
    if traits.descriptions:
        found["no_description"] = not (profile.description or "").strip()
    local = handle_local(profile.handle)
    if local:
        found["handle_digit_run"] = longest_digit_run(local)
        name = (profile.name or "").strip()
        found["default_name"] = not name or _plain(name) == _plain(local)
    found["default_avatar"] = profile.default_avatar
    found["declares_bot"] = _declares_bot(profile)
    found["verified"] = profile.verified
    return found


# -- what payloads say ----------------------------------------------------------------------

_DEFAULT_AVATAR_MARKS = ("default_profile_images", "/missing.png", "avatars/original/missing")


def _default_picture(url: object) -> bool | None:
    if not isinstance(url, str):
        return None
    return not url or any(mark in url for mark in _DEFAULT_AVATAR_MARKS)


def payload_hints(platform: str, raw: Mapping[str, Any] | None) -> tuple[bool | None, bool | None]:
    """(automated flag, default picture) from a post's payload, where it carries its author."""
    if not isinstance(raw, Mapping):
        return None, None
    if platform == "mastodon":
        account = raw.get("account")
        if not isinstance(account, Mapping):
            return None, None
        flag = account.get("bot")
        return (flag if isinstance(flag, bool) else None), _default_picture(account.get("avatar"))
    if platform == "bluesky":
        author = raw.get("author")
        if not isinstance(author, Mapping) or "did" not in author:
            return None, None
        avatar = author.get("avatar")
        return None, True if not avatar else _default_picture(avatar)
    if platform == "x":
        user = raw.get("user")  # API v1.1 and Gnip
        if isinstance(user, Mapping):
            flag = user.get("default_profile_image")
            default = flag if isinstance(flag, bool) else None
            return None, default if default is not None else _default_picture(
                user.get("profile_image_url_https") or user.get("profile_image_url")
            )
        author = raw.get("author")  # API v2 flattened by twarc
        if isinstance(author, Mapping):
            return None, _default_picture(author.get("profile_image_url"))
    return None, None


def platform_traits(second_fractions: Iterable[float], descriptions_share: float) -> PlatformTraits:
    """Traits of a platform from a sample of its post times and its profiles' descriptions.

    Times that all fall on a whole minute say the source rounds them: the second of the minute
    then says nothing about the account.
    """
    seconds = [value % 60.0 for value in second_fractions]
    on_minute = sum(1 for value in seconds if value < 0.001) / len(seconds) if seconds else 0.0
    return PlatformTraits(
        second_precision=on_minute < 0.5, descriptions=descriptions_share >= DESCRIPTIONS_CARRIED
    )
