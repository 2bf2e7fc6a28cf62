"""The planted ground truth: it names only what was written, and it is true of what was written."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from difflib import SequenceMatcher
from itertools import pairwise
from statistics import pstdev
from typing import Any

from ediplomacy.demo.world import EMERGENCY_LANGUAGES, LANGUAGES
from tests.demo.conftest import Written


def at(stamp: str) -> float:
    return datetime.fromisoformat(stamp).timestamp()


def post_index(demo: Written) -> dict[tuple[str, str], dict[str, Any]]:
    """Every written post by (platform, external id), with its time and text."""
    index: dict[tuple[str, str], dict[str, Any]] = {}
    for tweet in demo.tweets:
        index["x", tweet["id"]] = {"at": at(tweet["created_at"]), "text": tweet["text"],
                                   "author": tweet["author_id"]}  # fmt: skip
    for view in demo.bluesky_posts:
        index["bluesky", view["uri"]] = {"at": at(view["record"]["createdAt"]),
                                         "text": view["record"]["text"],
                                         "author": view["author"]["did"]}  # fmt: skip
    for status in demo.statuses:
        index["mastodon", status["id"]] = {"at": at(status["created_at"]),
                                           "text": status["content"],
                                           "author": status["account"]["url"]}  # fmt: skip
    return index


def test_every_post_and_account_named_was_written(small_demo: Written) -> None:
    truth = small_demo.truth
    posts = post_index(small_demo)
    for kind, entries in truth["posts"].items():
        for entry in entries:
            assert (entry["platform"], entry["external_id"]) in posts, kind
            if entry.get("answered_by"):
                assert (entry["platform"], entry["answered_by"]) in posts
    for burst in truth["bursts"]:
        for entry in burst["posts"]:
            assert (entry["platform"], entry["external_id"]) in posts
    actors = small_demo.actor_ids()
    for kind, accounts in truth["accounts"].items():
        assert accounts, kind
        for account in accounts:
            assert account["external_id"] in actors[account["platform"]], kind


def test_the_claim_spreads_in_every_language(small_demo: Written) -> None:
    claims = [e for e in small_demo.truth["posts"]["false_claim"] if e["claim"] == "claim-evac-fee"]
    assert {e["lang"] for e in claims} == set(LANGUAGES)
    assert {e["kind"] for e in claims} >= {"post", "near_duplicate", "repost"}
    variants = small_demo.truth["claims"][0]["variants"]
    assert {e["variant"] for e in claims} <= set(variants)
    assert {v.split("-")[0] for v in variants} == set(LANGUAGES)


def test_coordinated_bursts_happen_within_seconds(small_demo: Written) -> None:
    posts = post_index(small_demo)
    claim_bursts = [b for b in small_demo.truth["bursts"] if b["topic"] == "claim"]
    assert claim_bursts
    for burst in small_demo.truth["bursts"]:
        times = sorted(posts[p["platform"], p["external_id"]]["at"] for p in burst["posts"])
        assert times[-1] - times[0] <= 120, burst["id"]
        seed = [p for p in burst["posts"] if p["role"] == "seed"]
        copies = [p for p in burst["posts"] if p["role"] == "near_duplicate"]
        if not seed:
            continue
        original = posts[seed[0]["platform"], seed[0]["external_id"]]
        previous = original["at"]
        for copy in copies:
            written = posts[copy["platform"], copy["external_id"]]
            assert 0 <= written["at"] - previous <= 5  # a few seconds after the one before
            previous = written["at"]
            assert written["text"] != original["text"]
            assert SequenceMatcher(None, written["text"], original["text"]).ratio() > 0.75


def test_coordinated_accounts_form_two_groups_posting_together(small_demo: Written) -> None:
    members = defaultdict(set)
    for account in small_demo.truth["accounts"]["coordinated"]:
        members[account["group"]].add(account["external_id"])
    assert set(members) == {"net-1", "net-2"}
    posts = post_index(small_demo)
    for burst in small_demo.truth["bursts"]:
        for entry in burst["posts"]:
            author = posts[entry["platform"], entry["external_id"]]["author"]
            assert author in members[burst["group"]]


def test_bots_post_at_a_regular_period(small_demo: Written) -> None:
    posts = post_index(small_demo)
    by_author = defaultdict(list)
    for (platform, _), post in posts.items():
        by_author[platform, post["author"]].append(post["at"])
    checked = 0
    for bot in small_demo.truth["accounts"]["bot_like"]:
        times = sorted(by_author[bot["platform"], bot["external_id"]])
        if len(times) >= 4:
            gaps = [b - a for a, b in pairwise(times)]
            assert pstdev(gaps) < 5 and abs(gaps[0] - bot["period_s"]) < 6
            checked += 1
    assert checked


def test_questions_and_emergencies(small_demo: Written) -> None:
    emergencies = small_demo.truth["posts"]["emergencies"]
    questions = small_demo.truth["posts"]["questions"]
    assert emergencies and questions
    assert {e["lang"] for e in emergencies} <= set(EMERGENCY_LANGUAGES)
    assert {"trapped", "evacuation", "lost_passport"} <= {e["need"] for e in emergencies}
    assert {"register", "embassy_open"} <= {q["topic"] for q in questions}
    quake = at(small_demo.truth["timeline"]["earthquake"]["at"])
    posts = post_index(small_demo)
    assert all(posts[e["platform"], e["external_id"]]["at"] > quake for e in emergencies)
    assert any(e["answered_by"] for e in emergencies)


def test_the_timeline_runs_in_order(small_demo: Written) -> None:
    timeline = small_demo.truth["timeline"]
    fee = timeline["claims"]["claim-evac-fee"]
    order = [
        timeline["week_start"],
        timeline["earthquake"]["at"],
        timeline["first_official_statement"],
        timeline["evacuation_announced"],
        fee["first_post_at"],
        fee["peak_at"],
        fee["debunked_at"],
        timeline["first_evacuation_flight"],
        timeline["week_end"],
    ]
    assert [at(s) for s in order] == sorted(at(s) for s in order)
    assert at(timeline["event_burst"]["peak_at"]) >= at(timeline["earthquake"]["at"])


def test_official_accounts_are_marked_as_demo_accounts(full_demo: Written) -> None:
    accounts = full_demo.truth["accounts"]
    assert len(accounts["coordinated"]) == 40
    assert len(accounts["bot_like"]) == 100
    for account in accounts["official"]:
        assert "demo" in account["handle"].lower()
    assert {a["kind"] for a in accounts["official"]} == {"ministry", "office", "embassy",
                                                         "consulate"}  # fmt: skip
