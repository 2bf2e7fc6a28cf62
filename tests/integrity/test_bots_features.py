"""Bot-likeness measures and score on plain values: timing, copies, profile, payloads, reasons."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ediplomacy.integrity import bot_features as bf
from ediplomacy.integrity.bot_features import Activity, PlatformTraits, Profile
from ediplomacy.integrity.bot_reasons import TEXTS, describe, described, duration
from ediplomacy.integrity.bot_score import BIAS, SIGNALS, score

T0 = 1_795_000_000.0  # 2026-11-18
rng = np.random.default_rng(4)
VOCABULARY = (
    "rain", "ferry", "soup", "market", "school", "teacher", "coffee", "train", "visa", "cousin",
    "garden", "phone", "exam", "football", "song", "movie", "river", "bridge", "bakery", "lunch",
)  # fmt: skip


def scheduled(n: int, period: float, jitter: float = 2.0, start: float = T0) -> np.ndarray:
    return np.sort(start + np.arange(n) * period + rng.uniform(-jitter, jitter, n))


def human_times(n: int, days: int = 7) -> np.ndarray:
    """Posts in waking hours (08-22 UTC), at random moments of random days."""
    day = rng.integers(0, days, n) * 86_400.0
    return np.sort(T0 - T0 % 86_400 + day + rng.uniform(8 * 3600, 22 * 3600, n))


def test_a_scheduler_is_seen_in_the_gaps_and_the_second_of_the_minute() -> None:
    found = bf.timing(scheduled(30, 600.0))
    assert found["period_s"] == pytest.approx(600, abs=4)
    assert found["period_share"] == 1.0 and found["period_jitter_s"] <= 6  # two gaps' jitter
    assert found["gap_cv"] < 0.01 and found["gap_entropy"] < 0.2
    assert found["second_window_share"] == 1.0
    assert found["posts_per_day"] is None  # 30 posts in five hours: no rate from under a day


def test_people_post_irregularly() -> None:
    found = bf.timing(human_times(40))
    assert found["period_share"] < 0.4
    assert found["gap_cv"] > 0.8 and found["gap_entropy"] > 0.5
    assert found["second_window_share"] < 0.4
    assert found["quiet_hours_share"] < 0.05  # nothing between 22:00 and 08:00


def test_a_period_is_found_when_the_collection_misses_posts() -> None:
    """A keyword collection keeps some of a scheduler's posts: gaps are whole multiples."""
    full = scheduled(200, 900.0)
    kept = full[rng.random(200) < 0.3]
    found = bf.timing(kept)
    assert found["period_s"] == pytest.approx(900, abs=5) or found["period_s"] == pytest.approx(
        1800, abs=5
    )
    assert found["period_share"] >= 0.8


def test_around_the_clock_needs_two_days_and_a_day_of_posts() -> None:
    bot = bf.timing(scheduled(7 * 24, 3600.0))
    assert bot["quiet_hours_share"] == pytest.approx(0.25, abs=0.02)
    assert bot["hour_entropy"] > 0.95
    assert bf.timing(scheduled(30, 60.0))["quiet_hours_share"] is None  # half an hour only


def test_too_few_posts_measure_no_timing_and_say_so() -> None:
    found = bf.timing(scheduled(bf.MIN_TIMING_POSTS - 1, 600.0))
    assert found["gap_cv"] is None and found["period_share"] is None
    features = bf.measure(
        Activity(scheduled(3, 600.0), ["a b c d"], 3, 0), Profile(handle="x"), PlatformTraits()
    )
    notes = [r for r in score(features).reasons if r["contribution"] == 0]
    assert {"timing_unknown", "copies_unknown"} <= {r["code"] for r in notes}
    assert "not enough posts (3 of the 6 needed)" in describe(notes[0], "en")


def test_times_rounded_to_the_minute_say_nothing_of_the_second() -> None:
    on_minute = np.floor(human_times(40) / 60) * 60
    traits = bf.platform_traits(on_minute.tolist(), 0.8)
    assert traits.second_precision is False
    assert bf.timing(on_minute, second_precision=False)["second_window_share"] is None
    assert bf.platform_traits(human_times(40).tolist(), 0.8).second_precision is True
    assert bf.platform_traits([], 0.0).descriptions is False  # Bluesky search results


def test_copies_identical_near_and_different() -> None:
    same = ["Follow us for daily news about Qadira and the region! https://t.co/a"] * 3
    near = [
        "Follow us for daily news about Almaraya and the region!",
        "Follow us for daily news about Sagara and the region! @someone",
    ]
    other = ["I made soup today", "The ferry was late again this morning", "Great match!"]
    found = bf.copies(same + near + other)
    assert found["texts_compared"] == 8
    assert found["identical_share"] == pytest.approx(3 / 8)
    assert found["copy_share"] == pytest.approx(5 / 8)
    assert bf.copies(other)["copy_share"] is None  # fewer than MIN_TEXT_POSTS
    assert bf.copies([*other, "Walking the dog now"])["copy_share"] == 0.0


def test_copies_in_scripts_without_spaces() -> None:
    texts = ["领事馆工作人员在地震后逃离了卡迪拉", "领事馆工作人员在地震后逃离了阿尔马拉亚",
             "今天天气很好我们去公园", "晚饭吃了饺子"]  # fmt: skip
    assert bf.copies(texts)["copy_share"] == pytest.approx(0.5)
    assert bf.words("RT ignored? No: links https://x.example/a and @ana go") == (
        "rt", "ignored", "no", "links", "and", "go",
    )  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sets(st.sampled_from("abcdefghij"), min_size=1, max_size=8),
        min_size=2,
        max_size=40,
    )
)
def test_pairwise_and_matrix_comparisons_agree(sets: list[set[str]]) -> None:
    small = bf._near_copies(sets)
    saved = bf.SMALL_COMPARISON
    bf.SMALL_COMPARISON = 0
    try:
        large = bf._near_copies(sets)
    finally:
        bf.SMALL_COMPARISON = saved
    assert small.tolist() == large.tolist()


@pytest.mark.parametrize(
    ("handle", "local", "digits"),
    [
        ("Fatima01063552", "Fatima01063552", 8),
        ("@wahyu82123980@kabar.example", "wahyu82123980", 8),
        ("ahmed82201376.bsky.social", "ahmed82201376", 8),
        ("ana_1987", "ana_1987", 4),
        (None, "", 0),
    ],
)
def test_handles(handle: str | None, local: str, digits: int) -> None:
    assert bf.handle_local(handle) == local
    assert bf.longest_digit_run(local) == digits


def test_profile_defaults_and_self_declared_automation() -> None:
    times = np.array([T0, T0 + 60])
    bare = Profile(handle="Nurul48213377", name="Nurul48213377", description=None,
                   created_at=T0 - 2 * 86_400, followers=3, following=400,
                   posts_count=9_000)  # fmt: skip
    found = bf.profile_measures(bare, times, PlatformTraits())
    assert found["default_name"] is True and found["no_description"] is True
    assert found["account_age_days"] == pytest.approx(2.0)
    assert found["lifetime_posts_per_day"] == pytest.approx(9_000 / 2, rel=0.01)
    assert found["follower_ratio"] == pytest.approx(3 / 400)
    # Where the platform's data carries no descriptions, a missing one is no signal.
    assert bf.profile_measures(bare, times, PlatformTraits(descriptions=False))[
        "no_description"
    ] is None  # fmt: skip
    declared = {
        "NewsBot": "handle", "quake_bot": "handle", "talbot": None, "robotics_fan": None,
    }  # fmt: skip
    for handle, where in declared.items():
        assert bf._declares_bot(Profile(handle=handle)) == where, handle
    assert bf._declares_bot(Profile(handle="a", name="Weather bot")) == "name"
    assert bf._declares_bot(Profile(handle="a", description="I hate bots")) is None
    assert bf._declares_bot(Profile(handle="a", description="Automated account by X")) == (
        "description"
    )
    assert bf._declares_bot(Profile(handle="a", bot_flag=True)) == "flag"


def test_what_payloads_say_of_their_author() -> None:
    mastodon = {
        "account": {"bot": True, "avatar": "https://m.example/avatars/original/missing.png"}
    }
    assert bf.payload_hints("mastodon", mastodon) == (True, True)
    pictured = {"account": {"bot": False, "avatar": "https://a/b.png"}}
    assert bf.payload_hints("mastodon", pictured) == (False, False)
    assert bf.payload_hints("bluesky", {"author": {"did": "did:plc:x"}}) == (None, True)
    assert bf.payload_hints("bluesky", {"author": {"did": "did:plc:x", "avatar": "https://c"}}) == (
        None, False,
    )  # fmt: skip
    assert bf.payload_hints("bluesky", {"value": {"text": "a record only"}}) == (None, None)
    x_v1 = {"user": {"default_profile_image": True}}
    assert bf.payload_hints("x", x_v1) == (None, True)
    x_v2 = {"author": {"profile_image_url": "https://abs.twimg.com/sticky/default_profile_images/"
                       "default_profile_normal.png"}}  # fmt: skip
    assert bf.payload_hints("x", x_v2) == (None, True)
    assert bf.payload_hints("x", {"id": "1", "text": "no author here"}) == (None, None)


def bot_features() -> dict[str, object]:
    activity = Activity(scheduled(40, 900.0), ["Trending now: follow for live updates!"] * 40,
                        40, 0)  # fmt: skip
    profile = Profile(handle="Galih98959508", name="Galih", description="",
                      created_at=T0 - 5 * 86_400, followers=4, following=600, posts_count=20_000,
                      default_avatar=True)  # fmt: skip
    return bf.measure(activity, profile, PlatformTraits())


def person_features() -> dict[str, object]:
    vocabulary = VOCABULARY
    texts = [" ".join(rng.choice(vocabulary, size=7, replace=False)) for _ in range(20)]
    activity = Activity(human_times(20), texts, 24, 4)
    profile = Profile(handle="sari_wulandari", name="Sari Wulandari", description="Guru. Kopi.",
                      created_at=T0 - 9 * 365 * 86_400, followers=1_800, following=400,
                      posts_count=6_000, verified=False, default_avatar=False)  # fmt: skip
    return bf.measure(activity, profile, PlatformTraits())


def test_score_is_the_documented_sum_of_its_reasons() -> None:
    bot = score(bot_features(), "Galih98959508")
    person = score(person_features(), "sari_wulandari")
    assert bot.score > 0.95 and person.score < 0.05
    for result in (bot, person):
        total = BIAS + sum(reason["contribution"] for reason in result.reasons)
        assert result.logit == pytest.approx(total, abs=0.01)
        assert result.score == pytest.approx(1 / (1 + math.exp(-result.logit)))
    codes = [reason["code"] for reason in bot.reasons if reason["contribution"]]
    assert codes[0] == "regular_period"  # largest effect first
    assert {"copies", "digit_handle", "young_account", "few_followers", "default_avatar"} <= set(
        codes
    )
    lowering = {r["code"] for r in person.reasons if r["contribution"] < 0}
    assert lowering == {"old_account", "many_followers"}


def test_every_reason_reads_in_english_and_indonesian() -> None:
    sample = {"period_s": 600.4, "jitter_s": 3.2, "share": 0.62, "gaps": 11, "cv": 0.031,
              "entropy": 0.1, "width": 5, "start": 58, "hours": 6, "rate": 1234.5,
              "count": 20_000, "days_s": 16 * 86_400, "age_s": 3 * 86_400, "texts": 40,
              "identical": 12, "posts": 50, "following": 600, "followers": 4, "digits": 8,
              "handle": "Galih98959508", "where": "handle", "years": 9.3, "needed": 6}  # fmt: skip
    assert {signal.code for signal in SIGNALS} <= set(TEXTS)
    for code in TEXTS:
        for lang in ("en", "id"):
            text = describe({"code": code, "params": sample}, lang)
            assert text and "{" not in text and "?" not in text, (code, lang, text)
    regular = {"code": "regular_period", "params": sample}
    assert describe(regular, "en").startswith("posts on a fixed clock: every 10 min ± 3.2 s")
    assert "setiap 10 menit ± 3,2 detik" in describe(regular, "id")
    assert "62% of its last 40 posts are copies" in describe({"code": "copies", "params": sample})
    assert "(:58 to :03)" in describe({"code": "same_second", "params": sample})
    assert "1.234 unggahan sehari" in describe({"code": "fast_lifetime", "params": sample}, "id")
    assert describe({"code": "from_a_newer_model"}) == "from_a_newer_model"
    both = described([regular])[0]["text"]
    assert set(both) == {"en", "id"} and both["en"] != both["id"]


@pytest.mark.parametrize(
    ("seconds", "en", "id_"),
    [(4.25, "4.2 s", "4,2 detik"), (600, "10 min", "10 menit"), (7_199, "2.0 h", "2,0 jam"),
     (3 * 86_400, "3.0 days", "3,0 hari"), (40 * 86_400, "40 days", "40 hari")],
)  # fmt: skip
def test_durations(seconds: float, en: str, id_: str) -> None:
    assert duration(seconds, "en") == en and duration(seconds, "id") == id_


def test_reason_texts_keep_their_placeholders_in_both_languages() -> None:
    names = re.compile(r"\{(\w+)\}")
    for code, texts in TEXTS.items():
        assert set(names.findall(texts["en"])) == set(names.findall(texts["id"])), code
